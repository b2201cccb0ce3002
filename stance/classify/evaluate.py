"""Evaluate stance classifiers on the hand-labelled set (eval/data/stance/quotes.jsonl).

Test-split scores come with bootstrap 95% intervals; cross-validation is GroupKFold by
article over train+dev. Trainable methods (``head``, ``probe``, and the head and probe inside
``ensemble``) are refit per fold; the others are scored once and the scores sliced by fold.
A head distilled from a probe (``teacher``) gets pseudo-labels from the teacher refit on the
same fold's training rows.

    python -m stance.classify.evaluate --method head
    python -m stance.classify.evaluate --suite   # every method + ablations -> eval/results
"""

from __future__ import annotations

import dataclasses
import json
import os
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from stance.classify.head import DEFAULT_C, DEFAULT_FEATURES, HeadClassifier, fit_head
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


def calibration_report(stances: Sequence[Stance], gold: Sequence[str], labels: Sequence[str],
                       bins: int = 10) -> dict[str, float]:
    """Expected calibration error of the top label (equal-width bins) and multiclass log-loss."""
    import numpy as np
    from sklearn.metrics import log_loss

    confidence = np.array([s.confidence for s in stances])
    correct = np.array([s.label == g for s, g in zip(stances, gold, strict=True)], dtype=float)
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
    for row, stance in zip(rows, stances, strict=True):
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
    cv: bool = True,
    teacher: str | None = None,
    **options: Any,
) -> dict[str, Any]:
    """Scores of one method: test split with bootstrap CIs, and GroupKFold CV on train+dev.

    For ``head`` without ``model`` a head is fit on train+dev (``features``, ``c`` options);
    with ``model`` the saved head is scored as is (CV then refits its feature set).
    ``probe`` refits the configuration of the probe saved in ``model`` (the shipped Qwen 0.5B
    probe by default); ``ensemble`` refits its head and its generator's shipped probe.
    ``teacher`` (a generator name or probe folder) distils every refit head from that probe
    (:mod:`stance.classify.distill`); methods that refit no head ignore it.
    For ``zeroshot`` every calibration is scored from one pass (``calibrations`` in the result).
    ``cv=False`` skips cross-validation (for slow methods).
    """
    from stance.classify import get_classifier
    from stance.harness.tasks import file_sha256

    rows = load_labelled(data)
    pool = [r for r in rows if r["split"] in ("train", "dev") and r["split"] != split]
    test = [r for r in rows if r["split"] == split]
    if not test:
        raise DatasetError(f"{data}: no rows in split {split!r}")
    fold_ids = group_folds(pool, folds) if cv else []
    started = time.perf_counter()
    result: dict[str, Any] = {
        "method": method,
        "model": model,
        "options": {k: list(v) if isinstance(v, tuple) else v for k, v in options.items()},
        "data": os.path.relpath(data, PROJECT),
        "data_sha256": file_sha256([Path(data)]),
        "split": split,
        "seed": seed,
        "n_test": len(test),
        "n_cv": len(pool) if cv else 0,
    }
    refit = method in ("ensemble", "probe") or (method in ("head", "default") and model is None)
    if refit:
        labels = load_labelset(labelset).names
        members, result["predict_seconds"] = _refit_members(
            method, model, labelset, pool, test, fold_ids, seed, teacher, options, result)
        if len(members) == 1:
            (stances,) = members.values()
        else:
            from stance.classify.ensemble import combine, probability_rows
            from stance.classify.records import stances_from_rows

            weights = options.pop("weights", None)
            result["weights"] = weights
            result["members"] = {
                name: {"test": _report(test, stances[: len(test)], labels, seed),
                       "cv": _cv_summary(pool, stances[len(test):], fold_ids, labels, seed)
                       if cv else None}
                for name, stances in members.items()
            }
            stances = stances_from_rows(labels, combine(
                [probability_rows(member, labels) for member in members.values()], weights))
        result["test"] = _report(test, stances[: len(test)], labels, seed)
        result["cv"] = (_cv_summary(pool, stances[len(test):], fold_ids, labels, seed)
                        if cv else None)
    else:
        classifier = get_classifier(method, model, labelset, **options)
        labels = classifier.labels
        tick = time.perf_counter()
        scored = test + (pool if cv else [])
        if hasattr(classifier, "predict_calibrations"):
            by_calibration = classifier.predict_calibrations(scored)
        else:
            by_calibration = {"": classifier.predict(scored)}
        result["predict_seconds"] = time.perf_counter() - tick
        variants = {}
        for name, stances in by_calibration.items():
            variants[name] = {
                "test": _report(test, stances[: len(test)], labels, seed),
                "cv": _cv_summary(pool, stances[len(test) :], fold_ids, labels, seed)
                if cv
                else None,
            }
        main = getattr(classifier, "calibration", "")
        result.update(variants[main])
        if len(variants) > 1:
            result["calibrations"] = variants
    scored_count = len(test) + (0 if refit else result["n_cv"])
    result["quotes_per_second"] = scored_count / max(result["predict_seconds"], 1e-9)
    result["seconds"] = time.perf_counter() - started
    return result


