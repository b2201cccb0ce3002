"""Extractive summarisers: lead-k, and sentence centrality over MiniLM embeddings.

Centrality alone loses to lead-k on news (the lead carries the story), so the
``extractive`` ranker mixes a centrality score with a position prior and picks sentences
greedily with a redundancy penalty (maximal marginal relevance). On CNN/DailyMail the
tuned ranker does not beat plain lead out of sample, so ``lead`` is the default method
(eval/results/summary-findings.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from stance.errors import InputError
from stance.summarize import sentences as units
from stance.summarize.base import Summarizer, TokenCallback
from stance.types import Article

CENTRALITIES = ("pagerank", "degree", "centroid", "pacsum")


@dataclass(frozen=True)
class RankOptions:
    """How sentences are scored: ``position`` in [0, 1] weighs the lead prior against centrality.

    The prior is exp(-index / decay). ``redundancy`` is the MMR penalty on similarity to
    sentences already chosen (near-duplicates are always skipped). ``min_words`` skips
    fragments (datelines, bylines). Defaults: among the best of a sweep on FRANK validation
    (eval/results/summary-extractive-sweep.md); settings picked that way score no better
    than lead on held-out articles.
    """

    centrality: str = "degree"
    position: float = 0.7
    decay: float = 6.0
    redundancy: float = 0.0
    min_words: int = 5
    damping: float = 0.85
    pacsum_backward: float = -2.0
    pacsum_threshold: float = 0.6


def _minmax(values: Any) -> Any:
    span = values.max() - values.min()
    return (values - values.min()) / span if span > 0 else values * 0.0


def centrality_scores(similarity: Any, options: RankOptions) -> Any:
    """One centrality score per sentence from the cosine-similarity matrix."""
    import numpy as np

    n = similarity.shape[0]
    sim = np.clip(similarity, 0.0, None)
    np.fill_diagonal(sim, 0.0)
    if n == 1:
        return np.ones(1)
    if options.centrality == "degree":
        return sim.sum(axis=1) / (n - 1)
    if options.centrality == "centroid":
        return similarity.mean(axis=1)
    if options.centrality == "pagerank":
        rows = sim.sum(axis=1, keepdims=True)
        transition = np.where(rows > 0, sim / np.where(rows > 0, rows, 1.0), 1.0 / n)
        scores = np.full(n, 1.0 / n)
        for _ in range(100):
            updated = (1 - options.damping) / n + options.damping * transition.T @ scores
            if np.abs(updated - scores).sum() < 1e-9:
                break
            scores = updated
        return scores
    if options.centrality == "pacsum":
        # Directed centrality: similarity to later sentences counts for, to earlier against.
        low, high = sim.min(), sim.max()
        edges = np.clip(sim - (low + options.pacsum_threshold * (high - low)), 0.0, None)
        later = np.triu(edges, 1).sum(axis=1)
        earlier = np.tril(edges, -1).sum(axis=1)
        return options.pacsum_backward * earlier + later
    raise ValueError(f"unknown centrality {options.centrality!r}; choose from {CENTRALITIES}")


def rank_sentences(embeddings: Any, word_counts: list[int], options: RankOptions) -> list[int]:
    """Sentence indices, best first: position-weighted centrality, then MMR redundancy."""
    import numpy as np

    n = embeddings.shape[0]
    similarity = embeddings @ embeddings.T
    prior = np.exp(-np.arange(n) / options.decay)
    score = (1 - options.position) * _minmax(centrality_scores(similarity, options))
    score = score + options.position * prior
    eligible = [i for i in range(n) if word_counts[i] >= options.min_words] or list(range(n))
    ranked: list[int] = []
    while eligible:
        if ranked:
            penalty = similarity[np.ix_(eligible, ranked)].max(axis=1)
        else:
            penalty = np.zeros(len(eligible))
        gains = score[eligible] - options.redundancy * penalty
        best = eligible[int(np.argmax(gains))]
        ranked.append(best)
        eligible.remove(best)
    return ranked


def select(
    source_sentences: list[str], order: list[int], sentences: int | None, words: int | None
) -> list[str]:
    """Apply the length budget to ranked sentences and return them in document order."""
    chosen = units.take_within_budget(
        [source_sentences[i] for i in order], sentences=sentences, words_budget=words
    )
    position = {s: i for i, s in reversed(list(enumerate(source_sentences)))}
    return sorted(chosen, key=position.__getitem__)


def lead(source_sentences: list[str], sentences: int | None, words: int | None) -> list[str]:
    """The first sentences up to the budget, skipping near-duplicates (captions)."""
    return select(source_sentences, list(range(len(source_sentences))), sentences, words)


def extract(
    source_sentences: list[str],
    embeddings: Any,
    options: RankOptions,
    sentences: int | None,
    words: int | None,
) -> list[str]:
    order = rank_sentences(embeddings, [units.word_count(s) for s in source_sentences], options)
    return select(source_sentences, order, sentences, words)


def candidate_sentences(text: str, source_sentences: list[str] | None = None) -> list[str]:
    """The distinct sentences of ``text`` a summary may copy, in order: no headline first
    line, no outlet tag or video prompt. ``source_sentences`` is ``text`` already split.
    """
    if source_sentences is None:
        source_sentences = units.split(text)
    body = units.without_headline(text, source_sentences)
    return units.dedupe(units.without_boilerplate(body)) or units.dedupe(body)


class SourceSummarizer(Summarizer):
    """Picks whole source sentences (``candidate_sentences``)."""

    def draft(
        self,
        article: Article,
        source_sentences: list[str],
        sentences: int | None,
        words: int | None,
        on_token: TokenCallback | None,
    ) -> tuple[list[str], int]:
        candidates = candidate_sentences(article.text, source_sentences)
        return self.pick(candidates, sentences, words), 1

    def pick(self, candidates: list[str], sentences: int | None, words: int | None) -> list[str]:
        """The summary from ``candidates`` (distinct source sentences, in order)."""
        raise NotImplementedError


class LeadSummarizer(SourceSummarizer):
    """The article's opening sentences: the strong news baseline, and instant."""

    method = "lead"

    def __init__(self, model: str | None = None, **kwargs: Any):
        if model is not None:
            raise InputError(f"the lead method uses no model (got {model!r}); drop --model")
        super().__init__(**kwargs)

    def pick(self, candidates: list[str], sentences: int | None, words: int | None) -> list[str]:
        return lead(candidates, sentences, words)


class ExtractiveSummarizer(SourceSummarizer):
    """Source sentences ranked by position-weighted centrality over sentence embeddings.

    ``model`` names the sentence embedder (a spec such as ``minilm``, or a local folder).
    """

    method = "extractive"

    def __init__(
        self, model: str | None = None, options: RankOptions | None = None, **kwargs: Any
    ):
        super().__init__(model=model or units.DEFAULT_EMBEDDER, **kwargs)
        self.embedder_model = self.model
        self.options = options or RankOptions()

    def pick(self, candidates: list[str], sentences: int | None, words: int | None) -> list[str]:
        embeddings = units.embed(self.embedder, candidates)
        return extract(candidates, embeddings, self.options, sentences, words)
