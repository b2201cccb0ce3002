"""Compose extraction, stance and summary into one Report per article.

An ``Analyzer`` loads each model once and is reused for every article of a run;
``analyze_corpus`` writes each report as soon as it is done and skips finished
articles on resume, so an interrupted run loses nothing.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from stance.types import Article, Quote, Report

CONTEXT_CHARS = 400


@dataclass
class AnalyzeOptions:
    """What to compute and with which models (``None`` picks the measured default)."""

    target: str | None = None
    summary: bool = True
    summary_method: str | None = None
    summary_model: str | None = None
    sentences: int | None = None
    words: int | None = None
    stance_method: str = "default"
    stance_model: str | None = None
    labelset: str | None = None


@dataclass
class CorpusStats:
    done: int = 0
    skipped: int = 0
    failed: list[str] = field(default_factory=list)


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

            options = {"sentences": self.options.sentences, "words": self.options.words}
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


def finished_docs(output: Path) -> set[str]:
    """Docs already written to a results file; a torn last line (killed mid-write) is dropped."""
    if not output.exists():
        return set()
    done = set()
    lines = output.read_text(encoding="utf-8").splitlines(keepends=True)
    good = 0
    for line in lines:
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            break
        if not line.endswith("\n"):
            break
        done.add(record["doc"])
        good += len(line.encode("utf-8"))
    with output.open("r+b") as handle:
        handle.truncate(good)
    return done


def analyze_corpus(
    articles: Iterable[Article],
    output: Path,
    options: AnalyzeOptions | None = None,
    resume: bool = False,
    on_report: Callable[[Report], None] | None = None,
    on_error: Callable[[str, Exception], None] | None = None,
) -> CorpusStats:
    """Analyse articles, appending each report to ``output`` (JSONL) as soon as it is done."""
    from stance.errors import StanceError

    stats = CorpusStats()
    done = finished_docs(output) if resume else set()
    if not resume:
        output.write_text("", encoding="utf-8")
    analyzer = Analyzer(options)
    with output.open("a", encoding="utf-8") as sink:
        for article in articles:
            if article.doc in done:
                stats.skipped += 1
                continue
            try:
                report = analyzer(article)
            except StanceError as error:
                stats.failed.append(article.doc)
                if on_error:
                    on_error(article.doc, error)
                continue
            sink.write(json.dumps(report.to_dict(), ensure_ascii=False) + "\n")
            sink.flush()
            done.add(article.doc)
            stats.done += 1
            if on_report:
                on_report(report)
    return stats
