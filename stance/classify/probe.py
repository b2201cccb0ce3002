"""A linear probe on a causal LM's hidden states of a target-conditioned prompt.

Each quote becomes one chat prompt (target, speaker, optional context, quote, and the question
"open to, cautious about, or neutral toward <target>?") ending in the assistant's first words
"The speaker is". Features are the decoder-layer outputs at the last prompt token (and, if
asked, mean-pooled over the quote's tokens) at chosen layers, optionally with the next-token
log-probabilities of the label words. A standardised logistic regression maps them to labels.

Only the layers up to the deepest one used are run (a hook stops the forward pass there);
the label log-probabilities need every layer, but the LM head runs on the last token only.

Saved without pickle: ``probe.safetensors`` (coef, intercept, mean, scale) and ``probe.json``
(labels, model name, layers, prompt version, pooling, training-data hash).
"""

from __future__ import annotations

import contextlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from stance.classify.head import _fit_logistic, records_hash
from stance.classify.labelsets import Labelset, labelset_from_dict, load_labelset
from stance.classify.records import check_records, field_text, stances_from_rows
from stance.classify.saved import read_arrays, save_arrays
from stance.errors import InputError, ModelError
from stance.types import Stance

KIND = "probe"
FORMAT_VERSION = 1
PROMPTS = ("v1", "v1-short")
POOLINGS = ("last", "last+mean")
DEFAULT_TARGET = "the issue at hand"
DEFAULT_MODEL = "qwen-0.5b"
DEFAULT_LAYERS = (12,)
ANSWER_PREFIX = "The speaker is"


@dataclass(frozen=True)
class FeatureSpec:
    """What to extract: 1-based decoder layers, pooling, prompt, context length, label scores."""

    layers: tuple[int, ...] = DEFAULT_LAYERS
    pooling: str = "last+mean"
    prompt: str = "v1-short"
    max_context_chars: int = 250
    label_scores: bool = False

    def check(self) -> None:
        if self.prompt not in PROMPTS:
            raise InputError(f"unknown probe prompt {self.prompt!r}; choose from {PROMPTS}")
        if self.pooling not in POOLINGS:
            raise InputError(f"unknown probe pooling {self.pooling!r}; choose from {POOLINGS}")
        if not self.layers or min(self.layers) < 1:
            raise InputError(f"probe layers must be 1-based decoder layers, got {self.layers}")

    def to_dict(self) -> dict[str, Any]:
        return {
            "layers": list(self.layers),
            "pooling": self.pooling,
            "prompt": self.prompt,
            "max_context_chars": self.max_context_chars,
            "label_scores": self.label_scores,
        }


# The record fields a probe prompt reads (``_question``): equal fields, equal features.
PROMPT_FIELDS = ("text", "speaker", "target", "context")


def _question(record: dict, spec: FeatureSpec) -> tuple[str, str]:
    """The user message and the quote exactly as it appears in it."""
    target = field_text(record, "target") or DEFAULT_TARGET
    speaker = field_text(record, "speaker") or "The speaker"
    quote = field_text(record, "text")
    context = field_text(record, "context")[: spec.max_context_chars]
    lines = [f"Target: {target}", f"Speaker: {speaker}"]
    if context and spec.prompt == "v1":
        lines.append(f"Context: ...{context}")
    lines.append(f'Quote: "{quote}"')
    lines.append(
        f"Is the speaker open to, cautious about, or neutral toward {target}? "
        "Answer with one word."
    )
    return "\n".join(lines), quote


def build_prompt(record: dict, tokenizer: Any, spec: FeatureSpec) -> tuple[str, int, int]:
    """Prompt text and the character span of the quote inside it."""
    user, quote = _question(record, spec)
    messages = [{"role": "system", "content": "You judge stance in news quotes."},
                {"role": "user", "content": user}]
    if getattr(tokenizer, "chat_template", None):
        head = tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=True)
    else:
        head = "".join(f"{m['role']}: {m['content']}\n" for m in messages) + "assistant: "
    text = head + ANSWER_PREFIX
    start = text.index(f'Quote: "{quote}"') + len('Quote: "')
    return text, start, start + len(quote)


class _Stop(Exception):
    """Raised by the hook on the deepest needed layer to end the forward pass early."""


def _decoder_layers(model: Any) -> Any:
    inner = getattr(model, "model", model)
    layers = getattr(inner, "layers", None)
    if layers is None:
        raise ModelError("probe needs a decoder-only model with model.model.layers (Qwen2, Llama)")
    return layers


