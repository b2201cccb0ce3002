"""Stance by entailment: an NLI model scores each label's hypothesis against the quote.

The premise is the attributed quote; each label's ``hypothesis`` template (``{target}``
filled in) is a hypothesis. Entailment logits are normalised across labels.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from stance.classify.labelsets import Labelset
from stance.classify.records import check_records, field_text, stances_from_rows
from stance.errors import ModelError
from stance.types import Stance

DEFAULT_TARGET = "the issue at hand"


class NLIClassifier:
    def __init__(
        self,
        model: Any,
        tokenizer: Any,
        labelset: Labelset,
        name: str = "nli",
        batch_size: int = 16,
        use_context: bool = False,
    ) -> None:
        self.model = model.eval()
        self.tokenizer = tokenizer
        self.labelset = labelset
        self.name = name
        self.batch_size = batch_size
        self.use_context = use_context
        self.entailment = entailment_index(model.config)

    @property
    def labels(self) -> list[str]:
        return self.labelset.names

    def premise(self, record: dict) -> str:
        speaker = field_text(record, "speaker") or "The speaker"
        text = f'{speaker} said: "{field_text(record, "text")}"'
        context = field_text(record, "context")
        return f"{context} {text}" if self.use_context and context else text

    def hypotheses(self, record: dict) -> list[str]:
        target = field_text(record, "target") or DEFAULT_TARGET
        return [label.hypothesis.format(target=target, label=label.name)
                for label in self.labelset.labels]

    def predict(self, records: Sequence[dict]) -> list[Stance]:
        import torch

        check_records(records)
        pairs = [(self.premise(r), h) for r in records for h in self.hypotheses(r)]
        logits = []
        with torch.inference_mode():
            for start in range(0, len(pairs), self.batch_size):
                chunk = pairs[start : start + self.batch_size]
                batch = self.tokenizer(
                    [p for p, _ in chunk],
                    [h for _, h in chunk],
                    padding=True,
                    truncation=True,
                    max_length=256,
                    return_tensors="pt",
                )
                logits.append(self.model(**batch).logits[:, self.entailment].float())
        if not pairs:
            return []
        k = len(self.labels)
        probs = torch.softmax(torch.cat(logits).view(len(records), k), dim=-1)
        return stances_from_rows(self.labels, probs)


def entailment_index(config: Any) -> int:
    for index, name in (getattr(config, "id2label", None) or {}).items():
        if str(name).lower().startswith("entail"):
            return int(index)
    raise ModelError(
        "the NLI model's config has no 'entailment' label in id2label; "
        "use a model fine-tuned on MNLI/SNLI-style data"
    )
