"""Stance of attributed quotes toward a target, and per-speaker roll-ups.

Methods (``get_classifier(method=...)``):

- ``head``: logistic-regression head on MiniLM sentence embeddings (trained, shipped in
  ``models/heads/``; train your own with :func:`train_head`).
- ``zeroshot``: causal-LM label scoring with a prompt prefix shared per article.
- ``nli``: entailment of one hypothesis per label (needs an MNLI-style model path).
- ``ensemble``: the shipped head, the shipped probe for the generator (if there is one) and
  ``zeroshot`` with a per-article prior, their label probabilities multiplied (``model`` names
  the generator; Qwen 1.5B by default). The most accurate measured method, but slow on 2 cores.
- ``default``: the method that measured best in ``eval/results/stance-eval.md``.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

from stance.classify.head import HeadClassifier, fit_head, load_head, train_head
from stance.classify.labelsets import Labelset, available_labelsets, load_labelset
from stance.classify.rollup import rollup_speakers
from stance.classify.target import detect_target
from stance.errors import InputError, ModelError
from stance.types import Stance

__all__ = [
    "Classifier",
    "available_labelsets",
    "classify",
    "detect_target",
    "fit_head",
    "get_classifier",
    "load_head",
    "load_labelset",
    "rollup_speakers",
    "train_head",
]

METHODS = ("default", "head", "probe", "zeroshot", "nli", "ensemble")
DEFAULT_METHOD = "head"
DEFAULT_GENERATOR = "qwen-0.5b"
ENSEMBLE_GENERATOR = "qwen-1.5b"
HEADS_DIR = Path(__file__).resolve().parents[2] / "models" / "heads"


class Classifier(Protocol):
    name: str

    @property
    def labels(self) -> list[str]: ...

    def predict(self, records: Sequence[dict]) -> list[Stance]: ...


def heads_dir() -> Path:
    """Where shipped heads and probes live: ``$STANCE_HEADS`` or ``models/heads``."""
    return Path(os.environ.get("STANCE_HEADS", HEADS_DIR))


def default_head_path(labelset: Labelset) -> Path:
    """Shipped head for a label set: ``<heads_dir>/<labelset name>``."""
    return heads_dir() / labelset.name


def get_classifier(
    method: str = "default",
    model: str | None = None,
    labelset: str | Path | None = None,
    **options: Any,
) -> Classifier:
    """Build a classifier; its model loads here, once. ``options`` go to its constructor."""
    if method not in METHODS:
        raise InputError(f"unknown stance method {method!r}; choose from {', '.join(METHODS)}")
    if method == "default":
        method = DEFAULT_METHOD
    if method == "ensemble":
        from stance.classify.ensemble import EnsembleClassifier

        return EnsembleClassifier(ensemble_members(model, labelset), **options)
    if method == "head":
        if model is None and not default_head_path(load_labelset(labelset)).is_dir():
            raise ModelError(
                f"no shipped head for label set {load_labelset(labelset).name!r} in {heads_dir()}; "
                "train one with train_head() and pass model=its folder, or use method='zeroshot'"
            )
        head = load_head(model or default_head_path(load_labelset(labelset)))
        if labelset is not None and load_labelset(labelset).names != head.labels:
            raise InputError(
                f"head {model or 'default'} predicts {head.labels}, not the labels of "
                f"{labelset}; train a head for that label set with train_head()"
            )
        return HeadClassifier(head, name="head", **options)
    if method == "probe":
        from stance.backends.hf import load_generator
        from stance.classify.probe import ProbeClassifier, load_probe

        path = model or shipped_probe(DEFAULT_GENERATOR)
        if path is None:
            raise ModelError(f"no shipped probe for {DEFAULT_GENERATOR} in {heads_dir()}; "
                             "pass model= a probe folder made with train_probe()")
        probe = load_probe(path)
        if labelset is not None and load_labelset(labelset).names != probe.labels:
            raise InputError(f"probe predicts {probe.labels}, not the labels of {labelset}")
        return ProbeClassifier(probe, generator=load_generator(probe.model_name), **options)
    labels = load_labelset(labelset)
    if method == "zeroshot":
        from stance.backends.hf import load_generator
        from stance.classify.zeroshot import ZeroShotClassifier

        generator = load_generator(model or DEFAULT_GENERATOR)
        return ZeroShotClassifier(generator.model, generator.tokenizer, labels, **options)
    if model is None:
        raise ModelError(
            "no NLI model is bundled; pass model= a local MNLI-style sequence-classification "
            "folder (config with an 'entailment' label)"
        )
    from stance.backends.hf import load_sequence_classifier
    from stance.classify.nli import NLIClassifier

    loaded = load_sequence_classifier(model)
    return NLIClassifier(loaded.model, loaded.tokenizer, labels, **options)


def probe_folder(generator: str) -> Path:
    """Where the probe for a generator spec name is shipped: ``<heads_dir>/probe-<name>``."""
    return heads_dir() / f"probe-{generator}"


def shipped_probe(generator: str) -> Path | None:
    """The probe shipped for a generator spec name, if there is one."""
    folder = probe_folder(generator)
    return folder if (folder / "probe.json").is_file() else None


def ensemble_members(model: str | None, labelset: str | Path | None) -> list[Classifier]:
    """The ensemble's members: the shipped head; the shipped probe of the generator ``model``
    (Qwen 1.5B by default), if there is one; and that generator's zero-shot label scores under
    a per-article prior. The probe and the zero-shot member share one loaded model."""
    generator = model or ENSEMBLE_GENERATOR
    members = [get_classifier("head", None, labelset)]
    probe = shipped_probe(generator)
    if probe is not None:
        members.append(get_classifier("probe", str(probe), labelset))
    members.append(ensemble_language_model(generator, labelset))
    return members


def ensemble_language_model(generator: str, labelset: str | Path | None) -> Classifier:
    """The ensemble's zero-shot member: ``generator``'s label scores, per-article prior."""
    return get_classifier("zeroshot", generator, labelset, calibration="article_prior")


@lru_cache(maxsize=4)
def _cached_classifier(method: str, model: str | None, labelset: str | None) -> Classifier:
    return get_classifier(method, model, labelset)


def classify(
    records: Sequence[dict],
    method: str = "default",
    model: str | None = None,
    labelset: str | Path | None = None,
) -> list[Stance]:
    """Stance per record; the classifier is kept for later calls with the same arguments."""
    key = str(labelset) if labelset is not None else None
    return _cached_classifier(method, model, key).predict(records)