def label_token_ids(tokenizer: Any, labels: Sequence[str]) -> list[int]:
    """First token of `` <label>`` per label (the word after "The speaker is")."""
    ids = []
    for label in labels:
        encoded = tokenizer(" " + label, add_special_tokens=False)["input_ids"]
        if not encoded:
            raise InputError(f"label {label!r} encodes to no tokens with this tokenizer")
        ids.append(int(encoded[0]))
    return ids


def extract_features(
    model: Any,
    tokenizer: Any,
    records: Sequence[dict],
    spec: FeatureSpec,
    labels: Sequence[str] = (),
    batch_size: int = 8,
) -> Any:
    """One float32 feature row per record: per layer the last-token state (and the quote-token
    mean), then the label words' next-token log-probabilities if ``spec.label_scores``."""
    import numpy as np
    import torch

    spec.check()
    layers = _decoder_layers(model)
    if max(spec.layers) > len(layers):
        raise InputError(f"probe layer {max(spec.layers)} > the model's {len(layers)} layers")
    wanted = sorted(set(spec.layers))
    deepest = len(layers) if spec.label_scores else max(wanted)
    label_ids = label_token_ids(tokenizer, labels) if spec.label_scores else []
    pad_id = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else 0
    captured: dict[int, Any] = {}

    def hook_for(number: int):
        def hook(_module: Any, _args: Any, output: Any) -> None:
            captured[number] = output[0] if isinstance(output, tuple) else output
            if number == deepest:
                raise _Stop

        return hook

    hooks = [layers[n - 1].register_forward_hook(hook_for(n)) for n in {*wanted, deepest}]
    rows = []
    try:
        with torch.inference_mode():
            for begin in range(0, len(records), batch_size):
                batch = records[begin : begin + batch_size]
                prompts = [build_prompt(r, tokenizer, spec) for r in batch]
                encoded = [
                    tokenizer(text, add_special_tokens=False, return_offsets_mapping=True)
                    for text, _, _ in prompts
                ]
                width = max(len(e["input_ids"]) for e in encoded)
                ids = torch.full((len(batch), width), pad_id, dtype=torch.long)
                mask = torch.zeros((len(batch), width), dtype=torch.long)
                quote_mask = torch.zeros((len(batch), width), dtype=torch.float32)
                for i, (e, (_, qs, qe)) in enumerate(zip(encoded, prompts, strict=True)):
                    n = len(e["input_ids"])
                    ids[i, :n] = torch.tensor(e["input_ids"])
                    mask[i, :n] = 1
                    for j, (s, t) in enumerate(e["offset_mapping"]):
                        if t > qs and s < qe:
                            quote_mask[i, j] = 1.0
                last = mask.sum(dim=1) - 1  # right padding: the last real token
                captured.clear()
                with contextlib.suppress(_Stop):
                    model(input_ids=ids, attention_mask=mask, use_cache=False)
                picked = torch.arange(len(batch))
                blocks = []
                for n in spec.layers:
                    states = captured[n].float()
                    blocks.append(states[picked, last])
                    if spec.pooling == "last+mean":
                        weights = quote_mask / quote_mask.sum(dim=1, keepdim=True).clamp(min=1)
                        blocks.append(torch.einsum("bt,btd->bd", weights, states))
                if spec.label_scores:  # the LM head on the last token only
                    final = getattr(model, "model", model).norm(captured[deepest][picked, last])
                    logits = model.get_output_embeddings()(final).float()
                    blocks.append(torch.log_softmax(logits, dim=-1)[:, label_ids])
                rows.append(torch.cat(blocks, dim=1).numpy())
    finally:
        for handle in hooks:
            handle.remove()
    return np.concatenate(rows, axis=0).astype(np.float32)


@dataclass
class ProbeModel:
    """A fitted probe: the LM it reads, what it extracts and the logistic weights."""

    labelset: Labelset
    model_name: str
    spec: FeatureSpec
    coef: Any
    intercept: Any
    mean: Any
    scale: Any
    training: dict[str, Any] = field(default_factory=dict)

    @property
    def labels(self) -> list[str]:
        return self.labelset.names

    def probabilities(self, x: Any) -> Any:
        import numpy as np

        logits = ((x - self.mean) / self.scale) @ self.coef.T + self.intercept
        logits -= logits.max(axis=1, keepdims=True)
        exp = np.exp(logits)
        return exp / exp.sum(axis=1, keepdims=True)

    def save(self, out_dir: str | Path) -> Path:
        arrays = {"coef": self.coef, "intercept": self.intercept, "mean": self.mean,
                  "scale": self.scale}
        meta = {
            "labels": self.labels,
            "labelset": self.labelset.to_dict(),
            "model": self.model_name,
            **self.spec.to_dict(),
            "training": self.training,
        }
        return save_arrays(out_dir, KIND, FORMAT_VERSION, arrays, meta)


