"""Plain records that flow through the pipeline: text in, records out.

Nothing here imports anything of ours or anything heavy, so every layer
(and the CLI's ``--help``) can use these types for free.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Article:
    """One input document, exactly as read (offsets index into ``text``)."""

    doc: str
    text: str
    source: str | None = None
    title: str | None = None


@dataclass
class Stance:
    """A stance judgement: the label, its confidence and every label's score."""

    label: str
    confidence: float
    scores: dict[str, float] = field(default_factory=dict)


@dataclass
class Quote:
    """An attributed quote; ``text == article.text[start:end]``."""

    doc: str
    text: str
    start: int
    end: int
    speaker: str | None = None
    speaker_mention: str | None = None
    mention_start: int | None = None
    mention_end: int | None = None
    cue: str | None = None
    kind: str = "direct"
    stance: Stance | None = None
    target: str | None = None

    def to_dict(self) -> dict[str, Any]:
        record = asdict(self)
        stance = record.pop("stance")
        if stance is not None:
            record["stance"] = stance["label"]
            record["confidence"] = stance["confidence"]
            record["scores"] = stance["scores"]
        return record


@dataclass
class SpeakerStance:
    """Roll-up of one speaker's quotes: overall stance and the strongest evidence."""

    speaker: str
    stance: str
    confidence: float
    quotes: int
    label_counts: dict[str, int] = field(default_factory=dict)
    evidence: str | None = None


@dataclass
class FaithfulnessCheck:
    """How many names, numbers and quotations a summary has, and those its source lacks."""

    entities: int = 0
    numbers: int = 0
    quotations: int = 0
    unsupported_entities: list[str] = field(default_factory=list)
    unsupported_numbers: list[str] = field(default_factory=list)
    unsupported_quotations: list[str] = field(default_factory=list)

    @property
    def unsupported(self) -> list[str]:
        misquotes = [f"“{quote}”" for quote in self.unsupported_quotations]
        return self.unsupported_entities + self.unsupported_numbers + misquotes

    def __add__(self, other: FaithfulnessCheck) -> FaithfulnessCheck:
        return FaithfulnessCheck(
            self.entities + other.entities,
            self.numbers + other.numbers,
            self.quotations + other.quotations,
            self.unsupported_entities + other.unsupported_entities,
            self.unsupported_numbers + other.unsupported_numbers,
            self.unsupported_quotations + other.unsupported_quotations,
        )


@dataclass
class Summary:
    doc: str
    text: str
    method: str
    model: str | None = None
    chunks: int = 1
    repaired: int = 0
    check: FaithfulnessCheck = field(default_factory=FaithfulnessCheck)

    @property
    def unsupported(self) -> list[str]:
        """Names, numbers and quotations the final summary still fails to support."""
        return self.check.unsupported

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "unsupported": self.unsupported}


@dataclass
class Report:
    """Everything ``analyze`` knows about one article."""

    doc: str
    target: str | None
    summary: Summary | None
    quotes: list[Quote] = field(default_factory=list)
    speakers: list[SpeakerStance] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "doc": self.doc,
            "target": self.target,
            "summary": self.summary.to_dict() if self.summary else None,
            "quotes": [q.to_dict() for q in self.quotes],
            "speakers": [asdict(s) for s in self.speakers],
        }
