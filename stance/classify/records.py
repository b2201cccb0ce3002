"""Classifier input records: plain dicts with ``text``, ``speaker`` and optional
``target``, ``context``, ``doc`` (and ``label`` for training)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from stance.errors import InputError
from stance.types import Stance


def field_text(record: dict, key: str) -> str:
    value = record.get(key)
    return str(value).strip() if value is not None else ""


def check_records(
    records: Sequence[dict], need_label: bool = False, labels: Sequence[str] | None = None
) -> None:
    for i, record in enumerate(records):
        if not isinstance(record, dict) or not field_text(record, "text"):
            raise InputError(f"record {i}: expected a dict with a non-empty 'text' field")
        if need_label:
            label = record.get("label")
            if labels is not None and label not in labels:
                raise InputError(
                    f"record {i}: label {label!r} is not in the label set {list(labels)}; "
                    "pass the matching labelset"
                )


def stance_from_scores(scores: dict[str, float]) -> Stance:
    label = max(scores, key=scores.__getitem__)
    return Stance(label=label, confidence=float(scores[label]), scores=scores)


def stances_from_rows(labels: Sequence[str], rows: Any) -> list[Stance]:
    """One Stance per row of label probabilities (columns in ``labels`` order)."""
    return [stance_from_scores(dict(zip(labels, row.tolist(), strict=True))) for row in rows]


def article_batches(
    records: Sequence[dict], size: int = 32, limit: int = 256
) -> Iterator[list[dict]]:
    """Consecutive batches of at least ``size`` records that end where the ``doc`` changes, so
    per-article calibration sees a whole article; no batch exceeds ``limit``."""
    batch: list[dict] = []
    for record in records:
        doc_changes = bool(batch) and field_text(record, "doc") != field_text(batch[-1], "doc")
        if batch and (len(batch) >= limit or (len(batch) >= size and doc_changes)):
            yield batch
            batch = []
        batch.append(record)
    if batch:
        yield batch
