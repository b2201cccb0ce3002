"""The shared summarise flow: draft sentences, dedupe, budget, faithfulness check and repair."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from stance.errors import InputError, ModelError
from stance.summarize import faithfulness
from stance.summarize import sentences as units
from stance.types import Article, Summary

DEFAULT_SENTENCES = 3
# With no length asked for, the summary also stops once it has this many words: CNN/DailyMail
# highlights average about 56 tokens, some 50 words (See et al., 2017), so two long lead
# sentences are already a full summary. Measured in eval/results/summary-findings.md.
DEFAULT_ENOUGH_WORDS = 50

TokenCallback = Callable[[str], None]


class Summarizer:
    """Holds whatever a method loads (embedder, model) so many articles reuse it.

    Subclasses implement ``draft``; ``generative`` methods get their unsupported sentences
    repaired (extractive sentences are source text, so they are only checked). ``embedder``
    (anything with a sentence-transformers ``encode``) defaults to the shared MiniLM.
    """

    method = ""
    generative = False
    embedder_model = units.DEFAULT_EMBEDDER

    def __init__(
        self,
        model: str | None = None,
        sentences: int | None = None,
        words: int | None = None,
        repair: bool = True,
        embedder: Any = None,
    ):
        self.model = model
        self.sentences = sentences
        self.words = words
        self.repair = repair
        self._embedder = embedder

    @property
    def embedder(self) -> Any:
        if self._embedder is None:
            self._embedder = units.load_embedder(self.embedder_model)
        return self._embedder

    def draft(
        self,
        article: Article,
        source_sentences: list[str],
        sentences: int | None,
        words: int | None,
        on_token: TokenCallback | None,
    ) -> tuple[list[str], int]:
        """Summary sentences before checking, and how many chunks the source was cut into.

        ``source_sentences`` is every sentence of the article, in order (duplicates included).
        """
        raise NotImplementedError

    def summarize(
        self,
        article: Article,
        sentences: int | None = None,
        words: int | None = None,
        on_token: TokenCallback | None = None,
        repair: bool | None = None,
    ) -> Summary:
        """Summarise ``article`` within ``sentences`` and/or ``words``.

        The default is up to 3 sentences, stopping after any that brings the summary to 50
        words (``DEFAULT_SENTENCES``, ``DEFAULT_ENOUGH_WORDS``).

        ``on_token`` receives the model's text as it is decoded (the draft, before repair;
        extractive methods send whole sentences). Summary.text has one sentence per line.
        """
        if not article.text.strip():
            raise InputError(f"article {article.doc!r} has no text to summarise; check the input")
        sentences = sentences if sentences is not None else self.sentences
        words = words if words is not None else self.words
        enough_words = None
        if sentences is None and words is None:
            sentences, enough_words = DEFAULT_SENTENCES, DEFAULT_ENOUGH_WORDS
        for name, value in (("sentences", sentences), ("words", words)):
            if value is not None and value < 1:
                raise InputError(f"{name}={value} for {article.doc!r}; pass a positive number")
        repair = self.repair if repair is None else repair
        source_sentences = units.split(article.text)
        drafted, chunks = self.draft(article, source_sentences, sentences, words, on_token)
        if not drafted:
            raise ModelError(
                f"{self.method} model {self.model!r} wrote no summary for {article.doc!r}; "
                "try --method lead"
            )
        chosen = units.take_within_budget(
            drafted, sentences=sentences, words_budget=words, enough_words=enough_words
        )
        if not self.generative and on_token is not None:
            for sentence in chosen:
                on_token(sentence + "\n")
        source = faithfulness.Source(article.text)
        repaired = 0
        if self.generative and repair:
            candidates = units.dedupe(source_sentences)
            fixed = faithfulness.repair(chosen, candidates, source, self.embedder)
            chosen, repaired, check = fixed.sentences, fixed.repaired, fixed.check
        else:
            check = faithfulness.check_sentences(chosen, source)
        return Summary(
            doc=article.doc,
            text="\n".join(chosen),
            method=self.method,
            model=self.model,
            chunks=chunks,
            repaired=repaired,
            check=check,
        )