def _refit_members(
    method: str, model: str | None, labelset: str | Path | None, pool: Sequence[dict],
    test: Sequence[dict], fold_ids: list[list[int]], seed: int, teacher: str | None,
    options: dict[str, Any], result: dict[str, Any],
) -> tuple[dict[str, list[Stance]], float]:
    """Each member's stances on ``test + pool`` (pool out-of-fold for trainable members) and
    the seconds spent predicting the test split. Records the head's temperature, the
    generator and the probe used in ``result``."""
    from stance.classify import (
        DEFAULT_GENERATOR,
        ENSEMBLE_GENERATOR,
        ensemble_language_model,
        shipped_probe,
    )
    from stance.classify.probe import load_probe

    members: dict[str, list[Stance]] = {}
    seconds = 0.0
    if method != "probe":
        features = tuple(options.pop("features", DEFAULT_FEATURES))
        c = float(options.pop("c", DEFAULT_C))
        pseudo_for = None
        if teacher:
            result["options"]["teacher"] = teacher
            pseudo_for, result["teacher"] = _pseudo_labeller(teacher, pool, test, seed)
        final, predicted, oof, seconds = _head_predictions(
            pool, test, fold_ids, pseudo_for, labelset=labelset, features=features, c=c,
            seed=seed)
        result["temperature"] = final.model.temperature
        members["head"] = predicted + oof
    if method == "head" or method == "default":
        return members, seconds
    generator = model or ENSEMBLE_GENERATOR
    if method == "probe":
        probe_path = model or shipped_probe(DEFAULT_GENERATOR)
    else:
        probe_path = shipped_probe(generator)
    if probe_path is not None:
        probe = load_probe(probe_path)
        result["probe"] = {"path": os.path.relpath(probe_path, PROJECT), "model": probe.model_name,
                           **probe.spec.to_dict(), "c": probe.training.get("c")}
        predicted, oof, probe_seconds = _probe_predictions(probe, pool, test, fold_ids, seed)
        members["probe"] = predicted + oof
        seconds += probe_seconds
    if method == "ensemble":
        result["model"] = generator
        language_model = ensemble_language_model(generator, labelset)
        tick = time.perf_counter()
        scored = language_model.predict([*test, *(pool if fold_ids else [])])
        # the test split's share of the language model's time, for quotes_per_second
        seconds += (time.perf_counter() - tick) * len(test) / len(scored)
        members["zeroshot"] = scored
    return members, seconds


def _head_predictions(
    pool: Sequence[dict], test: Sequence[dict], fold_ids: list[list[int]],
    pseudo_for: Callable[[Any], list[dict]] | None = None, **fit_options: Any,
) -> tuple[HeadClassifier, list[Stance], list[Stance], float]:
    """A head fit on ``pool``, its test predictions, out-of-fold predictions on ``pool`` (a
    head refit without each fold; empty when there are no folds) and the test predict time.
    ``pseudo_for(train indices)`` gives the pseudo-labelled records each fit adds."""
    import numpy as np

    def fit(train: Any) -> HeadClassifier:
        pseudo = pseudo_for(train) if pseudo_for else ()
        return HeadClassifier(fit_head([pool[i] for i in train], pseudo=pseudo, **fit_options))

    final = fit(np.arange(len(pool)))
    tick = time.perf_counter()
    predicted = final.predict(test)
    seconds = time.perf_counter() - tick
    oof = _out_of_fold(len(pool), fold_ids,
                       lambda train, held: fit(train).predict([pool[i] for i in held]))
    return final, predicted, oof, seconds


def _out_of_fold(
    n: int, fold_ids: list[list[int]], predict_held: Callable[[Any, list[int]], list[Stance]]
) -> list[Stance]:
    """Stances for rows ``0..n-1``, each from ``predict_held(train indices, held indices)``
    with its own fold held out; empty when there are no folds."""
    import numpy as np

    oof: list[Any] = [None] * n if fold_ids else []
    for held in fold_ids:
        for i, stance in zip(held, predict_held(np.setdiff1d(np.arange(n), held), held),
                             strict=True):
            oof[i] = stance
    return oof


