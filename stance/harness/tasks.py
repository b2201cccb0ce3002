"""Tasks are data: ``eval/tasks/<name>.yaml`` -> :class:`Task`, and a task's dataset -> items.

A task names its kind (what the model does), the dataset, how dataset fields map onto the
fields the kind needs, the split, the label set and the metrics. Adding a labelled set needs
a YAML file, not code. A dataset can be:

- a path (``eval/data/x.jsonl``; relative to the project root) to JSONL, JSON, CSV or parquet,
  or to a folder that ``datasets.load_dataset`` understands;
- ``{benchmark: <path>}``: the same, relative to the benchmarks root (``STANCE_BENCHMARKS`` or
  ``<project root>/../shared/benchmarks``);
- ``{loader: csv|json|parquet|<folder>, data_files: ...}``: any ``datasets.load_dataset`` call;
- ``{builtin: ggt|polnear-dev|polnear-heldout[-f|-g|-h|-i|-j]|frank-heldout[-b|-c|-d|-e]}``: a quote
  benchmark read by ``stance.harness.quote_scoring``.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from stance.errors import DatasetError, InputError
from stance.harness.metrics import DEFAULT_RESAMPLES

KINDS = ("stance", "summary", "quotes")

# Fields each kind needs from every row (canonical name -> required?).
KIND_FIELDS: dict[str, dict[str, bool]] = {
    "stance": {
        "text": True,
        "label": True,
        "speaker": False,
        "target": False,
        "context": False,
        "doc": False,
        "id": False,
    },
    "summary": {"article": True, "reference": True, "title": False, "id": False, "systems": False},
    "quotes": {},
}

KIND_METRICS: dict[str, tuple[str, ...]] = {
    "stance": ("macro_f1", "accuracy"),
    "summary": (
        "rouge1", "rouge2", "rougeLsum", "entity_precision", "number_precision",
        "quotation_precision", "unsupported_rate",
    ),
    "quotes": ("quote_f1", "quote_precision", "quote_recall", "speaker_accuracy"),
}

def project_root() -> Path:
    """The checkout holding ``eval/`` (the package's parent), else the working directory."""
    root = Path(__file__).resolve().parents[2]
    return root if (root / "eval").is_dir() else Path.cwd()


def benchmarks_root(root: str | Path | None = None) -> Path:
    """``root``, else ``$STANCE_BENCHMARKS``, else ``../shared/benchmarks`` beside the project."""
    if root is not None:
        return Path(root)
    env = os.environ.get("STANCE_BENCHMARKS")
    if env:
        return Path(env).expanduser()
    return (project_root().parent / "shared" / "benchmarks").resolve()


def tasks_dir() -> Path:
    return project_root() / "eval" / "tasks"


@dataclass
class Item:
    """One unit of work: ``id`` is stable across runs, ``fields`` uses the kind's names."""

    id: str
    fields: dict[str, Any]


@dataclass
class Task:
    name: str
    kind: str
    dataset: str | dict[str, Any]
    version: int | str = 1
    split: str | None = None
    split_field: str = "split"
    fields: dict[str, str] = field(default_factory=dict)
    labels: list[str] | None = None
    labelset: str | None = None
    metrics: list[str] = field(default_factory=list)
    primary: str | None = None
    resamples: int = DEFAULT_RESAMPLES
    description: str = ""
    keep_text: bool = True
    options: dict[str, Any] = field(default_factory=dict)
    source: str | None = None

    @property
    def primary_metric(self) -> str:
        """The metric bench plots and ranks by: ``primary`` if set, else the first listed."""
        return self.primary or self.metrics[0]

    def dataset_files(self) -> list[Path]:
        """The files whose bytes define the dataset (hashed into run metadata)."""
        spec = self.dataset
        if isinstance(spec, dict) and "builtin" in spec:
            return _builtin_files(spec["builtin"])
        if isinstance(spec, dict) and "loader" in spec:
            files = spec.get("data_files")
            if files is None:
                return _files_under(resolve_path(spec["loader"]))
            if isinstance(files, dict):
                files = files.get(self.split or "train", list(files.values()))
            files = [files] if isinstance(files, str) else list(files)
            return [resolve_path(f) for f in files]
        return _files_under(self.dataset_path())

    def dataset_path(self) -> Path:
        """The file or folder of a path or ``benchmark`` dataset (loaders name their own)."""
        spec = self.dataset
        if isinstance(spec, dict):
            if "benchmark" not in spec:
                raise InputError(f"task {self.name!r}: its dataset is not a single path")
            return benchmarks_root() / spec["benchmark"]
        return resolve_path(spec)

    def describe_dataset(self) -> str:
        spec = self.dataset
        return spec if isinstance(spec, str) else json.dumps(spec, sort_keys=True)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "version": self.version,
            "kind": self.kind,
            "dataset": self.dataset,
            "split": self.split,
            "fields": self.fields,
            "split_field": self.split_field,
            "labels": self.labels,
            "labelset": self.labelset,
            "metrics": self.metrics,
            "primary": self.primary,
            "resamples": self.resamples,
            "keep_text": self.keep_text,
            "options": self.options,
            "source": self.source,
        }


