"""Task files and datasets: loading, split filtering, field mapping, and clear errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from stance.errors import DatasetError, InputError
from stance.harness.tasks import (
    available_tasks,
    benchmarks_root,
    file_sha256,
    load_items,
    load_task,
    task_from_dict,
)


def _task(tmp_path: Path, rows: list[dict], **overrides) -> Path:
    data_path = tmp_path / "data.jsonl"
    data_path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    spec = {
        "name": "t",
        "kind": "stance",
        "dataset": str(data_path),
        "fields": {"text": "quote", "label": "label"},
        "labels": ["open", "cautious", "neutral"],
        **overrides,
    }
    path = tmp_path / "t.yaml"
    path.write_text(yaml.safe_dump(spec), encoding="utf-8")
    return path


def test_load_task_reads_tiny_task(tiny_task_path: Path) -> None:
    task = load_task(tiny_task_path)
    assert task.name == "tiny-stance"
    assert task.kind == "stance"
    assert task.labels == ["open", "cautious", "neutral"]
    assert task.primary_metric == "macro_f1"


def test_load_items_filters_split_and_maps_fields(tiny_task_path: Path) -> None:
    items = load_items(load_task(tiny_task_path))
    assert [item.id for item in items] == ["q1", "q2", "q3", "q4", "q5"]  # train row dropped
    assert items[0].fields["text"] == "We are ready to work with them."
    assert items[0].fields["speaker"] == "Ana Diaz"
    assert "quote" not in items[0].fields


def test_missing_field_names_field_file_and_row(tmp_path: Path) -> None:
    rows = [{"quote": "a", "label": "open"}, {"quote": "b", "label": "open"}, {"text": "c"}]
    with pytest.raises(DatasetError) as info:
        load_items(load_task(_task(tmp_path, rows)))
    message = str(info.value)
    assert "data.jsonl row 3" in message
    assert "'quote'" in message
    assert "\n" not in message


def test_label_outside_label_set_is_a_dataset_error(tmp_path: Path) -> None:
    rows = [{"quote": "a", "label": "open"}, {"quote": "b", "label": "favor"}]
    with pytest.raises(DatasetError, match="row 2: label 'favor'"):
        load_items(load_task(_task(tmp_path, rows)))


def test_bad_json_line_is_a_dataset_error(tmp_path: Path) -> None:
    path = _task(tmp_path, [{"quote": "a", "label": "open"}])
    data = tmp_path / "data.jsonl"
    data.write_text(data.read_text() + "{not json\n", encoding="utf-8")
    with pytest.raises(DatasetError, match="line 2"):
        load_items(load_task(path))


def test_duplicate_ids_are_rejected(tmp_path: Path) -> None:
    rows = [{"id": "x", "quote": "a", "label": "open"}, {"id": "x", "quote": "b", "label": "open"}]
    path = _task(tmp_path, rows, fields={"id": "id", "text": "quote", "label": "label"})
    with pytest.raises(DatasetError, match="repeats row 1"):
        load_items(load_task(path))


def test_ids_default_to_row_numbers(tmp_path: Path) -> None:
    rows = [{"quote": "a", "label": "open"}, {"quote": "b", "label": "neutral"}]
    assert [i.id for i in load_items(load_task(_task(tmp_path, rows)))] == ["1", "2"]


def test_csv_dataset_through_datasets_loader(tmp_path: Path) -> None:
    csv = tmp_path / "set.csv"
    csv.write_text("quote,label\nwe agree,open\nno comment,neutral\n", encoding="utf-8")
    task = task_from_dict(
        {
            "kind": "stance",
            "dataset": {"loader": "csv", "data_files": str(csv)},
            "fields": {"text": "quote", "label": "label"},
            "labels": ["open", "neutral"],
        }
    )
    items = load_items(task)
    assert [i.fields["text"] for i in items] == ["we agree", "no comment"]
    assert task.dataset_files() == [csv]


def test_sentence_list_fields_are_joined_by_newlines(tiny_summary_path: Path) -> None:
    items = load_items(load_task(tiny_summary_path))
    assert items[0].fields["reference"] == "The river flooded the town.\nHomes were damaged."


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"kind": "translate"}, "kind must be one of"),
        ({"metrics": ["bleu"]}, "do not apply"),
        ({"fields": {"text": "quote", "body": "x"}}, "not used by kind"),
        ({"labels": None}, "needs labels"),
        ({"primary": "accuracy", "metrics": ["macro_f1"]}, "primary metric"),
    ],
)
def test_bad_task_file_is_an_input_error(tmp_path: Path, change: dict, message: str) -> None:
    path = _task(tmp_path, [{"quote": "a", "label": "open"}], **change)
    with pytest.raises(InputError, match=message):
        load_task(path)


def test_unknown_task_lists_known_names() -> None:
    with pytest.raises(InputError, match="stance"):
        load_task("no-such-task")
    assert {"stance", "summary-frank", "quotes-ggt", "quotes-polnear", "quotes-heldout",
            "quotes-heldout-b", "quotes-heldout-c", "quotes-heldout-d", "quotes-heldout-e",
            "quotes-heldout-polnear", "quotes-heldout-f",
            "quotes-heldout-g", "quotes-heldout-h", "quotes-heldout-i",
            "quotes-heldout-j", "quotes-heldout-k", "quotes-heldout-l",
            "quotes-heldout-m"} <= set(
        available_tasks())


def test_file_sha256_matches_single_file_digest(tmp_path: Path) -> None:
    import hashlib

    path = tmp_path / "x.txt"
    path.write_bytes(b"abc")
    assert file_sha256([path]) == hashlib.sha256(b"abc").hexdigest()


def test_benchmarks_root_follows_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("STANCE_BENCHMARKS", str(tmp_path))
    assert benchmarks_root() == tmp_path


def test_bundled_stance_task_reads_test_split() -> None:
    task = load_task("stance")
    items = load_items(task)
    assert task.labels == ["open", "cautious", "neutral"]
    assert items and all(i.fields["label"] in task.labels for i in items)


@pytest.mark.skipif(
    not (benchmarks_root() / "summarization").is_dir(), reason="benchmarks not available"
)
def test_bundled_summary_task_reads_frank_validation() -> None:
    items = load_items(load_task("summary-frank"))
    assert len(items) == 75
    assert "\n" in items[0].fields["reference"]
