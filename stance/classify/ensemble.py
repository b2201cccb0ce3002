"""An ensemble of stance classifiers: the weighted geometric mean of their label probabilities.

The measured combination (``eval/results/stance-notes.md``) is the MiniLM head, a linear probe
on Qwen 1.5B's hidden states, and Qwen 1.5B's zero-shot label scores under a per-article prior:
the head reads what a quote says, the language model reads it against the target, and their
errors differ.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from stance.classify.records import check_records, stances_from_rows
from stance.errors import InputError
from stance.types import Stance


def combine(probabilities: Sequence[Any], weights: Sequence[float] | None = None) -> Any:
    """Weighted geometric mean of label-probability rows (one array per member), renormalised."""
    import numpy as np

    weights = member_weights(len(probabilities), weights)
    logs = sum(w * np.log(np.clip(p, 1e-12, 1.0)) for w, p in zip(weights, probabilities,
                                                                   strict=True))
    logs = logs / sum(weights)
    logs -= logs.max(axis=1, keepdims=True)
    exp = np.exp(logs)
    return exp / exp.sum(axis=1, keepdims=True)


def member_weights(members: int, weights: Sequence[float] | None) -> list[float]:
    """The weights as a list (equal if None), checked: one per member, non-negative, not all 0."""
    if members < 1:
        raise InputError("an ensemble needs at least one member")
    chosen = [1.0] * members if weights is None else [float(w) for w in weights]
    if len(chosen) != members or min(chosen) < 0 or sum(chosen) <= 0:
        raise InputError(f"need one non-negative weight per member ({members}), got {chosen}")
    return chosen


def probability_rows(stances: Sequence[Stance], labels: Sequence[str]) -> Any:
    import numpy as np

    return np.array([[stance.scores[label] for label in labels] for stance in stances])


class EnsembleClassifier:
    """Members must predict the same labels; each sees the same records."""

    def __init__(self, members: Sequence[Any], weights: Sequence[float] | None = None,
                 name: str = "ensemble") -> None:
        self.weights = member_weights(len(members), weights)
        labels = members[0].labels
        for member in members[1:]:
            if member.labels != labels:
                raise InputError(
                    f"ensemble members predict different labels: {labels} and {member.labels}"
                )
        self.members = list(members)
        self.name = name

    @property
    def labels(self) -> list[str]:
        return self.members[0].labels

    def predict(self, records: Sequence[dict]) -> list[Stance]:
        check_records(records)
        if not records:
            return []
        rows = [probability_rows(member.predict(records), self.labels)
                for member in self.members]
        return stances_from_rows(self.labels, combine(rows, self.weights))