def resolve_path(path: str | Path) -> Path:
    """Relative paths are read from the project root, else from the working directory."""
    path = Path(path).expanduser()
    if path.is_absolute():
        return path
    rooted = project_root() / path
    return rooted if rooted.exists() or not path.exists() else path.resolve()


def _files_under(path: Path) -> list[Path]:
    if path.is_dir():
        return sorted(p for p in path.rglob("*") if p.is_file())
    return [path]


def available_tasks() -> list[str]:
    return sorted(p.stem for p in tasks_dir().glob("*.yaml"))


def load_task(name_or_path: str | Path) -> Task:
    """Read a task by name (``eval/tasks/<name>.yaml``) or by path to a YAML file."""
    import yaml

    ref = str(name_or_path)
    path = Path(ref)
    if not path.is_file():
        path = tasks_dir() / f"{ref}.yaml"
    if not path.is_file():
        known = ", ".join(available_tasks()) or "none"
        raise InputError(f"task {ref!r} not found; pass a task YAML path or one of: {known}")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise InputError(f"task file {path} is not valid YAML: {exc}") from exc
    return task_from_dict(data, source=str(path))


def task_from_dict(data: Any, source: str | None = None) -> Task:
    where = f"task file {source}" if source else "task"
    if not isinstance(data, dict):
        raise InputError(f"{where}: expected a mapping with kind, dataset and metrics")
    kind = data.get("kind")
    if kind not in KINDS:
        raise InputError(f"{where}: kind must be one of {', '.join(KINDS)}, got {kind!r}")
    if "dataset" not in data:
        raise InputError(f"{where}: missing 'dataset' (a path or a loader mapping)")
    dataset = data["dataset"]
    if isinstance(dataset, dict):
        keys = {"benchmark", "loader", "builtin"} & set(dataset)
        if len(keys) != 1:
            raise InputError(f"{where}: dataset mapping needs one of benchmark, loader, builtin")
        if "builtin" in dataset:
            from stance.harness.quote_scoring import DATASETS

            if dataset["builtin"] not in DATASETS:
                raise InputError(
                    f"{where}: unknown builtin dataset {dataset['builtin']!r}; "
                    f"known: {', '.join(DATASETS)}"
                )
    elif not isinstance(dataset, str):
        raise InputError(f"{where}: dataset must be a path or a mapping")
    fields = {str(k): str(v) for k, v in (data.get("fields") or {}).items()}
    unknown = set(fields) - set(KIND_FIELDS[kind])
    if unknown:
        raise InputError(
            f"{where}: fields {sorted(unknown)} are not used by kind {kind!r}; "
            f"it reads {sorted(KIND_FIELDS[kind]) or 'no mapped fields'}"
        )
    if "builtin" not in (dataset if isinstance(dataset, dict) else {}):
        for name, required in KIND_FIELDS[kind].items():
            if required:
                fields.setdefault(name, name)
    labels, labelset = _labels(data.get("labels"), where)
    if kind == "stance" and not labels:
        raise InputError(f"{where}: a stance task needs labels (a list or a label set name)")
    metrics = list(data.get("metrics") or KIND_METRICS[kind])
    bad = [m for m in metrics if m not in KIND_METRICS[kind]]
    if bad:
        raise InputError(
            f"{where}: metrics {bad} do not apply to kind {kind!r}; "
            f"choose from {', '.join(KIND_METRICS[kind])}"
        )
    primary = data.get("primary")
    if primary is not None and primary not in metrics:
        raise InputError(f"{where}: primary metric {primary!r} is not one of its metrics")
    name = data.get("name") or (Path(source).stem if source else "task")
    return Task(
        name=str(name),
        kind=kind,
        dataset=dataset,
        version=data.get("version", 1),
        split=data.get("split"),
        split_field=str(data.get("split_field", "split")),
        fields=fields,
        labels=labels,
        labelset=labelset,
        metrics=metrics,
        primary=primary,
        resamples=int(data.get("resamples", DEFAULT_RESAMPLES)),
        description=str(data.get("description") or ""),
        keep_text=bool(data.get("keep_text", True)),
        options=dict(data.get("options") or {}),
        source=source,
    )


