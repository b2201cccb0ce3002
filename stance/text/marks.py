"""Quotation-mark scanning: which marks open and close a quotation, per paragraph.

The scanner never fails: stray or unbalanced marks are resolved best effort. An opening
mark left open at the end of a paragraph yields a span to the paragraph end (the
multi-paragraph convention, where only the last paragraph closes the quotation).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

OPENERS = "“«„"
CLOSERS = "”»"
STRAIGHT = '"'
SINGLE_OPEN = "‘‹"
SINGLE_CLOSE = "’›"
DOUBLE_MARKS = OPENERS + CLOSERS + STRAIGHT
ALL_MARKS = DOUBLE_MARKS + SINGLE_OPEN + SINGLE_CLOSE + "'"
_OPEN_CONTEXT = "([{—–-/:;,"
# Longest text a stray closing mark may close as a paragraph whose opener was left out.
MAX_CONTINUATION = 1200
_DOUBLE_RE = re.compile(r"‘‘|‘’(?=\w)|’’|''|[" + re.escape(DOUBLE_MARKS) + "]")
_SINGLE_RE = re.compile("[" + re.escape(SINGLE_OPEN + SINGLE_CLOSE + "'") + "]")


@dataclass
class MarkSpan:
    """One quotation: ``open`` is the opening mark offset, ``close`` the closing mark's
    offset (or the paragraph end when unclosed)."""

    open: int
    close: int
    closed: bool
    single: bool = False
    open_width: int = 1  # 2 for a doubled mark ('' or ’’ typed for “ or ”)
    close_width: int = 1

    @property
    def inner(self) -> tuple[int, int]:
        return self.open + self.open_width, self.close

    @property
    def outer(self) -> tuple[int, int]:
        return self.open, self.close + self.close_width if self.closed else self.close


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Non-empty line spans (each newline-delimited line is a paragraph)."""
    spans = []
    pos = 0
    for line in text.split("\n"):
        s, e = pos, pos + len(line)
        pos = e + 1
        if line.strip():
            lead = len(line) - len(line.lstrip())
            trail = len(line) - len(line.rstrip())
            spans.append((s + lead, e - trail))
    return spans


def _role(text: str, i: int, lo: int, hi: int) -> str:
    """'open', 'close' or '?' for a straight double quote from its neighbours."""
    prev = text[i - 1] if i > lo else " "
    nxt = text[i + 1] if i + 1 < hi else " "
    prev_open = prev.isspace() or prev in _OPEN_CONTEXT or prev in OPENERS + SINGLE_OPEN
    next_space = nxt.isspace() or nxt in ".,;:!?)]}—–-" or nxt in CLOSERS + SINGLE_CLOSE
    if prev_open and not next_space:
        return "open"
    if next_space and (not prev_open or prev in ",;:"):
        return "close"  # '…veterans," said' closes even after a comma
    return "?"


def _role2(text: str, s: int, e: int, lo: int, hi: int) -> str:
    """Like ``_role`` for a two-character mark ``text[s:e]``."""
    prev = text[s - 1] if s > lo else " "
    nxt = text[e] if e < hi else " "
    prev_open = prev.isspace() or prev in _OPEN_CONTEXT or prev in OPENERS
    next_space = nxt.isspace() or nxt in ".,;:!?)]}—–-" or nxt in CLOSERS
    if prev_open and not next_space:
        return "open"
    if next_space and not prev_open:
        return "close"
    return "?"


def scan_double(text: str, lo: int, hi: int) -> list[MarkSpan]:
    """Double-quote spans inside one paragraph ``text[lo:hi]``."""
    spans: list[MarkSpan] = []
    open_at: int | None = None
    open_width = 1
    for m in _DOUBLE_RE.finditer(text, lo, hi):
        i = m.start()
        ch = text[i]
        width = m.end() - i
        doubled = width == 2  # ‘‘ ’’ '' typed for “ ” "
        context = _role(text, i, lo, hi) if not doubled else _role2(text, i, m.end(), lo, hi)
        if ch == STRAIGHT or ch == "'":
            role = context
            if role == "?":
                role = "close" if open_at is not None else "open"
        elif ch in OPENERS or ch == "‘":
            role = "open"
            # a curly opener used as a closer: followed by space/punctuation while open
            if open_at is not None and context == "close":
                role = "close"
        else:
            role = "close"
            if open_at is None and context == "open":
                role = "open"
        if role == "open":
            if open_at is not None:
                # an opener while open: the previous quotation was never closed
                end = i
                while end > open_at + open_width and text[end - 1].isspace():
                    end -= 1
                spans.append(MarkSpan(open_at, end, False, open_width=open_width))
            open_at, open_width = i, width
        else:
            if open_at is not None:
                spans.append(MarkSpan(open_at, i, True, open_width=open_width, close_width=width))
                open_at = None
            elif not spans and 1 < i - lo <= MAX_CONTINUATION and not _has_marks(text, lo, i):
                # stray closer: a continuation paragraph whose opener was omitted (not a
                # whole article whose breaks were lost, nor the end of a single quotation)
                spans.append(MarkSpan(lo - 1, i, True, close_width=width))
    if open_at is not None and hi - open_at > open_width:
        spans.append(MarkSpan(open_at, hi, False, open_width=open_width))
    return [s for s in spans if s.inner[1] > s.inner[0]]


