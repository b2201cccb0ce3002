"""A few-shot stance head: logistic regression on sentence embeddings.

Saved without pickle: weights in ``head.safetensors`` and everything else (labels, label set,
embedder, feature blocks, temperature, training-data hash) in ``head.json``.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from stance.classify.embed import DEFAULT_EMBEDDER, encode, get_embedder
from stance.classify.labelsets import Labelset, labelset_from_dict, load_labelset
from stance.classify.records import check_records, field_text, stances_from_rows
from stance.classify.saved import read_arrays, save_arrays
from stance.errors import InputError
from stance.types import Stance

KIND = "head"
FORMAT_VERSION = 1

# Feature blocks, each built from unit-normalised embeddings:
#   quote   the quote
#   target  quote * target (elementwise) and their cosine: how the quote relates to the target
#   framed  one embedding of 'Speaker on target: "quote"'
#   context the surrounding text
#   labels  cosine of the quote to each label's description-and-examples prototype
FEATURES = ("quote", "target", "framed", "context", "labels")
# Chosen by 5-fold GroupKFold-by-article CV on train+dev (eval/results/stance-notes.md).
DEFAULT_FEATURES = ("quote", "framed")
DEFAULT_C = 0.1


@dataclass
class HeadModel:
    """A fitted head: everything needed to score records given the named embedder."""

    labelset: Labelset
    embedder: str
    features: tuple[str, ...]
    coef: Any
    intercept: Any
    mean: Any
    scale: Any
    prototypes: Any
    temperature: float = 1.0
    training: dict[str, Any] = field(default_factory=dict)

    @property
    def labels(self) -> list[str]:
        return self.labelset.names

    def probabilities(self, x: Any) -> Any:
        import numpy as np

        logits = ((x - self.mean) / self.scale) @ self.coef.T + self.intercept
        logits = logits / self.temperature
        logits -= logits.max(axis=1, keepdims=True)
        exp = np.exp(logits)
        return exp / exp.sum(axis=1, keepdims=True)

    def save(self, out_dir: str | Path) -> Path:
        arrays = {"coef": self.coef, "intercept": self.intercept, "mean": self.mean,
                  "scale": self.scale, "prototypes": self.prototypes}
        meta = {
            "labels": self.labels,
            "labelset": self.labelset.to_dict(),
            "embedder": self.embedder,
            "features": list(self.features),
            "temperature": self.temperature,
            "training": self.training,
        }
        return save_arrays(out_dir, KIND, FORMAT_VERSION, arrays, meta)


def load_head(path: str | Path) -> HeadModel:
    """Read a head saved by :func:`train_head` (a folder, or its ``head.json``)."""
    meta, weights, meta_path = read_arrays(
        path, KIND, FORMAT_VERSION, "train one with train_head() or `stance train`")
    labelset = labelset_from_dict(meta["labelset"], source=str(meta_path))
    return HeadModel(
        labelset=labelset,
        embedder=meta["embedder"],
        features=tuple(meta["features"]),
        coef=weights["coef"],
        intercept=weights["intercept"],
        mean=weights["mean"],
        scale=weights["scale"],
        prototypes=weights["prototypes"],
        temperature=float(meta.get("temperature", 1.0)),
        training=meta.get("training", {}),
    )


def label_prototypes(labelset: Labelset, embedder: Any) -> Any:
    """One unit vector per label: the mean embedding of its description and examples."""
    import numpy as np

    rows = []
    for label in labelset.labels:
        vectors = encode([label.description, *label.examples], embedder)
        mean = vectors.mean(axis=0)
        rows.append(mean / max(float(np.linalg.norm(mean)), 1e-8))
    return np.stack(rows).astype(np.float32)


def featurize(
    records: Sequence[dict], features: Sequence[str], prototypes: Any, embedder: Any
) -> Any:
    import numpy as np

    unknown = set(features) - set(FEATURES)
    if unknown:
        raise InputError(f"unknown head features {sorted(unknown)}; choose from {FEATURES}")
    texts = {"quote": [field_text(r, "text") for r in records]}
    if "target" in features:
        texts["target"] = [field_text(r, "target") for r in records]
    if "framed" in features:
        texts["framed"] = [framed_text(r) for r in records]
    if "context" in features:
        texts["context"] = [field_text(r, "context") for r in records]
    # One encode call for every block: the embedder batches texts of similar length together.
    vectors = encode([t for column in texts.values() for t in column], embedder)
    embedded = {name: vectors[i * len(records):(i + 1) * len(records)]
                for i, name in enumerate(texts)}
    quotes = embedded["quote"]
    blocks = []
    if "quote" in features:
        blocks.append(quotes)
    if "target" in features:
        interaction = quotes * embedded["target"]
        blocks += [interaction, interaction.sum(axis=1, keepdims=True)]
    if "framed" in features:
        blocks.append(embedded["framed"])
    if "context" in features:
        blocks.append(embedded["context"])
    if "labels" in features:
        blocks.append(quotes @ prototypes.T)
    return np.concatenate(blocks, axis=1).astype(np.float32)


def framed_text(record: dict) -> str:
    speaker = field_text(record, "speaker") or "Someone"
    target = field_text(record, "target")
    about = f" on {target}" if target else ""
    return f'{speaker}{about}: "{field_text(record, "text")}"'


RECORD_FIELDS = ("text", "speaker", "target", "context", "label")


def records_hash(records: Sequence[dict], keys: Sequence[str] = RECORD_FIELDS) -> str:
    """A digest of ``records`` over ``keys`` (by default everything a head learns from)."""
    digest = hashlib.sha256()
    for record in records:
        row = {k: record.get(k) for k in keys}
        digest.update(json.dumps(row, sort_keys=True, ensure_ascii=False).encode("utf-8"))
        digest.update(b"\n")
    return digest.hexdigest()


def fit_head(
    records: Sequence[dict],
    embedder: str = DEFAULT_EMBEDDER,
    labelset: str | Path | Labelset | None = None,
    features: Sequence[str] = DEFAULT_FEATURES,
    c: float = DEFAULT_C,
    calibrate: bool = True,
    seed: int = 0,
    pseudo: Sequence[dict] = (),
    pseudo_weight: float = 1.0,
    teacher: str = "",
) -> HeadModel:
    """Fit the head in memory; records need ``text`` and ``label`` (``doc`` groups them).

    ``pseudo`` are extra records labelled by ``teacher`` (:mod:`stance.classify.distill`),
    weighted ``pseudo_weight`` each; the temperature is still fit on ``records`` only."""
    import numpy as np

    labels = load_labelset(labelset)
    check_records(records, need_label=True, labels=labels.names)
    check_records(pseudo, need_label=True, labels=labels.names)
    encoder = get_embedder(embedder)
    prototypes = label_prototypes(labels, encoder)
    rows = [*records, *pseudo]
    x = featurize(rows, features, prototypes, encoder)
    y = np.array([labels.names.index(r["label"]) for r in rows])
    if len(set(y.tolist())) < 2:
        raise InputError("training records need at least two different labels")
    weight = np.concatenate([np.ones(len(records)), np.full(len(pseudo), pseudo_weight)])
    mean = x.mean(axis=0)
    scale = x.std(axis=0) + 1e-6
    xs = (x - mean) / scale
    coef, intercept = _fit_logistic(xs, y, len(labels.names), c, seed, weight)
    temperature = 1.0
    if calibrate:
        groups = [str(r.get("doc") or i) for i, r in enumerate(records)]
        temperature = _fit_temperature(xs, y, weight, groups, len(labels.names), c, seed)
    training: dict[str, Any] = {
        "records": len(records),
        "sha256": records_hash(records),
        "label_counts": dict(Counter(r["label"] for r in records)),
        "c": c,
        "seed": seed,
    }
    if pseudo:
        training["pseudo"] = {
            "records": len(pseudo),
            "articles": len({r.get("doc") for r in pseudo}),
            "sha256": records_hash(pseudo),
            "label_counts": dict(Counter(r["label"] for r in pseudo)),
            "weight": pseudo_weight,
            "teacher": teacher,
        }
    return HeadModel(
        labelset=labels,
        embedder=embedder,
        features=tuple(features),
        coef=coef,
        intercept=intercept,
        mean=mean,
        scale=scale,
        prototypes=prototypes,
        temperature=temperature,
        training=training,
    )


def train_head(
    records: Sequence[dict],
    out_dir: str | Path,
    embedder: str = DEFAULT_EMBEDDER,
    labelset: str | Path | Labelset | None = None,
    features: Sequence[str] = DEFAULT_FEATURES,
    c: float = DEFAULT_C,
    calibrate: bool = True,
    seed: int = 0,
) -> Path:
    """Fit a head on labelled records and save it to ``out_dir``; returns the folder."""
    model = fit_head(
        records,
        embedder=embedder,
        labelset=labelset,
        features=features,
        c=c,
        calibrate=calibrate,
        seed=seed,
    )
    return model.save(out_dir)


def _fit_logistic(
    x: Any, y: Any, n_labels: int, c: float, seed: int, weight: Any = None
) -> tuple[Any, Any]:
    """Multinomial logistic regression; returns (coef n_labels x d, intercept n_labels)."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    clf = LogisticRegression(C=c, class_weight="balanced", max_iter=5000, random_state=seed)
    clf.fit(x, y, sample_weight=weight)
    coef = np.zeros((n_labels, x.shape[1]), dtype=np.float32)
    intercept = np.full(n_labels, -1e4, dtype=np.float32)  # labels never seen in training
    if len(clf.classes_) == 2:  # binary sklearn stores one row: logit for classes_[1]
        coef[clf.classes_[1]] = clf.coef_[0]
        intercept[clf.classes_[1]] = clf.intercept_[0]
        intercept[clf.classes_[0]] = 0.0
        coef[clf.classes_[0]] = 0.0
    else:
        coef[clf.classes_] = clf.coef_
        intercept[clf.classes_] = clf.intercept_
    return coef, intercept


