"""Dependency-parse layer for reported speech (used only with spaCy, ``use_nlp=True``).

A cue verb (from the quote rules' lexicon) that heads a clause (the sentence's root, a
conjunct, or a complement, adverbial or relative clause) and has a nominal subject (its own,
or for a conjunct its head's) and a clausal complement reports what the subject said:
``the minister told reporters the plan would fail`` gives the complement as the content and
the subject as the speaker mention. The rule layer misses many of these when the subject or
the clause has an unusual shape; the parse finds them regardless of word order.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

# Subjects that are not reported speakers in news text (the writer, generic readers, things).
_NON_SPEAKERS = {"i", "we", "you", "it", "this", "that", "there", "which", "who", "what"}
# Parser components needed for dependency labels; NER and lemmas are not.
_PARSE_PIPES = ("tok2vec", "tagger", "parser")
MIN_CONTENT_WORDS = 4
# Longer "sentences" are run-on text (lists, tables) that the parser handles badly and slowly.
MAX_SENTENCE_CHARS = 1500
# Characters parsed per article at most, so that huge inputs keep a bounded cost.
PARSE_BUDGET = 500_000


@dataclass(frozen=True)
class ParsedReport:
    """Reported speech found by the parse, in article offsets."""

    start: int
    end: int
    subject: tuple[int, int]
    cue: tuple[int, int]
    subject_tree: tuple[int, int]  # the subject's whole subtree (modifiers, relative clauses)
    subject_head: str
    subject_tag: str  # Penn tag of the subject's head (``NNP``, ``PRP``, ``NNS`` …)
    # the name a described subject is given in apposition: ``Luna's lawyer, Jim Berry, …``
    subject_name: tuple[int, int] | None = None


def parsed_reports(
    text: str, nlp: Any, sentences: Iterable[tuple[int, int]], cues: set[str]
) -> list[ParsedReport]:
    """Reported-speech clauses of the given sentences (article offsets) from the parse.

    Overlong sentences are skipped, and parsing stops after ``PARSE_BUDGET`` characters.
    """
    spans = []
    used = 0
    for lo, hi in sentences:
        if hi - lo <= MAX_SENTENCE_CHARS and used + hi - lo <= PARSE_BUDGET:
            spans.append((lo, hi))
            used += hi - lo
    if not spans or "parser" not in nlp.pipe_names:
        return []
    enabled = [p for p in _PARSE_PIPES if p in nlp.pipe_names]
    out: list[ParsedReport] = []
    with nlp.select_pipes(enable=enabled):
        docs = nlp.pipe((text[lo:hi] for lo, hi in spans), batch_size=32)
        for (lo, _), doc in zip(spans, docs, strict=True):
            out.extend(_reports(doc, lo, cues))
    return out


def _reports(doc: Any, offset: int, cues: set[str]) -> list[ParsedReport]:
    """Reports in one parsed sentence starting at ``offset`` (negated cues are skipped)."""
    found = []
    for verb in doc:
        if verb.lower_ not in cues or not verb.tag_.startswith("VB"):
            continue
        if verb.dep_ not in ("ROOT", "conj", "ccomp", "advcl", "relcl"):
            continue
        subject = _subject(verb)
        clause = next((c for c in verb.children if c.dep_ == "ccomp" and c.i > verb.i), None)
        if subject is None or clause is None or subject.lower_ in _NON_SPEAKERS:
            continue
        if any(c.dep_ == "neg" for c in verb.children):
            continue
        # the clause without its ``that`` and punctuation; a wh-clause (``recalled how …``)
        # describes the speech rather than reporting it
        first, last = clause.left_edge, clause.right_edge
        while first.i < last.i and (first.dep_ == "mark" or first.is_punct):
            first = doc[first.i + 1]
        while last.i > first.i and last.is_punct:
            last = doc[last.i - 1]
        if last.i - first.i + 1 < MIN_CONTENT_WORDS or first.tag_.startswith("W"):
            continue
        found.append(
            ParsedReport(
                offset + first.idx,
                offset + _end(last),
                (offset + subject.left_edge.idx, offset + _end(subject)),
                (offset + verb.idx, offset + _end(verb)),
                (offset + subject.left_edge.idx, offset + _end(subject.right_edge)),
                subject.text,
                subject.tag_,
                _appositive_name(subject, offset),
            )
        )
    return found


def _appositive_name(subject: Any, offset: int) -> tuple[int, int] | None:
    """The proper name in apposition to a common-noun subject, in article offsets."""
    if subject.tag_ not in ("NN", "NNS"):
        return None
    name = next((c for c in subject.children if c.dep_ == "appos" and c.tag_ == "NNP"), None)
    if name is None or name.i < subject.i:
        return None
    return offset + name.left_edge.idx, offset + _end(name)


def _subject(verb: Any) -> Any:
    """The verb's nominal subject; a conjunct verb shares its head's (``X praised … and
    said …``, ``X was downcast, but said …``)."""
    subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    if subject is None and verb.dep_ == "conj":
        # "Vettel was downcast, but said …": the head's subject, even a passive one, speaks
        subject = next((c for c in verb.head.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    return subject


def _end(token: Any) -> int:
    return token.idx + len(token.text)
