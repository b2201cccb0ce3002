"""stance: who said what in a news article, with what stance, and a faithful summary.

The public API, loaded lazily so that importing ``stance`` stays cheap::

    from stance import read_inputs, analyze, extract_quotes, summarize, classify
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__version__ = "0.1.0"

_API = {
    "read_inputs": "stance.text.read",
    "extract_quotes": "stance.text.quotes",
    "summarize": "stance.summarize",
    "classify": "stance.classify",
    "detect_target": "stance.classify",
    "analyze": "stance.analyze",
    "AnalyzeOptions": "stance.analyze",
    "analyze_corpus": "stance.corpus",
}

__all__ = [*_API, "__version__"]


def __getattr__(name: str) -> Any:
    if name in _API:
        return getattr(import_module(_API[name]), name)
    raise AttributeError(f"module 'stance' has no attribute {name!r}")