def _has_marks(text: str, lo: int, hi: int) -> bool:
    """Whether ``text[lo:hi]`` holds a double mark or a single opening mark."""
    return any(c in DOUBLE_MARKS for c in text[lo:hi]) or any(
        _is_single_open(text, i, lo, hi) for i in range(lo, hi) if text[i] in SINGLE_OPEN + "'")


def _is_single_open(text: str, i: int, lo: int, hi: int) -> bool:
    ch = text[i]
    if ch not in SINGLE_OPEN and ch != "'":
        return False
    prev = text[i - 1] if i > lo else " "
    nxt = text[i + 1] if i + 1 < hi else " "
    if not (prev.isspace() or prev in _OPEN_CONTEXT or prev in OPENERS or prev == '"'):
        return False
    return nxt.isalpha() or nxt in "$“\"("


def _is_single_close(text: str, i: int, lo: int, hi: int) -> bool:
    ch = text[i]
    if ch not in SINGLE_CLOSE and ch != "'":
        return False
    prev = text[i - 1] if i > lo else " "
    nxt = text[i + 1] if i + 1 < hi else " "
    if prev.isspace():
        return False
    return not nxt.isalnum()  # don’t, Taliban’s


def scan_single(text: str, lo: int, hi: int, taken: list[tuple[int, int]]) -> list[MarkSpan]:
    """Single-quote spans in ``text[lo:hi]`` that do not start inside a ``taken``
    (double-quoted) range.

    An opener needs a matching closer in the same paragraph; otherwise the mark is an
    apostrophe ('90s, ’em) and is ignored. A span may hold a double quotation ('‘… the saying
    “grow old gracefully” but …’') when it closes within ``_NESTED_REACH`` characters, after
    punctuation ("… it.’"), so that a stray ’em before a quotation does not pair with a
    plural possessive after it (the Giants’ loss).
    """
    spans: list[MarkSpan] = []
    marks = [m.start() for m in _SINGLE_RE.finditer(text, lo, hi)]
    ti = 0
    k = 0
    # an opener that found no closer before the next double quotation proves that none after
    # it, up to that quotation, will: skipping them keeps a paragraph of stray marks linear
    unclosed_until = -1
    while k < len(marks):
        i = marks[k]
        k += 1
        while ti < len(taken) and taken[ti][1] <= i:
            ti += 1
        if ti < len(taken) and taken[ti][0] <= i:
            continue
        if i < unclosed_until or not _is_single_open(text, i, lo, hi):
            continue
        next_double = taken[ti][0] if ti < len(taken) else hi
        limit = max(next_double, min(hi, i + _NESTED_REACH))
        unclosed_until = next_double
        inner = ti
        for n in range(k, len(marks)):
            j = marks[n]
            if j >= limit:
                break
            while inner < len(taken) and taken[inner][1] <= j:
                inner += 1
            if inner < len(taken) and taken[inner][0] <= j:
                continue  # a mark inside a nested double quotation
            if j > next_double and text[j - 1] not in _CLOSING_PUNCTUATION:
                continue  # past a double quotation, only a closer after punctuation counts
            if j > i + 1 and _is_single_close(text, j, lo, hi):
                spans.append(MarkSpan(i, j, True, single=True))
                k = n + 1
                unclosed_until = -1
                break
            if _reopens(text, j, lo, hi):
                # "‘… opportunity. ‘But …": a quotation that ran over paragraphs whose breaks
                # were lost; the piece so far ends unclosed and the next one opens here
                end = j
                while end > i + 1 and text[end - 1].isspace():
                    end -= 1
                spans.append(MarkSpan(i, end, False, single=True))
                k = n
                unclosed_until = -1
                break
    return spans


_NESTED_REACH = 600
_CLOSING_PUNCTUATION = ".!?,;:…" + CLOSERS + STRAIGHT  # also a nested quotation's close


def _reopens(text: str, j: int, lo: int, hi: int) -> bool:
    """A single opener right after a sentence end inside an open single quotation."""
    return (
        _is_single_open(text, j, lo, hi)
        and j - 2 >= lo
        and text[j - 1] == " "
        and text[j - 2] in ".!?"
    )


def scan_paragraph(text: str, lo: int, hi: int) -> list[MarkSpan]:
    """All top-level quotation spans in one paragraph, ordered by offset."""
    doubles = scan_double(text, lo, hi)
    taken = [s.outer for s in doubles]
    singles = scan_single(text, lo, hi, taken) if any(
        c in text[lo:hi] for c in SINGLE_OPEN + "'"
    ) else []
    if singles:
        # doubles inside a single-quoted span are part of it (spans are ordered, disjoint)
        opens = [s.open for s in singles]

        def nested(d: MarkSpan) -> bool:
            k = bisect.bisect_left(opens, d.open) - 1
            return k >= 0 and d.outer[1] <= singles[k].outer[1]

        doubles = [d for d in doubles if not nested(d)]
    return sorted(doubles + singles, key=lambda s: s.open)
