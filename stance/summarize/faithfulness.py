"""Check every number, named entity and quotation in a summary against its source, and repair.

A number is supported when its value (after normalisation: "2,400" = "2400",
"thirteen" = "13", "£2.5million" = "2.5" or "2500000", "13%" = "13 per cent") occurs in
the source. A named entity is supported when each of its content words occurs in the
source, ignoring case and possessives, and allowing a shared stem for inflected names
("Ukrainian" / "Ukraine"). Words a summary puts in quotation marks must be the source's own
words, in order (compared on letters and digits only; an ellipsis may join pieces of a
longer quote): a reworded quote is a misquote. Unsupported sentences are replaced by the
closest source sentence by embedding similarity.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from stance.summarize import sentences as units
from stance.types import FaithfulnessCheck

# Entity types checked by their words; numeric types are checked by value instead.
ENTITY_LABELS = frozenset(
    {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW",
     "LANGUAGE", "DATE", "TIME"}
)
STEM_MIN = 5

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}
_ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12,
}
_SCALES = {
    "hundred": 100, "thousand": 1_000, "k": 1_000, "million": 1_000_000, "m": 1_000_000,
    "mn": 1_000_000, "billion": 1_000_000_000, "bn": 1_000_000_000, "b": 1_000_000_000,
    "trillion": 10**12, "tn": 10**12, "dozen": 12,
}
_NUMBER_WORDS = "|".join(sorted({*_UNITS, *_TENS, *_ORDINALS, "dozen"}, key=len, reverse=True))
_SCALE_WORDS = "|".join(sorted(_SCALES, key=len, reverse=True))
_NUMBER = re.compile(
    rf"(?<![\w.])(?P<digits>\d[\d,]*(?:\.\d+)?)(?:st|nd|rd|th)?"
    rf"(?:\s?(?P<dscale>{_SCALE_WORDS})\b)?"
    rf"|\b(?P<words>(?:{_NUMBER_WORDS})(?:[- ](?:{_NUMBER_WORDS}))?)"
    rf"(?:\s(?P<wscale>hundred|thousand|million|billion|trillion))?\b",
    re.IGNORECASE,
)
# Function words, titles, PTB bracket tokens and generic time words: an entity such as
# "72-year-old" or "around 9 pm" is judged by its number and its specific words only.
_STOP = frozenset(
    "the a an of and or in on at to for by with from de la le van von der du mr mrs ms dr "
    "st this that these those last next lrb rrb lsb rsb lcb rcb year years old aged day days "
    "week weeks month months hour hours minute minutes ago am pm around about between nearly "
    "almost more than early late earlier later this".split()
)
_ALNUM = re.compile(r"[^\W\d_]+|\d+")
_ELLIPSIS = re.compile(r"\.\s?\.\s?\.|…")


def _words(text: str) -> list[str]:
    """Lower-cased words with digits and letters apart ("9pm" -> "9", "pm")."""
    return _ALNUM.findall(text.lower())


def _letters(text: str) -> str:
    """Only the letters and digits, lower-cased: how quotations are compared, so that marks,
    punctuation and tokenisation ("do n't" for "don't") do not matter."""
    return "".join(_ALNUM.findall(text.lower()))


def quotations(text: str) -> list[str]:
    """The words ``text`` puts between quotation marks (any style), outermost only."""
    from stance.text.marks import paragraphs, scan_paragraph

    found = []
    for lo, hi in paragraphs(text):
        for span in scan_paragraph(text, lo, hi):
            inner = text[span.inner[0]:span.inner[1]]
            if span.closed and _ALNUM.search(inner):
                found.append(inner)
    return found


def _word_value(phrase: str) -> float:
    total = 0
    for part in re.split(r"[- ]", phrase.lower()):
        if part in _TENS:
            total += _TENS[part]
        elif part in _UNITS:
            total += _UNITS[part]
        elif part in _ORDINALS:
            total += _ORDINALS[part]
        elif part == "dozen":
            total = (total or 1) * 12
    return float(total)


def number_mentions(text: str) -> list[tuple[str, set[float]]]:
    """Each number in ``text`` with the values it may stand for (bare and scaled)."""
    mentions = []
    for match in _NUMBER.finditer(text):
        if match.group("digits"):
            raw = match.group("digits").rstrip(",")
            try:
                value = float(raw.replace(",", ""))
            except ValueError:
                continue
            scale = match.group("dscale")
        else:
            value = _word_value(match.group("words"))
            scale = match.group("wscale")
        values = {value}
        if scale:
            values.add(value * _SCALES[scale.lower()])
        mentions.append((match.group(0).strip(), values))
    return mentions


def _content_words(text: str) -> list[str]:
    return [w for w in _words(text) if w not in _STOP and w != "s" and not w.isdigit()]


class Source:
    """The source's words, word stems and number values, indexed once per article."""

    def __init__(self, text: str):
        self.letters = _letters(text)
        self.words = set(_words(text))
        self.stems = {w[:k] for w in self.words for k in range(STEM_MIN, len(w) + 1)}
        self.values: set[float] = set()
        for _, values in number_mentions(text):
            self.values |= values

    def has_word(self, word: str) -> bool:
        if word in self.words:
            return True
        if len(word) < STEM_MIN:
            return False
        return word[: max(STEM_MIN, len(word) - 3)] in self.stems

    def supports_entity(self, entity: str) -> bool:
        return all(self.has_word(w) for w in _content_words(entity))

    def supports_number(self, values: set[float]) -> bool:
        return bool(values & self.values)

    def supports_quote(self, quote: str) -> bool:
        return all(piece in self.letters for piece in map(_letters, _ELLIPSIS.split(quote)))


