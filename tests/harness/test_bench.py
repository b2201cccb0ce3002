"""bench: several models on one task -> rows with quality and speed, a PNG and a markdown table."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from stance.harness.bench import bench

HERE = Path(__file__).resolve().parent


@pytest.mark.usefixtures("fake_models")
def test_bench_in_process_writes_png_and_markdown(tiny_task_path: Path, tmp_path: Path) -> None:
    result = bench(tiny_task_path, ["fake", "fake:b"], output_dir=tmp_path, isolate=False)
    assert [row.model for row in result.rows] == ["fake", "fake:b"]
    row = result.rows[0]
    assert row.n == 5 and row.error is None
    assert row.quality["value"] == pytest.approx(7 / 9)
    assert row.quality["low"] <= row.quality["value"] <= row.quality["high"]
    assert row.latency_p50 <= row.latency_p95
    assert row.items_per_second > 0 and row.peak_rss_mb > 0 and row.load_seconds >= 0
    assert result.plot_path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    markdown = result.markdown_path.read_text()
    assert "| model | n | macro_f1 [95% CI] | accuracy [95% CI] | load s | p50 ms |" in markdown
    assert "| fake | 5 | 0.778 [" in markdown and "| fake:b | 5 |" in markdown
    data = json.loads(result.json_path.read_text())
    assert data["metric"] == "macro_f1" and len(data["rows"]) == 2
    assert (tmp_path / "runs" / "tiny-stance__fake.jsonl").is_file()


@pytest.mark.usefixtures("fake_models")
def test_bench_keeps_going_after_a_failing_model(
    tiny_task_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    from stance.errors import ModelError

    fake = sys.modules["stance.classify"]
    real = fake.get_classifier

    def picky(method, model=None, labelset=None):
        if model == "missing":
            raise ModelError("model 'missing' is not installed")
        return real(method, model, labelset)

    monkeypatch.setattr(fake, "get_classifier", picky)
    result = bench(tiny_task_path, ["fake:missing", "fake"], output_dir=tmp_path, isolate=False)
    assert "not installed" in result.rows[0].error and result.rows[0].quality is None
    assert result.rows[1].quality is not None
    assert "failed: model 'missing' is not installed" in result.markdown_path.read_text()
    assert result.plot_path.is_file()


def test_bench_fresh_process_per_model(tiny_task_path: Path, tmp_path: Path) -> None:
    progress: list[tuple[int, int, str]] = []
    result = bench(
        tiny_task_path,
        ["fake"],
        output_dir=tmp_path,
        preload=[str(HERE / "install_fakes.py")],
        progress=lambda *a: progress.append(a),
    )
    (row,) = result.rows
    assert row.error is None, row.error
    assert row.n == 5 and row.peak_rss_mb > 0 and row.baseline_rss_mb > 0
    assert row.quality["value"] == pytest.approx(7 / 9)
    assert progress[-1] == (5, 5, "fake")
    assert result.isolated and "fresh process" in result.markdown_path.read_text()


@pytest.mark.usefixtures("fake_models")
def test_bench_reuse_keeps_earlier_rows(tiny_task_path: Path, tmp_path: Path) -> None:
    first = bench(tiny_task_path, ["fake"], output_dir=tmp_path, isolate=False)
    again = bench(tiny_task_path, ["fake", "fake:b"], output_dir=tmp_path, isolate=False,
                  reuse=True)
    assert again.rows[0] == first.rows[0]  # not measured again
    assert [row.model for row in again.rows] == ["fake", "fake:b"]
    other_limit = bench(tiny_task_path, ["fake"], output_dir=tmp_path, isolate=False, limit=3,
                        reuse=True)
    assert other_limit.rows[0].n == 3
