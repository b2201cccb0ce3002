"""Imported by subprocess workers (bench ``preload``): registers the fakes in that process."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import fakes  # noqa: E402

fakes.install()
