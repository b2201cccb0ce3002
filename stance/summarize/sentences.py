"""Sentence units shared by every summariser: splitting, near-duplicate removal, length budgets."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

_WORD = re.compile(r"\w+")

# Two sentences whose word sets overlap this much are treated as the same sentence
# (Daily Mail photo captions often repeat the next sentence almost word for word).
NEAR_DUPLICATE = 0.7
DEFAULT_EMBEDDER = "minilm"
# A first line this short, without final punctuation and followed by a blank line, is a title.
HEADLINE_MAX_WORDS = 20
_FINAL_PUNCTUATION = re.compile(r"[.!?…][\"'”’)\]]*$")
# "(CNN)", "(CNN) -- ", "(The Hollywood Reporter)" opening a wire story.
_OUTLET_TAG = re.compile(r"^\([A-Z][^()]{0,40}\)\s*(?:[-–—]+\s*)?")
_VIDEO_PROMPT = re.compile(r"\bScroll down for videos?\b\s*", re.IGNORECASE)


def split(text: str) -> list[str]:
    """The text's sentences, stripped, in order (the project's shared rule splitter)."""
    from stance.text.nlp import split_sentences

    return [text[start:end] for start, end in split_sentences(text)]


def headline(text: str) -> str | None:
    """The text's first line if it is a headline (short, unpunctuated, then a blank line)."""
    lines = text.lstrip().split("\n", 2)
    if len(lines) < 3 or lines[1].strip():
        return None
    title = lines[0].strip()
    if word_count(title) > HEADLINE_MAX_WORDS or _FINAL_PUNCTUATION.search(title):
        return None
    return title


def without_headline(text: str, source_sentences: list[str]) -> list[str]:
    """``source_sentences`` (the split of ``text``) minus a headline first line, if any.

    A text that is nothing but a headline keeps it, so there is always something to pick.
    """
    title = headline(text)
    top = split(title) if title else []
    if top and source_sentences[: len(top)] == top and len(source_sentences) > len(top):
        return source_sentences[len(top) :]
    return source_sentences


def without_boilerplate(source_sentences: list[str]) -> list[str]:
    """The sentences minus wire-service furniture: a leading ``(CNN)``-style outlet tag on
    the first sentence and Daily Mail "Scroll down for video" prompts (empty results dropped).
    """
    cleaned = [_VIDEO_PROMPT.sub("", sentence).strip() for sentence in source_sentences]
    if cleaned:
        cleaned[0] = _OUTLET_TAG.sub("", cleaned[0])
    return [sentence for sentence in cleaned if sentence]


def words(sentence: str) -> list[str]:
    return _WORD.findall(sentence.lower())


def word_count(sentence: str) -> int:
    return len(sentence.split())


def overlap(a: str, b: str) -> float:
    """Share of the smaller sentence's word set found in the other (containment)."""
    wa, wb = set(words(a)), set(words(b))
    if not wa or not wb:
        return 0.0
    return len(wa & wb) / min(len(wa), len(wb))


def is_near_duplicate(
    sentence: str, kept: Sequence[str], threshold: float = NEAR_DUPLICATE
) -> bool:
    return any(overlap(sentence, other) >= threshold for other in kept)


def dedupe(sentences: Sequence[str], threshold: float = NEAR_DUPLICATE) -> list[str]:
    """Drop sentences that repeat an earlier one (exactly or nearly), keeping order."""
    kept: list[str] = []
    for sentence in sentences:
        if sentence.strip() and not is_near_duplicate(sentence, kept, threshold):
            kept.append(sentence)
    return kept


def take_within_budget(
    ranked: Sequence[str],
    sentences: int | None = None,
    words_budget: int | None = None,
    enough_words: int | None = None,
) -> list[str]:
    """Take sentences in rank order, skipping near-duplicates, until the budget is met.

    ``sentences`` caps the count; ``words_budget`` caps the total words (the first sentence
    is always kept whole, never cut, so a summary is never empty or mid-sentence);
    ``enough_words`` stops early once the sentences taken reach that many words.
    """
    chosen: list[str] = []
    total = 0
    for sentence in ranked:
        if sentences is not None and len(chosen) >= sentences:
            break
        if is_near_duplicate(sentence, chosen):
            continue
        size = word_count(sentence)
        if words_budget is not None and chosen and total + size > words_budget:
            continue
        chosen.append(sentence)
        total += size
        if words_budget is not None and total >= words_budget:
            break
        if enough_words is not None and total >= enough_words:
            break
    return chosen


def embed(embedder: Any, texts: Sequence[str]) -> Any:
    """Unit-length sentence embeddings as a numpy array (rows follow ``texts``)."""
    return embedder.encode(
        list(texts), batch_size=32, convert_to_numpy=True, normalize_embeddings=True,
        show_progress_bar=False,
    )


def load_embedder(name: str = DEFAULT_EMBEDDER) -> Any:
    """The shared sentence embedder (MiniLM), loaded once per process by the backend."""
    from stance.backends.hf import load_embedder as backend_embedder

    return backend_embedder(name)
