"""Compose extraction, stance and summary into one Report per article.

An ``Analyzer`` loads each model once and is reused for every article of a run;
``stance.corpus.analyze_corpus`` runs one per worker over a corpus, resumably.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from stance.errors import InputError
from stance.types import Article, Quote, Report

CONTEXT_CHARS = 400


@dataclass
class AnalyzeOptions:
    """What to compute and with which models (``None`` picks the measured default)."""

    target: str | None = None
    summary: bool = True
    summary_method: str | None = None
    summary_model: str | None = None
    summary_runtime: str | None = None
    sentences: int | None = None
    words: int | None = None
    stance_method: str = "default"
    stance_model: str | None = None
    labelset: str | None = None

    def __post_init__(self) -> None:
        if self.summary_runtime is not None and self.summary_method != "llm":
            raise InputError("a summary runtime applies to the llm summary method only")


def quote_context(article: Article, quote: Quote, limit: int = CONTEXT_CHARS) -> str:
    """The previous paragraph and the quote's own paragraph up to the quote (at most ``limit``
    characters, cut at a word), which tells the classifier what the quote responds to."""
    pieces = [p for p in article.text[:quote.start].split("\n") if p.strip()]
    context = " ".join(" ".join(pieces[-2:]).split())
    if len(context) > limit:
        context = context[-limit:].split(" ", 1)[-1]
    return context


class Analyzer:
    """Holds the loaded pipeline; call it on each article."""

    def __init__(self, options: AnalyzeOptions | None = None) -> None:
        self.options = options or AnalyzeOptions()
        self._summarizer: Any = None
        self._classifier: Any = None

    @property
    def summarizer(self) -> Any:
        if self._summarizer is None:
            from stance.summarize import DEFAULT_METHOD, get_summarizer

            options = {"sentences": self.options.sentences, "words": self.options.words,
                       "runtime": self.options.summary_runtime}
            self._summarizer = get_summarizer(
                self.options.summary_method or DEFAULT_METHOD, self.options.summary_model,
                **{k: v for k, v in options.items() if v is not None},
            )
        return self._summarizer

    @property
    def classifier(self) -> Any:
        if self._classifier is None:
            from stance.classify import get_classifier

            self._classifier = get_classifier(
                self.options.stance_method, self.options.stance_model, self.options.labelset
            )
        return self._classifier

    def __call__(self, article: Article) -> Report:
        from stance.classify import detect_target, rollup_speakers
        from stance.text.quotes import extract_quotes

        quotes = extract_quotes(article)
        target = self.options.target or detect_target(article)
        if quotes:
            records = [
                {"doc": q.doc, "text": q.text, "speaker": q.speaker or "", "target": target,
                 "context": quote_context(article, q)}
                for q in quotes
            ]
            for quote, stance in zip(quotes, self.classifier.predict(records), strict=True):
                quote.stance = stance
                quote.target = target
        summary = self.summarizer.summarize(article) if self.options.summary else None
        return Report(doc=article.doc, target=target, summary=summary, quotes=quotes,
                      speakers=rollup_speakers(quotes))


def analyze(article: Article, options: AnalyzeOptions | None = None) -> Report:
    """Summary, attributed quotes with stances, and the per-speaker roll-up of one article."""
    return Analyzer(options)(article)
