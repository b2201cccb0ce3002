"""Metrics against cases worked out by hand."""

from __future__ import annotations

import pytest

from stance.harness import metrics

GOLD = ["a", "a", "b", "b", "c"]
PRED = ["a", "b", "b", "b", "a"]


def test_accuracy_hand_case() -> None:
    # Items 1, 3 and 4 are right: 3 / 5.
    assert metrics.accuracy(list(zip(GOLD, PRED, strict=True))) == pytest.approx(0.6)


def test_macro_f1_hand_case() -> None:
    # a: tp 1, fp 1, fn 1 -> P 1/2, R 1/2, F1 0.5
    # b: tp 2, fp 1, fn 0 -> P 2/3, R 1,   F1 0.8
    # c: tp 0, fn 1        -> F1 0
    # macro = (0.5 + 0.8 + 0) / 3
    f1 = metrics.macro_f1_for(["a", "b", "c"])(list(zip(GOLD, PRED, strict=True)))
    assert f1 == pytest.approx(1.3 / 3)


def test_macro_f1_scores_absent_class_as_zero() -> None:
    # Only "a" occurs; "b" is in the label set, so the mean is (1 + 0) / 2.
    assert metrics.macro_f1_for(["a", "b"])([("a", "a")]) == pytest.approx(0.5)


def test_classification_report_per_class_and_confusion() -> None:
    report = metrics.classification_report(GOLD, PRED, ["a", "b", "c"], resamples=200)
    assert report["n"] == 5
    assert report["per_class"]["b"] == {
        "precision": pytest.approx(2 / 3),
        "recall": 1.0,
        "f1": pytest.approx(0.8),
        "support": 2,
    }
    # rows gold, columns predicted
    assert report["confusion"] == [[1, 1, 0], [0, 2, 0], [1, 0, 0]]
    assert report["accuracy"]["value"] == pytest.approx(0.6)


def test_rouge1_hand_pair() -> None:
    # Unigrams shared with clipped counts: the x2, cat, on = 4 of 6 on each side -> F1 = 2/3.
    (row,) = metrics.rouge_per_item(["the cat lay on the rug"], ["the cat sat on the mat"])
    assert row["rouge1"] == pytest.approx(100 * 2 / 3)
    # Bigrams shared: "the cat", "on the" = 2 of 5 each side -> 0.4.
    assert row["rouge2"] == pytest.approx(40.0)


def test_bootstrap_same_seed_same_interval() -> None:
    values = [0.1, 0.5, 0.9, 0.3, 0.7, 0.2, 0.8]
    first = metrics.bootstrap(values, metrics.mean, seed=7)
    again = metrics.bootstrap(values, metrics.mean, seed=7)
    other = metrics.bootstrap(values, metrics.mean, seed=8)
    assert first == again
    assert (first.low, first.high) != (other.low, other.high)


def test_bootstrap_interval_contains_point() -> None:
    pairs = list(zip(GOLD * 4, PRED * 4, strict=True))
    for statistic in (metrics.accuracy, metrics.macro_f1_for(["a", "b", "c"])):
        interval = metrics.bootstrap(pairs, statistic, resamples=200, seed=0)
        assert interval.low <= interval.value <= interval.high
        assert interval.low < interval.high


def test_bootstrap_rejects_empty() -> None:
    with pytest.raises(ValueError):
        metrics.bootstrap([], metrics.mean)


def test_micro_f1_and_ratio_pool_counts() -> None:
    rows = [{"tp": 3, "fp": 1, "fn": 0, "gold": 3}, {"tp": 1, "fp": 0, "fn": 2, "gold": 3}]
    # tp 4, fp 1, fn 2 -> 8 / (8 + 3)
    assert metrics.micro_f1(rows) == pytest.approx(8 / 11)
    assert metrics.ratio_of_sums("tp", "gold")(rows) == pytest.approx(4 / 6)
    assert metrics.ratio_of_sums("tp", "gold")([{"tp": 0, "gold": 0}]) == 0.0


def test_percentile_interpolates() -> None:
    assert metrics.percentile([1.0, 2.0, 3.0, 4.0], 50) == pytest.approx(2.5)
    assert metrics.percentile([1.0, 2.0, 3.0, 4.0], 95) == pytest.approx(3.85)


def test_metric_registry_directions() -> None:
    assert metrics.get_metric("macro_f1").higher_is_better
    assert metrics.get_metric("rouge2").scale == 100.0
    from stance.errors import InputError

    with pytest.raises(InputError, match="known"):
        metrics.get_metric("bleu")


def test_every_metric_a_task_kind_offers_is_registered() -> None:
    from stance.harness.tasks import KIND_METRICS

    offered = {name for names in KIND_METRICS.values() for name in names}
    assert offered <= set(metrics.METRICS)
    assert not metrics.get_metric("unsupported_rate").higher_is_better
