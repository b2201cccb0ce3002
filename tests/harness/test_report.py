"""compare_runs: runs side by side with intervals; the best per metric is marked."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from stance.errors import InputError
from stance.harness.metrics import Interval
from stance.harness.report import compare_runs
from stance.harness.run import run_eval


@pytest.fixture
def two_runs(fake_models: None, tiny_task_path: Path, tmp_path: Path) -> list[Path]:
    good = run_eval(tiny_task_path, "fake", output=tmp_path / "runs" / "good.jsonl")
    fake = sys.modules["stance.classify"]
    real = fake.get_classifier

    def always_neutral(method, model=None, labelset=None):
        classifier = real(method, model, labelset)
        classifier.predict = lambda records: real(method).predict(
            [{**r, "text": "nothing"} for r in records]
        )
        return classifier

    fake.get_classifier = always_neutral
    try:
        bad = run_eval(tiny_task_path, "fake:neutral", output=tmp_path / "runs" / "bad.jsonl")
    finally:
        fake.get_classifier = real
    return [good.records_path, bad.records_path]


def test_compare_runs_side_by_side(two_runs: list[Path]) -> None:
    table = compare_runs(two_runs)
    assert table.columns[:4] == ["run", "task", "model", "n"]
    assert {"macro_f1", "accuracy", "p50 ms", "items/s"} <= set(table.columns)
    good, bad = table.rows
    assert (good["model"], bad["model"]) == ("fake", "fake:neutral")
    assert isinstance(good["accuracy"], Interval)
    assert good["accuracy"].value == pytest.approx(0.8)
    assert bad["accuracy"].value == pytest.approx(0.2)  # only q3 is neutral
    assert table.best == {"macro_f1": "good", "accuracy": "good"}
    markdown = table.to_markdown()
    assert "**0.800 [" in markdown and markdown.count("\n") == 4
    assert table.to_records()[0]["accuracy"]["value"] == pytest.approx(0.8)


def test_compare_runs_accepts_folder_and_sidecar(two_runs: list[Path]) -> None:
    by_folder = compare_runs([two_runs[0].parent])
    assert {row["run"] for row in by_folder.rows} == {"good", "bad"}
    summary = two_runs[0].with_name("good.summary.json")
    assert compare_runs([summary]).rows[0]["run"] == "good"


def test_compare_runs_rescores_when_summary_missing(two_runs: list[Path]) -> None:
    two_runs[0].with_name("good.summary.json").unlink()
    row = compare_runs([two_runs[0]]).rows[0]
    assert row["accuracy"].value == pytest.approx(0.8)


def test_compare_runs_missing_path(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not found"):
        compare_runs([tmp_path / "nope.jsonl"])


def test_compare_runs_finds_a_bare_run_name(
    two_runs: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    import stance.harness.report as report

    monkeypatch.setattr(report, "results_dir", lambda: two_runs[0].parent)
    assert compare_runs(["good"]).rows[0]["model"] == "fake"
