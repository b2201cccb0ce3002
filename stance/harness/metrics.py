"""Named metrics with their direction, and seeded bootstrap intervals.

Scores come from field libraries (scikit-learn, rouge-score); this module only
decides how items are resampled and how results are reported.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

DEFAULT_RESAMPLES = 1000
DEFAULT_SEED = 0


@dataclass(frozen=True)
class Interval:
    """A point estimate with its bootstrap confidence interval."""

    value: float
    low: float
    high: float

    def to_dict(self) -> dict[str, float]:
        return {"value": self.value, "low": self.low, "high": self.high}

    def __str__(self) -> str:
        return f"{self.value:.3f} [{self.low:.3f}, {self.high:.3f}]"


def bootstrap(
    items: Sequence[Any],
    statistic: Callable[[Sequence[Any]], float],
    resamples: int = DEFAULT_RESAMPLES,
    seed: int = DEFAULT_SEED,
    confidence: float = 0.95,
) -> Interval:
    """Percentile bootstrap of ``statistic`` over items drawn with replacement.

    The same seed always draws the same resamples, so reruns give identical intervals.
    """
    import numpy as np

    if not items:
        raise ValueError("bootstrap needs at least one item")
    point = float(statistic(items))
    rng = np.random.default_rng(seed)
    n = len(items)
    draws = [
        float(statistic([items[i] for i in rng.integers(0, n, size=n)]))
        for _ in range(resamples)
    ]
    alpha = (1.0 - confidence) / 2.0
    low, high = np.quantile(draws, [alpha, 1.0 - alpha])
    return Interval(point, float(low), float(high))


def mean(values: Sequence[float]) -> float:
    return float(sum(values) / len(values))


ROUGE_TYPES = ("rouge1", "rouge2", "rougeLsum")


def rouge_per_item(predictions: Sequence[str], references: Sequence[str]) -> list[dict[str, float]]:
    """ROUGE-1/2/Lsum F-measures (x100) per item, with Porter stemming.

    rougeLsum treats newlines as sentence breaks, so sentences should be newline-separated.
    """
    from rouge_score import rouge_scorer

    scorer = rouge_scorer.RougeScorer(list(ROUGE_TYPES), use_stemmer=True)
    rows = []
    for prediction, reference in zip(predictions, references, strict=True):
        scores = scorer.score(reference, prediction)
        rows.append({name: 100.0 * scores[name].fmeasure for name in ROUGE_TYPES})
    return rows


def rouge_intervals(
    rows: Sequence[dict[str, float]],
    seed: int = DEFAULT_SEED,
    resamples: int = DEFAULT_RESAMPLES,
) -> dict[str, Interval]:
    """Mean ROUGE per type with a bootstrap interval over articles."""
    return {
        name: bootstrap([row[name] for row in rows], mean, resamples=resamples, seed=seed)
        for name in ROUGE_TYPES
    }


def accuracy(pairs: Sequence[tuple[str, str]]) -> float:
    from sklearn.metrics import accuracy_score

    gold, predicted = zip(*pairs, strict=True)
    return float(accuracy_score(gold, predicted))


def macro_f1_for(labels: Sequence[str]) -> Callable[[Sequence[tuple[str, str]]], float]:
    """Macro-F1 over a fixed label set, so a resample missing a class still scores it as 0."""

    def macro_f1(pairs: Sequence[tuple[str, str]]) -> float:
        from sklearn.metrics import f1_score

        gold, predicted = zip(*pairs, strict=True)
        return float(
            f1_score(gold, predicted, labels=list(labels), average="macro", zero_division=0)
        )

    return macro_f1


def classification_report(
    gold: Sequence[str],
    predicted: Sequence[str],
    labels: Sequence[str],
    seed: int = DEFAULT_SEED,
    resamples: int = DEFAULT_RESAMPLES,
) -> dict[str, Any]:
    """Accuracy and macro-F1 with intervals, per-class scores and the confusion matrix."""
    from sklearn.metrics import confusion_matrix, precision_recall_fscore_support

    pairs = list(zip(gold, predicted, strict=True))
    precision, recall, f1, support = precision_recall_fscore_support(
        gold, predicted, labels=list(labels), zero_division=0
    )
    matrix = confusion_matrix(gold, predicted, labels=list(labels))
    return {
        "n": len(pairs),
        "accuracy": bootstrap(pairs, accuracy, resamples=resamples, seed=seed).to_dict(),
        "macro_f1": bootstrap(
            pairs, macro_f1_for(labels), resamples=resamples, seed=seed
        ).to_dict(),
        "per_class": {
            label: {
                "precision": float(p),
                "recall": float(r),
                "f1": float(f),
                "support": int(s),
            }
            for label, p, r, f, s in zip(labels, precision, recall, f1, support, strict=True)
        },
        "labels": list(labels),
        "confusion": matrix.tolist(),
    }


@dataclass(frozen=True)
class Metric:
    """A named score: which way is better and the scale it is reported on."""

    name: str
    higher_is_better: bool = True
    scale: float = 1.0
    description: str = ""


METRICS: dict[str, Metric] = {
    m.name: m
    for m in (
        Metric("accuracy", description="share of items whose label is right"),
        Metric("macro_f1", description="unweighted mean F1 over the task's labels"),
        Metric("rouge1", scale=100.0, description="ROUGE-1 F1 x100, stemmed"),
        Metric("rouge2", scale=100.0, description="ROUGE-2 F1 x100, stemmed"),
        Metric("rougeLsum", scale=100.0, description="ROUGE-Lsum F1 x100, newline sentences"),
        Metric("entity_precision", description="share of summary names the source supports"),
        Metric("number_precision", description="share of summary numbers the source supports"),
        Metric("quotation_precision",
               description="share of summary quotations that are the source's own words"),
        Metric("unsupported_rate", higher_is_better=False,
               description="share of summaries with an unsupported name, number or quotation"),
        Metric("quote_f1", description="micro F1 of predicted vs gold quote spans"),
        Metric("quote_precision", description="micro precision of predicted quote spans"),
        Metric("quote_recall", description="micro recall of gold quote spans"),
        Metric("speaker_accuracy", description="share of matched quotes with the right speaker"),
    )
}


def get_metric(name: str) -> Metric:
    from stance.errors import InputError

    if name not in METRICS:
        raise InputError(f"unknown metric {name!r}; known: {', '.join(METRICS)}")
    return METRICS[name]


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0-100, linear interpolation) of a non-empty sequence."""
    import numpy as np

    return float(np.percentile(np.asarray(values, dtype=float), q))


def ratio_of_sums(numerator: str, denominator: str) -> Callable[[Sequence[dict]], float]:
    """sum(row[numerator]) / sum(row[denominator]) over rows (0 when the denominator is 0).

    Pooling counts per article before dividing gives micro-averaged precision, recall and
    accuracy whose bootstrap resamples articles, not single quotes.
    """

    def statistic(rows: Sequence[dict]) -> float:
        den = sum(row[denominator] for row in rows)
        return float(sum(row[numerator] for row in rows) / den) if den else 0.0

    return statistic


def micro_f1(rows: Sequence[dict]) -> float:
    """F1 from pooled ``tp``, ``fp`` and ``fn`` counts: 2tp / (2tp + fp + fn)."""
    tp = sum(row["tp"] for row in rows)
    wrong = sum(row["fp"] + row["fn"] for row in rows)
    return float(2 * tp / (2 * tp + wrong)) if tp or wrong else 0.0