def _refit_probe(probe: Any, x_pool: Any, pool: Sequence[dict], train: Any, seed: int) -> Any:
    """The probe's configuration (features, C) fit on the ``train`` rows of ``pool``."""
    import numpy as np

    from stance.classify.probe import fit_probe_features

    y = np.array([probe.labels.index(pool[i]["label"]) for i in train])
    coef, intercept, mean, scale = fit_probe_features(
        x_pool[train], y, len(probe.labels), float(probe.training.get("c", 0.001)), seed)
    return dataclasses.replace(probe, coef=coef, intercept=intercept, mean=mean, scale=scale)


def _probe_predictions(
    probe: Any, pool: Sequence[dict], test: Sequence[dict], fold_ids: list[list[int]], seed: int
) -> tuple[list[Stance], list[Stance], float]:
    """As :func:`_head_predictions` for a probe's configuration (layers, prompt, C): the
    language model's features are extracted once, the logistic fit is redone per fold."""
    import numpy as np

    from stance.backends.hf import load_generator
    from stance.classify.distill import probe_features
    from stance.classify.probe import extract_features
    from stance.classify.records import stances_from_rows

    generator = load_generator(probe.model_name)
    tick = time.perf_counter()  # the test split is not cached: its time is the speed figure
    x_test = extract_features(generator.model, generator.tokenizer, test, probe.spec,
                              probe.labels)
    seconds = time.perf_counter() - tick
    x_pool = probe_features(probe, pool, generator)

    def fit_predict(train: Any, x: Any) -> list[Stance]:
        refit = _refit_probe(probe, x_pool, pool, train, seed)
        return stances_from_rows(probe.labels, refit.probabilities(x))

    predicted = fit_predict(np.arange(len(pool)), x_test)
    oof = _out_of_fold(len(pool), fold_ids,
                       lambda train, held: fit_predict(train, x_pool[held]))
    return predicted, oof, seconds


def _pseudo_labeller(
    teacher: str, pool: Sequence[dict], test: Sequence[dict], seed: int
) -> tuple[Callable[[Any], list[dict]], dict[str, Any]]:
    """For distillation: the quotes of the unlabelled benchmark articles, and a function that
    labels them with ``teacher``'s probe configuration refit on given ``pool`` rows (so no
    fold's head learns from a teacher that saw that fold). ``teacher`` is a generator name
    with a shipped probe, or a probe folder."""
    from stance.classify.distill import (
        probe_features,
        pseudo_labelled,
        quotes_to_label,
        teacher_probe,
        unlabelled_benchmark_articles,
    )

    probe = teacher_probe(teacher)
    unlabelled = quotes_to_label(
        unlabelled_benchmark_articles(exclude={r["doc"] for r in [*pool, *test]}))
    x_unlabelled = probe_features(probe, unlabelled)
    x_pool = probe_features(probe, pool)

    def pseudo_for(train: Any) -> list[dict]:
        return pseudo_labelled(_refit_probe(probe, x_pool, pool, train, seed), unlabelled,
                               x_unlabelled)

    info = {"teacher": teacher, "model": probe.model_name,
            "unlabelled_quotes": len(unlabelled),
            "unlabelled_articles": len({r["doc"] for r in unlabelled})}
    return pseudo_for, info


def shipped_teacher() -> str | None:
    """The teacher the shipped default head was distilled from, if any."""
    from stance.classify import default_head_path
    from stance.classify.head import load_head

    head = load_head(default_head_path(load_labelset(None)))
    return head.training.get("pseudo", {}).get("teacher") or None


def article_text(source: str, doc: str) -> str:
    """Full text of a labelled row's article, from the path its ``source`` field names.

    Paths are written ``shared/...``; ``shared`` is the parent of the benchmarks root.
    """
    import re

    from stance.harness.tasks import benchmarks_root

    written = Path(re.split(r"[;(]", source, maxsplit=1)[0].strip())
    path = benchmarks_root().parent.joinpath(*written.parts[1:])
    if not path.is_file():
        raise DatasetError(f"article {doc}: source file {path} not found; set STANCE_BENCHMARKS")
    if path.suffix == ".jsonl":
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            if row.get("id") == doc:
                return row["article"]
        raise DatasetError(f"article {doc} not found in {path}")
    return path.read_text(encoding="utf-8")


