"""Summarise an article: lead-k, embedding-centrality extraction, or a (chat or seq2seq) model.

Every method returns sentences separated by newlines, without near-duplicates, within the
requested length; numbers and named entities are checked against the source, and
generated sentences that the source does not support are replaced by the closest source
sentence (``Summary.unsupported`` / ``Summary.repaired``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from stance.errors import InputError
from stance.types import Article, Summary

if TYPE_CHECKING:
    from stance.summarize.base import Summarizer

METHODS = ("lead", "extractive", "llm", "seq2seq")
DEFAULT_METHOD = "lead"


def get_summarizer(
    method: str = DEFAULT_METHOD, model: str | None = None, **options: Any
) -> Summarizer:
    """A summariser that loads its model once; call ``.summarize(article)`` per article.

    ``options`` are ``sentences``, ``words``, ``repair`` and method-specific settings
    (``options=RankOptions(...)`` for extractive, ``max_new_tokens`` for the model methods).
    """
    if method == "lead":
        from stance.summarize.extractive import LeadSummarizer

        return LeadSummarizer(model=model, **options)
    if method == "extractive":
        from stance.summarize.extractive import ExtractiveSummarizer

        return ExtractiveSummarizer(model=model, **options)
    if method == "llm":
        from stance.summarize.abstractive import LLMSummarizer

        return LLMSummarizer(model=model, **options)
    if method == "seq2seq":
        from stance.summarize.abstractive import Seq2SeqSummarizer

        return Seq2SeqSummarizer(model=model, **options)
    raise InputError(f"unknown summary method {method!r}; choose one of {', '.join(METHODS)}")


_CACHE: dict[tuple[str, str | None], Summarizer] = {}


def summarize(
    article: Article,
    method: str = DEFAULT_METHOD,
    model: str | None = None,
    sentences: int | None = None,
    words: int | None = None,
    on_token: Callable[[str], None] | None = None,
    repair: bool = True,
) -> Summary:
    """Summarise one article; the loaded model is kept for the next call in this process."""
    key = (method, model)
    if key not in _CACHE:
        _CACHE[key] = get_summarizer(method, model)
    return _CACHE[key].summarize(
        article, sentences=sentences, words=words, on_token=on_token, repair=repair
    )


__all__ = ["DEFAULT_METHOD", "METHODS", "get_summarizer", "summarize"]
