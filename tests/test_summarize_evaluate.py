"""The FRANK evaluation on a two-row hand-written stand-in for the benchmark file."""

from __future__ import annotations

import json

import pytest

from stance.errors import DatasetError
from stance.summarize.evaluate import FRANK_FILE, SYSTEMS, evaluate_summaries, main

ROWS = [
    {
        "id": "dm-test-1",
        "article": "Ann Lee won the race in Leeds on Sunday. She ran 10 miles. "
        "Her coach, Tom Fry, was proud. The crowd of 2,000 cheered. It rained later.",
        "reference_sentences_clean": ["Ann Lee won the race in Leeds.", "She ran 10 miles."],
        "system_summaries": {name: "ann lee won the race in leeds . she ran 12 miles ." for name in
                             SYSTEMS},
    },
    {
        "id": "dm-test-2",
        "article": "The museum in Oslo reopened on Monday after repairs. Visitors queued for "
        "three hours. The roof had leaked for years. Tickets cost 15 euros.",
        "reference_sentences_clean": ["The Oslo museum reopened after repairs."],
        "system_summaries": {name: "the museum in oslo reopened on monday ." for name in SYSTEMS},
    },
]


@pytest.fixture
def root(tmp_path):
    path = tmp_path / FRANK_FILE
    path.parent.mkdir(parents=True)
    path.write_text("".join(json.dumps(row) + "\n" for row in ROWS), encoding="utf-8")
    return tmp_path


def test_evaluate_scores_method_beside_lead3_and_systems(root, tmp_path):
    records = tmp_path / "records.jsonl"
    result = evaluate_summaries("lead", root=root, records=records)
    assert result["n"] == 2
    assert set(result["systems"]) == {"lead", "lead-3", *(f"frank:{s}" for s in SYSTEMS)}
    lead = result["systems"]["lead"]
    assert lead["number_precision"]["value"] == 1.0
    assert 0 < lead["rouge2"]["low"] <= lead["rouge2"]["value"] <= lead["rouge2"]["high"]
    system = result["systems"]["frank:bart"]
    # One number across both summaries, and it is wrong (12 for 10): pooled precision 0.
    assert system["number_precision"]["value"] == 0.0
    assert system["unsupported_rate"]["value"] == pytest.approx(0.5)
    assert len(records.read_text().splitlines()) == 2
    assert evaluate_summaries("lead", root=root, records=records)["systems"] == result["systems"]


def test_evaluate_main_writes_scores_without_texts(root, tmp_path):
    out = tmp_path / "summary-frank.json"
    main(["--method", "lead", "--root", str(root), "--out", str(out)])
    saved = json.loads(out.read_text())
    assert "predictions" not in saved["runs"]["lead"]
    assert "Ann Lee" not in out.read_text()
    assert "| lead |" in out.with_suffix(".md").read_text()


def test_evaluate_reports_missing_benchmark(tmp_path):
    with pytest.raises(DatasetError, match="STANCE_BENCHMARKS"):
        evaluate_summaries("lead", root=tmp_path)


def test_held_out_picks_on_train_half_and_scores_on_test_half():
    from stance.summarize.evaluate import DEFAULT_SETTING, _held_out

    # "tuned" wins the train rows (0, 1) by luck and loses the test rows (2, 3).
    scores = {"tuned": [30.0, 30.0, 10.0, 10.0], DEFAULT_SETTING: [20.0, 20.0, 21.0, 21.0]}
    lead3 = [20.0, 20.0, 20.0, 20.0]
    (fold,) = _held_out(scores, lead3, [([0, 1], [2, 3])])
    assert fold["picked"] == "tuned" and fold["train_rouge2"] == 30.0
    assert fold["picked_minus_lead3"] == -10.0 and fold["default_minus_lead3"] == 1.0


def test_evaluate_main_pairs_a_run_with_a_recorded_one(root, tmp_path):
    out = tmp_path / "summary-frank.json"
    common = ["--method", "lead", "--root", str(root), "--out", str(out)]
    main([*common, "--label", "one", "--option", "sentences=1"])
    main([*common, "--label", "three", "--option", "sentences=3", "--paired-with", "one"])
    runs = json.loads(out.read_text())["runs"]
    one = runs["one"]["systems"]["one"]["rouge2_by_article"]
    three = runs["three"]["systems"]["three"]["rouge2_by_article"]
    assert set(one) == {"dm-test-1", "dm-test-2"} and one != three
    expected = sum(three[doc] - one[doc] for doc in one) / len(one)
    paired = runs["three"]["systems"]["three"]["rouge2_minus"]["one"]
    assert paired["value"] == pytest.approx(expected)
    assert "Paired R-2 difference, three minus one:" in out.with_suffix(".md").read_text()
    records = tmp_path / "again.jsonl"
    with pytest.raises(DatasetError, match="no per-article ROUGE-2"):
        main([*common, "--label", "again", "--paired-with", "missing", "--records", str(records)])
    assert not records.exists(), "refused before any article is summarised"