def evaluate_targets(data: str | Path = DEFAULT_DATA, threshold: float = 0.6,
                     seed: int = 0) -> dict[str, Any]:
    """detect_target vs the labelled ``target`` per article: MiniLM cosine, share over
    ``threshold`` (bootstrap CI over articles), and the same for the first line as baseline."""
    from stance.classify.embed import encode, get_embedder
    from stance.classify.target import detect_target
    from stance.harness.metrics import bootstrap, mean
    from stance.types import Article

    articles: dict[str, dict] = {}
    for row in load_labelled(data):
        articles.setdefault(row["doc"], row)
    embedder = get_embedder()
    items = []
    for doc, row in articles.items():
        text = article_text(row["source"], doc)
        predicted = detect_target(Article(doc=doc, text=text))
        first_line = next((line.strip() for line in text.splitlines() if line.strip()), "")
        gold_v, pred_v, line_v = encode([row["target"], predicted, first_line], embedder)
        items.append({
            "doc": doc,
            "split": row["split"],
            "gold": row["target"],
            "predicted": predicted,
            "cosine": float(gold_v @ pred_v),
            "first_line_cosine": float(gold_v @ line_v),
        })
    hits = [1.0 if i["cosine"] >= threshold else 0.0 for i in items]
    line_hits = [1.0 if i["first_line_cosine"] >= threshold else 0.0 for i in items]
    return {
        "articles": len(items),
        "threshold": threshold,
        "mean_cosine": bootstrap([i["cosine"] for i in items], mean, seed=seed).to_dict(),
        "share_at_threshold": bootstrap(hits, mean, seed=seed).to_dict(),
        "first_line_mean_cosine": bootstrap(
            [i["first_line_cosine"] for i in items], mean, seed=seed
        ).to_dict(),
        "first_line_share_at_threshold": bootstrap(line_hits, mean, seed=seed).to_dict(),
        "items": items,
    }


ABLATIONS: dict[str, tuple[str, ...]] = {
    "quote": ("quote",),
    "quote+labels": ("quote", "labels"),
    "quote+target": ("quote", "target"),
    "quote+context": ("quote", "context"),
    "framed": ("framed",),
    "framed+labels": ("framed", "labels"),
    "all": ("quote", "target", "context", "labels"),
}


def _short(result: dict[str, Any]) -> dict[str, Any]:
    return {
        "test_macro_f1": result["test"]["macro_f1"],
        "test_accuracy": result["test"]["accuracy"],
        "cv_mean_macro_f1": result["cv"]["mean_macro_f1"] if result["cv"] else None,
        "cv_std_macro_f1": result["cv"]["std_macro_f1"] if result["cv"] else None,
        "ece": result["test"]["calibration"]["ece"],
        "speaker_accuracy": result["test"]["speaker_rollup"]["accuracy"],
    }


def _cv_cell(cv: dict[str, Any] | None) -> str:
    return f"{cv['mean_macro_f1']:.3f} ± {cv['std_macro_f1']:.3f}" if cv else "not run"