def load_probe(path: str | Path) -> ProbeModel:
    """Read a probe saved by :func:`train_probe` (a folder, or its ``probe.json``)."""
    meta, weights, meta_path = read_arrays(
        path, KIND, FORMAT_VERSION, "train one with train_probe()")
    spec = FeatureSpec(
        layers=tuple(int(n) for n in meta["layers"]),
        pooling=meta["pooling"],
        prompt=meta["prompt"],
        max_context_chars=int(meta["max_context_chars"]),
        label_scores=bool(meta["label_scores"]),
    )
    spec.check()
    return ProbeModel(
        labelset=labelset_from_dict(meta["labelset"], source=str(meta_path)),
        model_name=meta["model"],
        spec=spec,
        coef=weights["coef"],
        intercept=weights["intercept"],
        mean=weights["mean"],
        scale=weights["scale"],
        training=meta.get("training", {}),
    )


def fit_probe_features(x: Any, y: Any, n_labels: int, c: float, seed: int = 0) -> tuple:
    """Standardise features and fit the logistic regression: (coef, intercept, mean, scale)."""
    mean = x.mean(axis=0)
    scale = x.std(axis=0) + 1e-6
    coef, intercept = _fit_logistic((x - mean) / scale, y, n_labels, c, seed)
    return coef, intercept, mean, scale


def fit_probe(
    records: Sequence[dict],
    model: str = DEFAULT_MODEL,
    labelset: str | Path | Labelset | None = None,
    spec: FeatureSpec | None = None,
    c: float = 0.001,
    seed: int = 0,
    generator: Any = None,
) -> ProbeModel:
    """Fit a probe in memory; records need ``text`` and ``label``.

    ``generator`` (anything with ``.model`` and ``.tokenizer``) skips loading ``model``."""
    import numpy as np

    labels = load_labelset(labelset)
    spec = spec or FeatureSpec()
    spec.check()
    check_records(records, need_label=True, labels=labels.names)
    if generator is None:
        from stance.backends.hf import load_generator

        generator = load_generator(model)
    x = extract_features(generator.model, generator.tokenizer, records, spec, labels.names)
    y = np.array([labels.names.index(r["label"]) for r in records])
    if len(set(y.tolist())) < 2:
        raise InputError("training records need at least two different labels")
    coef, intercept, mean, scale = fit_probe_features(x, y, len(labels.names), c, seed)
    training = {
        "records": len(records),
        "sha256": records_hash(records),
        "label_counts": dict(Counter(r["label"] for r in records)),
        "c": c,
        "seed": seed,
    }
    return ProbeModel(labels, model, spec, coef, intercept, mean, scale, training)


def train_probe(
    records: Sequence[dict],
    out_dir: str | Path,
    model: str = DEFAULT_MODEL,
    layer: int | Sequence[int] = DEFAULT_LAYERS,
    pooling: str = "last+mean",
    prompt: str = "v1-short",
    max_context_chars: int = 250,
    label_scores: bool = False,
    labelset: str | Path | Labelset | None = None,
    c: float = 0.001,
    seed: int = 0,
    generator: Any = None,
) -> Path:
    """Fit a probe on labelled records and save it to ``out_dir``; returns the folder.

    Defaults are the configuration selected by CV in ``eval/results/stance-probe.md``."""
    layers = (layer,) if isinstance(layer, int) else tuple(layer)
    spec = FeatureSpec(layers, pooling, prompt, max_context_chars, label_scores)
    probe = fit_probe(records, model, labelset, spec, c, seed, generator)
    return probe.save(out_dir)


class ProbeClassifier:
    """Scores records with a fitted probe; the LM loads on first use unless one is given."""

    def __init__(self, probe: ProbeModel | str | Path, name: str = "probe",
                 generator: Any = None, batch_size: int = 8) -> None:
        self.probe = probe if isinstance(probe, ProbeModel) else load_probe(probe)
        self.name = name
        self.batch_size = batch_size
        self._generator = generator

    @property
    def labels(self) -> list[str]:
        return self.probe.labels

    def predict(self, records: Sequence[dict]) -> list[Stance]:
        check_records(records)
        if not records:
            return []
        if self._generator is None:
            from stance.backends.hf import load_generator

            self._generator = load_generator(self.probe.model_name)
        x = extract_features(
            self._generator.model, self._generator.tokenizer, records, self.probe.spec,
            self.labels, self.batch_size,
        )
        return stances_from_rows(self.labels, self.probe.probabilities(x))
