"""Fake classifier and summariser standing in for ``stance.classify`` / ``stance.summarize``.

``install`` puts fake modules in ``sys.modules`` so the harness's lazy imports find them; the
``fakes`` fixture does it through monkeypatch (undone after the test), and subprocess workers
call it directly. Set ``FAKE_KILL_AFTER=N`` to make the process SIGKILL itself on the Nth
prediction, which simulates a run killed mid-way.
"""

from __future__ import annotations

import importlib.util
import os
import signal
import sys
import types
from typing import Any

from stance.types import Stance, Summary

CALLS = {"predict": 0}


def _maybe_die() -> None:
    CALLS["predict"] += 1
    limit = os.environ.get("FAKE_KILL_AFTER")
    if limit and CALLS["predict"] >= int(limit):
        os.kill(os.getpid(), signal.SIGKILL)


class FakeClassifier:
    """'ready' -> open, 'doubt' -> cautious (wins), anything else -> neutral."""

    def __init__(self, method: str, model: str | None, labelset: Any):
        self.method, self.model, self.labelset = method, model, labelset

    def predict(self, records: list[dict]) -> list[Stance]:
        out = []
        for record in records:
            _maybe_die()
            text = record["text"].lower()
            label = "cautious" if "doubt" in text else "open" if "ready" in text else "neutral"
            scores = {name: 0.1 for name in ("open", "cautious", "neutral")}
            scores[label] = 0.8
            out.append(Stance(label=label, confidence=0.8, scores=scores))
        return out


class FakeSummarizer:
    """Returns the article's first sentence (everything up to the first '. ')."""

    def __init__(self, method: str, model: str | None):
        self.method, self.model = method, model

    def summarize(self, article: Any) -> Summary:
        _maybe_die()
        first = article.text.split(". ")[0].rstrip(".") + "."
        return Summary(doc=article.doc, text=first, method=self.method, model=self.model)


def get_classifier(method: str, model: str | None = None, labelset: Any = None) -> FakeClassifier:
    return FakeClassifier(method, model, labelset)


def get_summarizer(method: str, model: str | None = None, **options: Any) -> FakeSummarizer:
    return FakeSummarizer(method, model)


def fake_modules() -> dict[str, types.ModuleType]:
    classify = types.ModuleType("stance.classify")
    classify.get_classifier = get_classifier
    summarize = types.ModuleType("stance.summarize")
    summarize.get_summarizer = get_summarizer
    # the real submodules (faithfulness checks, Lead-3) stay importable beside the fake
    real = importlib.util.find_spec("stance.summarize")
    summarize.__path__ = list(real.submodule_search_locations)
    return {"stance.classify": classify, "stance.summarize": summarize}


def install() -> None:
    sys.modules.update(fake_modules())
