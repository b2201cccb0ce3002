import json

import pytest

from stance import analyze as analyze_module
from stance.analyze import analyze_corpus, finished_docs, quote_context
from stance.errors import InputError
from stance.types import Article, Quote, Report


class Killed(Exception):
    pass


def fake_pipeline(monkeypatch, kill_after=None, fail_docs=()):
    calls = []

    def call(self, article):
        if article.doc in fail_docs:
            raise InputError(f"{article.doc}: broken")
        if kill_after is not None and len(calls) == kill_after:
            raise Killed
        calls.append(article.doc)
        return Report(doc=article.doc, target="t", summary=None, quotes=[], speakers=[])

    monkeypatch.setattr(analyze_module.Analyzer, "__call__", call)
    return calls


def corpus(n=6):
    return [Article(doc=f"a{i}", text=f"Text {i}.") for i in range(n)]


def read_docs(path):
    return [json.loads(line)["doc"] for line in path.read_text().splitlines()]


def test_corpus_killed_run_resumes_without_loss_or_duplicates(tmp_path, monkeypatch):
    whole = tmp_path / "whole.jsonl"
    fake_pipeline(monkeypatch)
    analyze_corpus(corpus(), whole)

    partial = tmp_path / "partial.jsonl"
    fake_pipeline(monkeypatch, kill_after=3)
    with pytest.raises(Killed):
        analyze_corpus(corpus(), partial)
    with partial.open("a") as handle:  # a write torn by the kill
        handle.write('{"doc": "a3", "tar')
    calls = fake_pipeline(monkeypatch)
    stats = analyze_corpus(corpus(), partial, resume=True)
    assert calls == ["a3", "a4", "a5"]
    assert stats.skipped == 3 and stats.done == 3
    assert partial.read_text() == whole.read_text()


def test_corpus_bad_article_is_reported_and_skipped(tmp_path, monkeypatch):
    fake_pipeline(monkeypatch, fail_docs={"a2"})
    errors = []
    out = tmp_path / "out.jsonl"
    stats = analyze_corpus(corpus(4), out, on_error=lambda doc, e: errors.append(doc))
    assert errors == ["a2"] and stats.failed == ["a2"]
    assert read_docs(out) == ["a0", "a1", "a3"]


def test_finished_docs_of_missing_file_is_empty(tmp_path):
    assert finished_docs(tmp_path / "none.jsonl") == set()


def test_quote_context_starts_at_previous_paragraph():
    text = "Old paragraph.\nThe minister spoke.\nLater, “We agree,” she said."
    start = text.index("“")
    quote = Quote(doc="d", text="“We agree,”", start=start, end=start + 11)
    assert quote_context(Article("d", text), quote) == "The minister spoke. Later,"


def test_quote_context_is_limited_at_a_word():
    text = "alpha beta gamma delta\n“Quote,” he said."
    start = text.index("“")
    quote = Quote(doc="d", text="“Quote,”", start=start, end=start + 8)
    assert quote_context(Article("d", text), quote, limit=10) == "delta"
