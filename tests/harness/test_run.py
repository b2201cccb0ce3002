"""run_eval: records, metadata, summary, and resuming a killed run without loss or duplicates."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from stance.errors import InputError
from stance.harness.report import show_errors
from stance.harness.run import read_records, run_eval

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]


def _strip_timing(records: list[dict]) -> list[dict]:
    return [{k: v for k, v in r.items() if k != "seconds"} for r in records]


def _summary_without_speed(path: Path) -> dict:
    summary = json.loads(path.read_text())
    summary.pop("speed")
    summary.pop("run")
    return summary


@pytest.mark.usefixtures("fake_models")
def test_run_writes_records_meta_and_summary(tiny_task_path: Path, tmp_path: Path) -> None:
    seen = []
    result = run_eval(
        tiny_task_path, "fake", output=tmp_path / "run.jsonl", progress=lambda *a: seen.append(a)
    )
    records = read_records(result.records_path)
    assert [r["id"] for r in records] == ["q1", "q2", "q3", "q4", "q5"]
    assert records[4] | {"seconds": 0} == records[4] | {
        "gold": "open", "predicted": "neutral", "correct": False, "seconds": 0
    }
    meta = json.loads(result.meta_path.read_text())
    data = (ROOT / "tests/data/harness/stance5.jsonl").read_bytes()
    assert meta["dataset"]["sha256"] == hashlib.sha256(data).hexdigest()
    assert meta["task"]["name"] == "tiny-stance" and meta["task"]["version"] == 1
    assert meta["model"] == {"spec": "fake", "method": "fake", "model": None, "checksum": None,
                             "note": "the method's default model"}
    assert set(meta["packages"]) >= {"stance", "torch", "transformers", "scikit-learn"}
    assert meta["git_commit"] and meta["seed"] == 0
    assert meta["sessions"][0]["items"] == 5 and "load_seconds" in meta["sessions"][0]
    summary = json.loads(result.summary_path.read_text())
    assert summary["n"] == 5
    # 4 of 5 right; macro-F1 (2/3 + 1 + 2/3) / 3 = 7/9
    assert summary["metrics"]["accuracy"]["value"] == pytest.approx(0.8)
    assert summary["metrics"]["macro_f1"]["value"] == pytest.approx(7 / 9)
    assert summary["confusion"] == [[1, 0, 1], [0, 2, 0], [0, 0, 1]]
    assert summary["per_class"]["cautious"]["f1"] == 1.0
    assert summary["speed"]["latency_p50"] is not None
    assert seen[0] == (0, 5, "tiny-stance x fake") and seen[-1][:2] == (5, 5)


@pytest.mark.usefixtures("fake_models")
def test_show_errors_lists_misses(tiny_task_path: Path, tmp_path: Path) -> None:
    result = run_eval(tiny_task_path, "fake", output=tmp_path / "run.jsonl")
    misses = show_errors(result.records_path)
    assert [(m["id"], m["gold"], m["predicted"]) for m in misses] == [("q5", "open", "neutral")]


def _killed_run(task: Path, output: Path, kill_after: int) -> subprocess.CompletedProcess:
    """Run the fake classifier in a child that SIGKILLs itself on its Nth prediction."""
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]); import fakes; fakes.install()\n"
        "from pathlib import Path; from stance.harness.run import run_eval\n"
        "run_eval(sys.argv[2], 'fake', output=Path(sys.argv[3]))\n"
    )
    env = {**os.environ, "FAKE_KILL_AFTER": str(kill_after), "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-c", code, str(HERE), str(task), str(output)],
        env=env, capture_output=True, text=True, timeout=120,
    )


@pytest.mark.usefixtures("fake_models")
def test_killed_run_resumes_to_same_results(tiny_task_path: Path, tmp_path: Path) -> None:
    full = run_eval(tiny_task_path, "fake", output=tmp_path / "full.jsonl")

    partial = tmp_path / "partial.jsonl"
    # Prediction 1 is the warm-up, 2 and 3 are items q1 and q2, 4 kills the process.
    proc = _killed_run(tiny_task_path, partial, kill_after=4)
    assert proc.returncode == -9, proc.stderr
    assert [r["id"] for r in read_records(partial)] == ["q1", "q2"]

    resumed = run_eval(tiny_task_path, "fake", output=partial, resume=True)
    records = read_records(partial)
    assert [r["id"] for r in records] == ["q1", "q2", "q3", "q4", "q5"]  # none lost or repeated
    assert resumed.done_before == 2
    assert _strip_timing(records) == _strip_timing(read_records(full.records_path))
    assert _summary_without_speed(resumed.summary_path) == _summary_without_speed(
        full.summary_path
    )
    sessions = json.loads(resumed.meta_path.read_text())["sessions"]
    assert len(sessions) == 2 and sessions[1]["items"] == 3 and sessions[1]["resumed_with"] == 2


@pytest.mark.usefixtures("fake_models")
def test_resume_cuts_a_torn_last_line(tiny_task_path: Path, tmp_path: Path) -> None:
    full = run_eval(tiny_task_path, "fake", output=tmp_path / "run.jsonl")
    lines = full.records_path.read_text().splitlines(keepends=True)
    full.records_path.write_text("".join(lines[:3]) + lines[3][:10])  # died mid-write
    run_eval(tiny_task_path, "fake", output=full.records_path, resume=True)
    assert [r["id"] for r in read_records(full.records_path)] == ["q1", "q2", "q3", "q4", "q5"]


@pytest.mark.usefixtures("fake_models")
def test_resume_refuses_a_different_model(tiny_task_path: Path, tmp_path: Path) -> None:
    run_eval(tiny_task_path, "fake", output=tmp_path / "run.jsonl", limit=2)
    with pytest.raises(InputError, match="model_spec"):
        run_eval(tiny_task_path, "other", output=tmp_path / "run.jsonl", resume=True)


@pytest.mark.usefixtures("fake_models")
def test_limit_then_resume_extends_the_run(tiny_task_path: Path, tmp_path: Path) -> None:
    first = run_eval(tiny_task_path, "fake", output=tmp_path / "run.jsonl", limit=2)
    assert first.n == 2
    second = run_eval(tiny_task_path, "fake", output=tmp_path / "run.jsonl", resume=True)
    assert second.n == 5 and second.done_before == 2


@pytest.mark.usefixtures("fake_models")
def test_method_and_model_can_be_given_apart(tiny_task_path: Path, tmp_path: Path) -> None:
    result = run_eval(tiny_task_path, model="m1", method="fake", output=tmp_path / "r.jsonl")
    assert result.summary["model"] == "fake:m1"
    default_name = run_eval(tiny_task_path, "fake:m1", output=tmp_path / "s.jsonl")
    assert default_name.summary["model"] == "fake:m1"


@pytest.mark.usefixtures("fake_models")
def test_summary_kind_scores_rouge_from_records(tiny_summary_path: Path, tmp_path: Path) -> None:
    result = run_eval(tiny_summary_path, "fake", output=tmp_path / "sum.jsonl")
    records = read_records(result.records_path)
    # s2's first sentence is its whole reference.
    assert records[1]["rouge"]["rouge1"] == pytest.approx(100.0)
    mean = sum(r["rouge"]["rouge2"] for r in records) / 3
    assert result.metrics["rouge2"].value == pytest.approx(mean)
    assert records[0]["summary"] == "The river flooded the town on Monday."


@pytest.mark.usefixtures("fake_models")
def test_summary_kind_scores_lead3_and_shipped_systems_on_the_same_items(
    tiny_summary_path: Path, tmp_path: Path
) -> None:
    result = run_eval(tiny_summary_path, "fake", output=tmp_path / "sum.jsonl")
    records = read_records(result.records_path)
    # "copy" is the reference itself, tokenised as FRANK ships system outputs
    assert result.summary["baselines"]["copy"]["rouge2"]["value"] == pytest.approx(100.0)
    lead3 = [r["baselines"]["lead-3"]["rouge2"] for r in records]
    assert all(0.0 < value < 100.0 for value in lead3)  # the whole 3-sentence article
    ours = [r["rouge"]["rouge2"] for r in records]
    paired = sum(a - b for a, b in zip(ours, lead3, strict=True)) / 3
    assert result.summary["rouge2_minus_lead3"]["value"] == pytest.approx(paired)
    assert result.metrics["entity_precision"].value == 1.0
    assert result.metrics["unsupported_rate"].value == 0.0


@pytest.mark.usefixtures("fake_models")
def test_failing_item_is_recorded_and_scored_as_a_miss(
    tiny_task_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys as _sys

    from stance.errors import ModelError

    fake = _sys.modules["stance.classify"]
    real = fake.get_classifier

    def flaky(method, model=None, labelset=None):
        classifier = real(method, model, labelset)
        predict = classifier.predict

        def predict_or_fail(records):
            if "report" in records[0]["text"]:
                raise ModelError("model produced no label")
            return predict(records)

        classifier.predict = predict_or_fail
        return classifier

    monkeypatch.setattr(fake, "get_classifier", flaky)
    result = run_eval(tiny_task_path, "fake", output=tmp_path / "r.jsonl")
    assert result.summary["errors"] == 1
    assert result.metrics["accuracy"].value == pytest.approx(0.8)  # q5 was a miss anyway
    assert show_errors(result.records_path)[0]["error"].startswith("ModelError")


@pytest.mark.usefixtures("fake_models")
def test_batches_share_time_and_isolate_a_failing_item(
    tiny_task_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import yaml

    from stance.errors import ModelError
    from stance.harness.tasks import task_from_dict

    spec = yaml.safe_load(tiny_task_path.read_text())
    task = task_from_dict({**spec, "options": {"batch_size": 2}}, source=str(tiny_task_path))
    fake = sys.modules["stance.classify"]
    real = fake.get_classifier
    calls: list[int] = []

    def counting(method, model=None, labelset=None):
        classifier = real(method, model, labelset)
        predict = classifier.predict

        def predict_batch(records):
            calls.append(len(records))
            if any("Tuesday" in r["text"] for r in records):
                raise ModelError("cannot score q3")
            return predict(records)

        classifier.predict = predict_batch
        return classifier

    monkeypatch.setattr(fake, "get_classifier", counting)
    result = run_eval(task, "fake", output=tmp_path / "r.jsonl", warmup=False)
    records = read_records(result.records_path)
    # q1+q2, then q3+q4 fails and is retried one by one, then q5 alone.
    assert calls == [2, 2, 1, 1, 1]
    assert [r.get("batch") for r in records] == [2, 2, 2, 2, None]
    assert records[0]["seconds"] == records[1]["seconds"]
    assert "error" in records[2] and records[3]["predicted"] == "cautious"


def test_eval_defaults_are_the_library_defaults() -> None:
    from stance.classify import DEFAULT_METHOD as stance_default
    from stance.harness.kinds import DEFAULT_METHODS
    from stance.summarize import DEFAULT_METHOD as summary_default

    assert DEFAULT_METHODS["stance"] == stance_default
    assert DEFAULT_METHODS["summary"] == summary_default


def test_batch_by_gathers_an_article_listed_in_two_places() -> None:
    from stance.harness.run import batches
    from stance.harness.tasks import Item

    docs = ["a", "a", "b", "a", "c", "b"]
    todo = [(i, Item(id=f"q{i}", fields={"doc": d})) for i, d in enumerate(docs)]
    task = SimpleNamespace(options={"batch_by": "doc"})
    assert [[i for i, _ in batch] for batch in batches(todo, task)] == [[0, 1, 3], [2, 5], [4]]
    task.options["batch_size"] = 2
    assert [[i for i, _ in batch] for batch in batches(todo, task)] == [[0, 1], [3], [2, 5], [4]]
    task.options = {"batch_size": 4}
    assert [[i for i, _ in batch] for batch in batches(todo, task)] == [[0, 1, 2, 3], [4, 5]]
    task.options = {}
    assert len(batches(todo, task)) == 6
