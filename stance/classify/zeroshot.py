"""Zero-shot stance by causal-LM label scoring.

Quotes of one article share a prompt prefix (instructions, target, label descriptions and the
label set's examples). The prefix runs once; its key/value cache is reused for every quote and
cropped back after each, so a quote costs only its own tokens plus its label tokens.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from stance.classify.labelsets import Labelset
from stance.classify.records import check_records, field_text, stance_from_scores
from stance.errors import InputError
from stance.types import Stance

CALIBRATIONS = ("none", "content_free", "article_prior")
DEFAULT_TARGET = "the issue at hand"
MIN_PRIOR_QUOTES = 3  # fewer quotes than this give no usable per-article prior


class ZeroShotClassifier:
    """Scores ``log p(label word | prompt)`` for each label and normalises over labels."""

    def __init__(
        self,
        model: Any,
        tokenizer: Any,
        labelset: Labelset,
        name: str = "zeroshot",
        calibration: str = "none",
        shots: bool = True,
        max_context_chars: int = 400,
    ) -> None:
        if calibration not in CALIBRATIONS:
            raise InputError(f"unknown calibration {calibration!r}; choose from {CALIBRATIONS}")
        self.model = model.eval()
        self.tokenizer = tokenizer
        self.labelset = labelset
        self.name = name
        self.calibration = calibration
        self.shots = shots
        self.max_context_chars = max_context_chars
        self.label_ids = [self._ids(" " + label) for label in labelset.names]
        if any(not ids for ids in self.label_ids):
            raise InputError("a label encodes to no tokens with this tokenizer; rename it")

    @property
    def labels(self) -> list[str]:
        return self.labelset.names

    def _ids(self, text: str) -> list[int]:
        return list(self.tokenizer(text, add_special_tokens=False)["input_ids"])

    def prefix(self, target: str) -> str:
        lines = [
            "Classify the stance a speaker takes toward the target in a news quote.",
            f"Target: {target}",
            "Labels:",
            *(f"- {label.name}: {label.description}" for label in self.labelset.labels),
            "",
        ]
        if self.shots:
            for label in self.labelset.labels:
                for example in label.examples:
                    lines += [f'Quote: "{example}"', f"Stance: {label.name}", ""]
        return "\n".join(lines) + "\n"

    def suffix(self, record: dict, target: str) -> str:
        speaker = field_text(record, "speaker") or "The speaker"
        context = field_text(record, "context")[: self.max_context_chars]
        lines = [f"Speaker: {speaker}"]
        if context:
            lines.append(f"Context: {context}")
        lines += [f'Quote: "{field_text(record, "text")}"', f"Stance toward {target}:"]
        return "\n".join(lines)

    def predict(self, records: Sequence[dict]) -> list[Stance]:
        return self.predict_calibrations(records, (self.calibration,))[self.calibration]

    def predict_calibrations(
        self, records: Sequence[dict], calibrations: Sequence[str] = CALIBRATIONS
    ) -> dict[str, list[Stance]]:
        """Stances under each calibration from one scoring pass (for comparing them)."""
        out: dict[str, list[Any]] = {c: [None] * len(records) for c in calibrations}
        for indices, rows, blank in self._groups(records, "content_free" in calibrations):
            for calibration in calibrations:
                for i, row in zip(indices, calibrate(rows, blank, calibration), strict=True):
                    scores = dict(zip(self.labels, row.tolist(), strict=True))
                    out[calibration][i] = stance_from_scores(scores)
        return out

    def _groups(
        self, records: Sequence[dict], content_free: bool
    ) -> Iterator[tuple[list[int], Any, Any]]:
        """Per (article, target): record indices, label log-probability rows and the
        content-free row (if asked); the prefix runs once per group."""
        import numpy as np
        import torch

        check_records(records)
        groups: dict[tuple[str, str], list[int]] = {}
        for i, record in enumerate(records):
            target = field_text(record, "target") or DEFAULT_TARGET
            groups.setdefault((field_text(record, "doc"), target), []).append(i)
        with torch.inference_mode():
            for (_, target), indices in groups.items():
                prefix_ids = list(self.tokenizer(self.prefix(target))["input_ids"])
                result = self.model(input_ids=torch.tensor([prefix_ids]), use_cache=True)
                cache, length = result.cache, len(prefix_ids)
                rows = np.array(
                    [self._score_one(cache, length, self.suffix(records[i], target))
                     for i in indices]
                )
                blank = None
                if content_free:
                    blank = self._score_one(cache, length, self.suffix({"text": "N/A"}, target))
                yield indices, rows, blank

    def _score_one(self, cache: Any, length: int, text: str) -> Any:
        """Log-probability of each label's tokens after ``text``; leaves the cache as found."""
        import numpy as np
        import torch

        ids = self._ids(text)
        logits = self.model(input_ids=torch.tensor([ids]), cache=cache).logits
        first = torch.log_softmax(logits[0, -1].float(), dim=-1)
        scores = []
        for label_ids in self.label_ids:
            score = float(first[label_ids[0]])
            if len(label_ids) > 1:
                rest = self.model(
                    input_ids=torch.tensor([label_ids[:-1]]), cache=cache
                ).logits
                log_probs = torch.log_softmax(rest[0].float(), dim=-1)
                score += float(sum(log_probs[j, t] for j, t in enumerate(label_ids[1:])))
                _crop(cache, length + len(ids))
            scores.append(score)
        _crop(cache, length)
        return np.array(scores)


def _crop(cache: Any, length: int) -> None:
    """Drop cached positions beyond ``length`` (``crop`` takes a negative count to remove)."""
    extra = cache.get_seq_length() - length
    if extra > 0:
        cache.crop(-extra)


def calibrate(rows: Any, blank: Any, calibration: str) -> Any:
    """Label probabilities from log-probability rows: raw, divided by the content-free
    probabilities, or divided by the article's mean prediction (a per-article prior,
    used only when the article has at least ``MIN_PRIOR_QUOTES`` quotes)."""
    import numpy as np

    if calibration == "content_free":
        rows = rows - _log_softmax(blank)
    elif calibration == "article_prior" and len(rows) >= MIN_PRIOR_QUOTES:
        rows = rows - _log_softmax(rows).mean(axis=0)
    return np.exp(_log_softmax(rows))


def _log_softmax(rows: Any) -> Any:
    import numpy as np

    shifted = rows - rows.max(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))
