"""Evaluate stance classifiers on the hand-labelled set (eval/data/stance/quotes.jsonl).

Test-split scores come with bootstrap 95% intervals; cross-validation is GroupKFold by
article over train+dev. Trainable methods (``head``) are refit per fold; the others are
scored once and the scores sliced by fold.

    python -m stance.classify.evaluate --method head
    python -m stance.classify.evaluate --suite   # every method + ablations -> eval/results
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from stance.classify.head import DEFAULT_FEATURES, HeadClassifier, fit_head
from stance.classify.labelsets import load_labelset
from stance.classify.rollup import rollup_speakers
from stance.errors import DatasetError
from stance.types import Quote, Stance

PROJECT = Path(__file__).resolve().parents[2]
DEFAULT_DATA = PROJECT / "eval" / "data" / "stance" / "quotes.jsonl"
RESULTS = PROJECT / "eval" / "results"
FIELDS = ("id", "article", "quote", "speaker", "target", "label", "split")


def load_labelled(path: str | Path = DEFAULT_DATA) -> list[dict]:
    """Labelled rows as classifier records (``text``, ``doc`` ...), keeping ``split``/``id``."""
    path = Path(path)
    if not path.is_file():
        raise DatasetError(f"labelled stance data not found at {path}")
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        row = json.loads(line)
        missing = [f for f in FIELDS if f not in row]
        if missing:
            raise DatasetError(f"{path}:{n}: missing fields {missing}")
        rows.append(
            {
                "id": row["id"],
                "doc": row["article"],
                "source": row.get("source", ""),
                "text": row["quote"],
                "speaker": row["speaker"],
                "target": row["target"],
                "context": row.get("context", ""),
                "label": row["label"],
                "split": row["split"],
            }
        )
    return rows


def file_sha256(path: str | Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def calibration_report(stances: Sequence[Stance], gold: Sequence[str], labels: Sequence[str],
                       bins: int = 10) -> dict[str, float]:
    """Expected calibration error of the top label (equal-width bins) and multiclass log-loss."""
    import numpy as np
    from sklearn.metrics import log_loss

    confidence = np.array([s.confidence for s in stances])
    correct = np.array([s.label == g for s, g in zip(stances, gold)], dtype=float)
    edges = np.linspace(0.0, 1.0, bins + 1)
    which = np.clip(np.digitize(confidence, edges[1:-1]), 0, bins - 1)
    ece = sum(
        abs(correct[which == b].mean() - confidence[which == b].mean()) * (which == b).mean()
        for b in range(bins)
        if (which == b).any()
    )
    ordered = sorted(labels)  # log_loss reads probability columns in sorted label order
    probs = np.array([[s.scores.get(label, 0.0) for label in ordered] for s in stances])
    probs = np.clip(probs, 1e-9, 1.0)
    probs /= probs.sum(axis=1, keepdims=True)
    return {
        "ece": float(ece),
        "log_loss": float(log_loss(list(gold), probs, labels=ordered)),
        "mean_confidence": float(confidence.mean()),
    }


def speaker_agreement(rows: Sequence[dict], stances: Sequence[Stance]) -> dict[str, Any]:
    """Roll-up of predicted vs gold quote labels per (article, speaker): label accuracy."""
    gold_quotes, predicted_quotes = [], []
    for row, stance in zip(rows, stances):
        speaker = f"{row['doc']}\t{row['speaker']}"
        common = {"doc": row["doc"], "text": row["text"], "start": 0, "end": 0, "speaker": speaker}
        gold_quotes.append(Quote(**common, stance=Stance(row["label"], 1.0)))
        predicted_quotes.append(Quote(**common, stance=stance))
    gold = {s.speaker: s.stance for s in rollup_speakers(gold_quotes)}
    predicted = {s.speaker: s.stance for s in rollup_speakers(predicted_quotes)}
    agree = sum(gold[s] == predicted[s] for s in gold)
    return {"speakers": len(gold), "accuracy": agree / len(gold) if gold else 0.0}


def _report(rows: Sequence[dict], stances: Sequence[Stance], labels: Sequence[str],
            seed: int) -> dict[str, Any]:
    from stance.harness.metrics import classification_report

    gold = [r["label"] for r in rows]
    report = classification_report(gold, [s.label for s in stances], labels, seed=seed)
    report["calibration"] = calibration_report(stances, gold, labels)
    report["speaker_rollup"] = speaker_agreement(rows, stances)
    return report


def _cv_summary(rows: Sequence[dict], stances: Sequence[Stance], folds: list[list[int]],
                labels: Sequence[str], seed: int) -> dict[str, Any]:
    import numpy as np

    from stance.harness.metrics import macro_f1_for

    scorer = macro_f1_for(labels)
    per_fold = [
        scorer([(rows[i]["label"], stances[i].label) for i in fold]) for fold in folds
    ]
    return {
        "folds": len(folds),
        "fold_macro_f1": per_fold,
        "mean_macro_f1": float(np.mean(per_fold)),
        "std_macro_f1": float(np.std(per_fold)),
        "pooled": _report(rows, stances, labels, seed),
    }


def group_folds(rows: Sequence[dict], n_splits: int) -> list[list[int]]:
    from sklearn.model_selection import GroupKFold

    groups = [r["doc"] for r in rows]
    splitter = GroupKFold(n_splits=min(n_splits, len(set(groups))))
    return [held.tolist() for _, held in splitter.split(rows, groups=groups)]


def evaluate_stance(
    method: str,
    model: str | None = None,
    data: str | Path = DEFAULT_DATA,
    split: str = "test",
    seed: int = 0,
    labelset: str | Path | None = None,
    folds: int = 5,
    **options: Any,
) -> dict[str, Any]:
    """Scores of one method: test split with bootstrap CIs, and GroupKFold CV on train+dev.

    For ``head`` without ``model`` a head is fit on train+dev (``features``, ``c`` options);
    with ``model`` the saved head is scored as is (CV then refits its feature set).
    For ``zeroshot`` every calibration is scored from one pass (``calibrations`` in the result).
    """
    from stance.classify import get_classifier

    rows = load_labelled(data)
    pool = [r for r in rows if r["split"] in ("train", "dev") and r["split"] != split]
    test = [r for r in rows if r["split"] == split]
    if not test:
        raise DatasetError(f"{data}: no rows in split {split!r}")
    fold_ids = group_folds(pool, folds)
    started = time.perf_counter()
    result: dict[str, Any] = {
        "method": method,
        "model": model,
        "options": {k: list(v) if isinstance(v, tuple) else v for k, v in options.items()},
        "data": os.path.relpath(data, PROJECT),
        "data_sha256": file_sha256(data),
        "split": split,
        "seed": seed,
        "n_test": len(test),
        "n_cv": len(pool),
    }
    if method in ("head", "default") and model is None:
        features = tuple(options.pop("features", DEFAULT_FEATURES))
        c = float(options.pop("c", 1.0))
        labels = load_labelset(labelset).names

        def fit(train_rows: Sequence[dict]) -> HeadClassifier:
            return HeadClassifier(
                fit_head(train_rows, labelset=labelset, features=features, c=c, seed=seed)
            )

        final = fit(pool)
        tick = time.perf_counter()
        predicted = final.predict(test)
        result["predict_seconds"] = time.perf_counter() - tick
        result["temperature"] = final.model.temperature
        result["test"] = _report(test, predicted, labels, seed)
        oof: list[Any] = [None] * len(pool)
        for held in fold_ids:
            held_set = set(held)
            clf = fit([r for i, r in enumerate(pool) if i not in held_set])
            for i, stance in zip(held, clf.predict([pool[i] for i in held])):
                oof[i] = stance
        result["cv"] = _cv_summary(pool, oof, fold_ids, labels, seed)
    else:
        classifier = get_classifier(method, model, labelset, **options)
        labels = classifier.labels
        tick = time.perf_counter()
        if hasattr(classifier, "predict_calibrations"):
            by_calibration = classifier.predict_calibrations(test + pool)
        else:
            by_calibration = {"": classifier.predict(test + pool)}
        result["predict_seconds"] = time.perf_counter() - tick
        variants = {}
        for name, stances in by_calibration.items():
            variants[name] = {
                "test": _report(test, stances[: len(test)], labels, seed),
                "cv": _cv_summary(pool, stances[len(test) :], fold_ids, labels, seed),
            }
        main = getattr(classifier, "calibration", "")
        result.update(variants[main])
        if len(variants) > 1:
            result["calibrations"] = variants
    result["quotes_per_second"] = (
        (len(test) if "temperature" in result else len(test) + len(pool))
        / max(result["predict_seconds"], 1e-9)
    )
    result["seconds"] = time.perf_counter() - started
    return result
