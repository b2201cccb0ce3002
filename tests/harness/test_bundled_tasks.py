"""The bundled tasks with the real library functions on a few items (slow: loads models)."""

from __future__ import annotations

from pathlib import Path

import pytest

from stance.harness.run import run_eval
from stance.harness.tasks import benchmarks_root

needs_benchmarks = pytest.mark.skipif(
    not (benchmarks_root() / "quotes").is_dir(), reason="benchmarks not available"
)


@pytest.mark.slow
@needs_benchmarks
def test_quotes_ggt_rules_on_three_articles(tmp_path: Path) -> None:
    result = run_eval("quotes-ggt", "rules", output=tmp_path / "q.jsonl", limit=3)
    assert result.n == 3 and result.summary["errors"] == 0
    for interval in result.metrics.values():
        assert 0.0 <= interval.low <= interval.value <= interval.high <= 1.0
    assert result.summary["counts"]["gold"] > 0


@pytest.mark.slow
@needs_benchmarks
def test_summary_frank_lead_on_two_articles(tmp_path: Path) -> None:
    result = run_eval("summary-frank", "lead", output=tmp_path / "s.jsonl", limit=2)
    assert result.n == 2 and result.summary["errors"] == 0
    assert 0.0 < result.metrics["rouge1"].value <= 100.0
    assert result.metrics["entity_precision"].value == 1.0  # lead copies source sentences
    assert set(result.summary["baselines"]) == {"lead-3", "bart", "bert_sum", "bus", "pgn", "s2s"}
    records = result.records_path.read_text()
    assert '"summary":' not in records  # keep_text: false: no article text in the records


@pytest.mark.slow
def test_stance_head_on_one_article(tmp_path: Path) -> None:
    from stance.classify import default_head_path, load_labelset

    if not (default_head_path(load_labelset("open-cautious-neutral")) / "head.json").is_file():
        pytest.skip("no trained head shipped yet")
    result = run_eval("stance", "head", output=tmp_path / "h.jsonl", limit=8)
    assert result.n == 8 and result.summary["errors"] == 0
    assert len(result.summary["confusion"]) == 3


@pytest.mark.slow
@needs_benchmarks
def test_quotes_ggt_scores_match_quote_scoring(tmp_path: Path) -> None:
    """Per-article records pooled by the harness give quote_scoring's own corpus figures."""
    from stance.harness.quote_scoring import evaluate_quotes

    result = run_eval("quotes-ggt", "rules", output=tmp_path / "q.jsonl", warmup=False)
    reference = evaluate_quotes("ggt", use_nlp=False)
    counts = result.summary["counts"]
    expected = reference["scores"]["all@0.3"]
    assert (counts["tp"], counts["predicted"], counts["gold"]) == (
        expected["matched"], expected["pred"], expected["gold"]
    )
    assert 100 * result.metrics["quote_f1"].value == pytest.approx(expected["f1"], abs=0.05)
    speaker = reference["speaker_accuracy"]
    assert counts["speaker_correct"] == speaker["correct"]