def check(summary: str, source: str | Source, nlp: Any = None) -> FaithfulnessCheck:
    """Count the text's entities, numbers and quotations and list those the source does not
    support."""
    from stance.text.nlp import load_nlp

    index = source if isinstance(source, Source) else Source(source)
    doc = (nlp or load_nlp())(summary)
    result = FaithfulnessCheck()
    for ent in doc.ents:
        if ent.label_ not in ENTITY_LABELS or not _content_words(ent.text):
            continue
        result.entities += 1
        if not index.supports_entity(ent.text):
            result.unsupported_entities.append(ent.text)
    for text, values in number_mentions(summary):
        result.numbers += 1
        if not index.supports_number(values):
            result.unsupported_numbers.append(text)
    for quote in quotations(summary):
        result.quotations += 1
        if not index.supports_quote(quote):
            result.unsupported_quotations.append(quote)
    return result


def check_sentences(
    sentences: Sequence[str], source: str | Source, nlp: Any = None
) -> FaithfulnessCheck:
    """``check`` of each sentence, added up: how every summary is checked, so that the
    counts of a summary and of its repair agree."""
    index = source if isinstance(source, Source) else Source(source)
    return sum((check(s, index, nlp) for s in sentences), FaithfulnessCheck())


@dataclass
class Repair:
    sentences: list[str]
    repaired: int
    check: FaithfulnessCheck


def repair(
    summary_sentences: Sequence[str],
    source_sentences: Sequence[str],
    source: str | Source,
    embedder: Any,
    nlp: Any = None,
) -> Repair:
    """Replace each sentence with an unsupported entity, number or quotation by its closest
    source sentence.

    A replacement already in the summary (or near-duplicating it) is skipped for the next
    closest one, and a sentence with no distinct replacement is dropped; ``repaired`` counts
    both. ``check`` is the final sentences' check.
    """
    index = source if isinstance(source, Source) else Source(source)
    checks = [check(s, index, nlp) for s in summary_sentences]
    flagged = [bool(c.unsupported) for c in checks]
    if not any(flagged) or not source_sentences:
        return Repair(list(summary_sentences), 0, sum(checks, FaithfulnessCheck()))
    import numpy as np

    bad = [s for s, f in zip(summary_sentences, flagged, strict=True) if f]
    similarity = units.embed(embedder, bad) @ units.embed(embedder, source_sentences).T
    good = [s for s, f in zip(summary_sentences, flagged, strict=True) if not f]
    out: list[str] = []
    repaired = 0
    rows = iter(similarity)
    for sentence, is_bad in zip(summary_sentences, flagged, strict=True):
        if not is_bad:
            out.append(sentence)
            continue
        row = next(rows)
        for j in np.argsort(-row, kind="stable"):
            candidate = source_sentences[int(j)]
            if not units.is_near_duplicate(candidate, out + good):
                out.append(candidate)
                break
        repaired += 1
    out = units.dedupe(out)
    # sentences kept as they were are not checked again; only the replacements are new
    kept = {s: c for s, c in zip(summary_sentences, checks, strict=True) if not c.unsupported}
    final = sum((kept.get(s) or check(s, index, nlp) for s in out), FaithfulnessCheck())
    return Repair(out, repaired, final)