def _labels(value: Any, where: str) -> tuple[list[str] | None, str | None]:
    """A list of names, or a label set name/path resolved through ``stance.classify``."""
    if value is None:
        return None, None
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return list(value), None
    if isinstance(value, str):
        from stance.classify.labelsets import load_labelset

        path = resolve_path(value)
        ref = str(path) if path.is_file() else value
        return load_labelset(ref).names, value
    raise InputError(f"{where}: labels must be a list of names or a label set name")


def file_sha256(paths: Iterable[Path]) -> str:
    """sha256 of one file (same as ``sha256sum``), or of name+bytes of several in order."""
    paths = list(paths)
    digest = hashlib.sha256()
    if len(paths) == 1 and paths[0].is_file():
        with paths[0].open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        return digest.hexdigest()
    for path in paths:
        if not path.is_file():
            raise DatasetError(f"dataset file {path} does not exist; check the task's dataset")
        digest.update(path.name.encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def load_items(task: Task) -> list[Item]:
    """The task's rows in dataset order, mapped to the kind's field names.

    Raises DatasetError naming the file, row and field when a row does not fit the task.
    """
    if isinstance(task.dataset, dict) and "builtin" in task.dataset:
        return _builtin_items(task.dataset["builtin"])
    rows, where = _read_rows(task)
    items: list[Item] = []
    seen: dict[str, int] = {}
    split_present = bool(rows) and any(task.split_field in row for _, row in rows[:50])
    for line, row in rows:
        if task.split and split_present and row.get(task.split_field) != task.split:
            continue
        mapped = _map_row(row, task.fields, where, line)
        item_id = str(mapped.pop("id", None) or line)
        if item_id in seen:
            raise DatasetError(
                f"{where} row {line}: id {item_id!r} repeats row {seen[item_id]}; "
                "ids must be unique"
            )
        seen[item_id] = line
        if task.labels is not None and "label" in mapped and mapped["label"] not in task.labels:
            raise DatasetError(
                f"{where} row {line}: label {mapped['label']!r} is not in the task's labels "
                f"({', '.join(task.labels)})"
            )
        items.append(Item(id=item_id, fields=mapped))
    if not items:
        split = f" with {task.split_field} {task.split!r}" if task.split and split_present else ""
        raise DatasetError(f"{where}: no rows{split}; check the task's dataset and split")
    return items


def _builtin_files(name: str) -> list[Path]:
    """Gold file plus article texts of a built-in quote benchmark."""
    from stance.harness import quote_scoring

    files = quote_scoring.dataset_files(name, benchmarks_root())
    missing = next((path for path in files if not path.is_file()), None)
    if missing is not None:
        raise DatasetError(
            f"benchmark {name!r} needs {missing}; set STANCE_BENCHMARKS to the benchmarks root"
        )
    return files


def _builtin_items(name: str) -> list[Item]:
    """One item per article; ``fields['doc']`` is a quote_scoring ``GoldDoc``."""
    from stance.harness import quote_scoring

    docs = quote_scoring.load_dataset(name, benchmarks_root())
    return [Item(id=doc.doc, fields={"doc": doc}) for doc in docs]


def _map_row(row: dict[str, Any], fields: dict[str, str], where: str, line: int) -> dict[str, Any]:
    missing = [f"{src!r} (task field {name!r})" for name, src in fields.items() if src not in row]
    if missing:
        raise DatasetError(
            f"{where} row {line}: missing field {', '.join(missing)}; "
            f"row has {', '.join(sorted(map(str, row))) or 'no fields'}"
        )
    mapped = {}
    for name, src in fields.items():
        value = row[src]
        if isinstance(value, list) and name in ("reference", "article", "text", "context"):
            # Sentence lists: one per line, which is what rougeLsum expects.
            value = "\n".join(str(v) for v in value)
        mapped[name] = value
    return mapped


def _read_rows(task: Task) -> tuple[list[tuple[int, dict[str, Any]]], str]:
    """(row number, row) pairs; row numbers are 1-based lines for JSONL, else record order."""
    spec = task.dataset
    if isinstance(spec, dict) and "loader" in spec:
        return _load_with_datasets(task, spec["loader"], spec.get("data_files"), spec)
    path = task.dataset_path()
    where = _display(path)
    if not path.exists():
        raise DatasetError(f"dataset {where} does not exist; check the task's dataset path")
    if path.is_dir() or path.suffix.lower() not in (".jsonl", ".json"):
        builder = {".csv": "csv", ".parquet": "parquet", ".tsv": "csv"}.get(path.suffix.lower())
        if path.is_dir():
            return _load_with_datasets(task, str(path), None, {})
        if builder is None:
            raise DatasetError(f"dataset {where}: unsupported file type; use JSONL, CSV or parquet")
        extra = {"delimiter": "\t"} if path.suffix.lower() == ".tsv" else {}
        return _load_with_datasets(task, builder, str(path), extra)
    text = path.read_text(encoding="utf-8")
    if path.suffix.lower() == ".json" and text.lstrip().startswith("["):
        return [(i, row) for i, row in enumerate(json.loads(text), 1)], where
    rows = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise DatasetError(f"{where} line {number}: not valid JSON ({exc.msg})") from exc
        if not isinstance(row, dict):
            raise DatasetError(f"{where} line {number}: expected a JSON object per line")
        rows.append((number, row))
    return rows, where


def _load_with_datasets(
    task: Task, loader: str, data_files: Any, spec: dict[str, Any]
) -> tuple[list[tuple[int, dict[str, Any]]], str]:
    import datasets

    kwargs = {k: v for k, v in spec.items() if k not in ("loader", "data_files")}
    if isinstance(data_files, str):
        data_files = str(resolve_path(data_files))
    elif isinstance(data_files, dict):
        data_files = {k: str(resolve_path(v)) for k, v in data_files.items()}
    loader_path = resolve_path(loader)
    if loader_path.exists():
        loader = str(loader_path)
    where = _display(Path(data_files)) if isinstance(data_files, str) else loader
    try:
        loaded = datasets.load_dataset(loader, data_files=data_files, **kwargs)
    except Exception as exc:  # datasets raises many unrelated types for a bad spec
        raise DatasetError(f"dataset {where}: datasets.load_dataset failed: {exc}") from exc
    split = task.split if task.split in loaded else None
    if split is None:
        if len(loaded) != 1:
            raise DatasetError(
                f"dataset {where}: split {task.split!r} not found; it has {', '.join(loaded)}"
            )
        split = next(iter(loaded))
    return [(i, dict(row)) for i, row in enumerate(loaded[split], 1)], where


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(project_root()))
    except ValueError:
        return str(path)