def _fit_temperature(
    x: Any, y: Any, weight: Any, groups: Sequence[str], n_labels: int, c: float, seed: int
) -> float:
    """Temperature that minimises out-of-fold log-loss (GroupKFold by article); 1.0 if too few.

    ``groups`` covers the first rows (the gold records); any rows after them (pseudo-labelled)
    join every fold's training data and are never scored."""
    import numpy as np
    from sklearn.model_selection import GroupKFold

    n_gold = len(groups)
    n_groups = len(set(groups))
    if n_groups < 3 or n_gold < 20:
        return 1.0
    extra = np.arange(n_gold, len(y))
    logits = np.zeros((n_gold, n_labels), dtype=np.float64)
    for train, held in GroupKFold(n_splits=min(5, n_groups)).split(x[:n_gold], y[:n_gold],
                                                                    groups):
        train = np.concatenate([train, extra])
        if len(set(y[train].tolist())) < 2:
            return 1.0
        coef, intercept = _fit_logistic(x[train], y[train], n_labels, c, seed, weight[train])
        logits[held] = x[held] @ coef.T + intercept
    y = y[:n_gold]
    best, best_loss = 1.0, float("inf")
    for t in np.exp(np.linspace(np.log(0.25), np.log(8.0), 61)):
        z = logits / t
        z -= z.max(axis=1, keepdims=True)
        log_probs = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
        loss = -float(log_probs[np.arange(len(y)), y].mean())
        if loss < best_loss:
            best, best_loss = float(t), loss
    return best


class HeadClassifier:
    """Scores records with a fitted head; the embedder loads once, on first use."""

    def __init__(self, model: HeadModel, name: str = "head", embedder: Any = None) -> None:
        self.model = model
        self.name = name
        self._embedder = embedder

    @property
    def labels(self) -> list[str]:
        return self.model.labels

    def predict(self, records: Sequence[dict]) -> list[Stance]:
        check_records(records)
        if not records:
            return []
        if self._embedder is None:
            self._embedder = get_embedder(self.model.embedder)
        x = featurize(records, self.model.features, self.model.prototypes, self._embedder)
        probs = self.model.probabilities(x)
        return stances_from_rows(self.labels, probs)
