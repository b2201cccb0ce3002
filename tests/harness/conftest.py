from __future__ import annotations

import sys
from pathlib import Path

import pytest

from . import fakes

DATA = Path(__file__).resolve().parents[1] / "data" / "harness"


@pytest.fixture
def fake_models(monkeypatch: pytest.MonkeyPatch) -> None:
    """Route the harness's classify/summarize imports to the fakes for one test."""
    for name, module in fakes.fake_modules().items():
        monkeypatch.setitem(sys.modules, name, module)
    monkeypatch.setitem(fakes.CALLS, "predict", 0)
    monkeypatch.delenv("FAKE_KILL_AFTER", raising=False)


@pytest.fixture
def tiny_task_path() -> Path:
    return DATA / "tiny-stance.yaml"


@pytest.fixture
def tiny_summary_path() -> Path:
    return DATA / "tiny-summary.yaml"