def write_report(results_dir: Path = RESULTS) -> tuple[Path, Path]:
    """Merge every ``stance-run-*.json`` (and ``stance-targets.json``) into stance-eval.*."""
    runs = [json.loads(p.read_text(encoding="utf-8"))
            for p in sorted(results_dir.glob("stance-run-*.json"))]
    targets_path = results_dir / "stance-targets.json"
    targets = None
    if targets_path.is_file():
        targets = json.loads(targets_path.read_text(encoding="utf-8"))
    merged = {"runs": runs, "targets": targets}
    json_path, md_path = results_dir / "stance-eval.json", results_dir / "stance-eval.md"
    json_path.write_text(json.dumps(merged, indent=2) + "\n", encoding="utf-8")

    def ci(d: dict[str, float]) -> str:
        return f"{d['value']:.3f} [{d['low']:.3f}, {d['high']:.3f}]"

    lines = [
        "# Stance classification: measured results",
        "",
        "Data: `eval/data/stance/quotes.jsonl` (608 quotes, 48 articles; test = 134 quotes of "
        "10 articles). Test scores have bootstrap 95% intervals (1000 resamples, seed 0); CV is "
        "5-fold GroupKFold by article over train+dev (474 quotes), mean ± std of fold macro-F1. "
        "ECE: expected calibration error of the top label on test (10 bins). Speaker roll-up "
        "accuracy: rollup_speakers on predicted vs gold labels per (article, speaker) on test. "
        "Speed is measured separately (stance-bench.json).",
        "",
        "| run | method | inputs / options | test macro-F1 | test accuracy | CV macro-F1 | "
        "ECE | speaker roll-up acc. |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for run in runs:
        short = _short(run)
        options = ", ".join(f"{k}={v}" for k, v in run.get("options", {}).items()) or "-"
        lines.append(
            f"| {run['label']} | {run['method']} | {options} | {ci(short['test_macro_f1'])} | "
            f"{ci(short['test_accuracy'])} | {_cv_cell(run['cv'])} | {short['ece']:.3f} | "
            f"{short['speaker_accuracy']:.2f} |"
        )
        for name, variant in (run.get("calibrations") or {}).items():
            lines.append(
                f"| {run['label']} | {run['method']} | calibration={name} | "
                f"{ci(variant['test']['macro_f1'])} | {ci(variant['test']['accuracy'])} | "
                f"{_cv_cell(variant['cv'])} | "
                f"{variant['test']['calibration']['ece']:.3f} | "
                f"{variant['test']['speaker_rollup']['accuracy']:.2f} |"
            )
    lines += ["", "Commands:", ""]
    lines += [f"- `{command}`" for command in dict.fromkeys(run["command"] for run in runs)]
    if targets:
        lines += [
            "",
            "## Target detection",
            "",
            f"`detect_target` vs the labelled target of each of {targets['articles']} articles, "
            "MiniLM cosine (bootstrap 95% CI over articles):",
            "",
            f"- mean cosine {ci(targets['mean_cosine'])}; share ≥ {targets['threshold']}: "
            f"{ci(targets['share_at_threshold'])}",
            f"- baseline (the article's first line): mean cosine "
            f"{ci(targets['first_line_mean_cosine'])}; share ≥ {targets['threshold']}: "
            f"{ci(targets['first_line_share_at_threshold'])}",
            f"- command: `{targets['command']}`",
        ]
    md_path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return json_path, md_path


def _save_run(result: dict[str, Any], label: str, command: str) -> Path:
    result = {"label": label, "command": command, **result}
    path = RESULTS / f"stance-run-{label}.json"
    path.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return path


def main(argv: Sequence[str] | None = None) -> None:
    import argparse
    import shlex
    import sys

    parser = argparse.ArgumentParser(prog="python -m stance.classify.evaluate",
                                     description="Evaluate stance classifiers.")
    parser.add_argument("--method", default="head")
    parser.add_argument("--model")
    parser.add_argument("--data", default=str(DEFAULT_DATA))
    parser.add_argument("--split", default="test")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--features", nargs="+", help="head feature blocks")
    parser.add_argument("--c", type=float, help="head inverse regularisation")
    parser.add_argument("--teacher", help="distil the head from this generator's shipped "
                        "probe (or a probe folder), refit per fold (stance/classify/distill.py); "
                        "default: the teacher of the shipped head; 'none': no distillation")
    parser.add_argument("--no-cv", action="store_true", help="test split only (slow methods)")
    parser.add_argument("--label", help="run name for eval/results/stance-run-<label>.json")
    parser.add_argument("--ablation", action="store_true", help="head over ABLATIONS inputs")
    parser.add_argument("--targets", action="store_true", help="evaluate detect_target")
    parser.add_argument("--report", action="store_true", help="merge runs into stance-eval.*")
    args = parser.parse_args(argv)
    command = "python -m stance.classify.evaluate " + shlex.join(
        sys.argv[1:] if argv is None else list(argv)
    )
    if args.report:
        for path in write_report():
            print(path)
        return
    if args.targets:
        result = evaluate_targets(args.data, seed=args.seed)
        result["command"] = command
        path = RESULTS / "stance-targets.json"
        path.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
        print(path, json.dumps({k: v for k, v in result.items() if k != "items"}))
        return
    options: dict[str, Any] = {}
    if args.c is not None:
        options["c"] = args.c
    teacher = shipped_teacher() if args.teacher is None else args.teacher
    plan = {args.label or args.method: tuple(args.features) if args.features else None}
    if args.ablation:
        plan = {f"head-{name}": feats for name, feats in ABLATIONS.items()}
    for label, features in plan.items():
        run_options = dict(options, **({"features": features} if features else {}))
        result = evaluate_stance(args.method, args.model, args.data, args.split, args.seed,
                                 cv=not args.no_cv,
                                 teacher=None if teacher == "none" else teacher, **run_options)
        print(_save_run(result, label, command), json.dumps(_short(result)))


if __name__ == "__main__":
    main()
