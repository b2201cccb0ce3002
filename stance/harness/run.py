"""task x model -> per-item JSONL records (resumable), run metadata and a scored summary.

A run named ``<run>`` writes three files side by side:

- ``<run>.jsonl``: one record per item, appended and flushed as each item finishes;
- ``<run>.meta.json``: what was run (task version, dataset sha256, model spec and checksum,
  package versions, git commit, seed) and the timings of each session;
- ``<run>.summary.json``: metrics with seeded bootstrap intervals, computed from the records.

``resume=True`` skips items already in the records, so a killed run finishes with the same
records (and therefore the same scores) as an uninterrupted one.
"""

from __future__ import annotations

import json
import os
import platform
import random
import re
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from stance.errors import InputError, StanceError
from stance.harness import metrics
from stance.harness.kinds import (
    DEFAULT_METHODS,
    KIND_ADAPTERS,
    Kind,
    format_model_spec,
    parse_model_spec,
)
from stance.harness.tasks import Item, Task, file_sha256, load_items, load_task, project_root

Progress = Callable[[int, int, str], None]

PACKAGES = (
    "stance",
    "torch",
    "transformers",
    "sentence-transformers",
    "scikit-learn",
    "rouge-score",
    "datasets",
    "spacy",
    "numpy",
)

# Local model files up to this size are hashed when no spec pins a checksum.
MAX_HASH_BYTES = 1 << 30

# While a run goes, its session's item count in the meta file is refreshed this often.
META_EVERY_SECONDS = 10.0

# Meta fields that must match for a run to be resumed.
RESUME_KEYS = ("task_name", "task_version", "dataset_sha256", "model_spec", "seed")


@dataclass
class RunResult:
    """Where a run's files are, and its scored summary."""

    name: str
    records_path: Path
    meta_path: Path
    summary_path: Path
    summary: dict[str, Any]
    done_before: int = 0
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def metrics(self) -> dict[str, metrics.Interval]:
        return {
            name: metrics.Interval(**value) for name, value in self.summary["metrics"].items()
        }

    @property
    def n(self) -> int:
        return int(self.summary["n"])


def results_dir() -> Path:
    return project_root() / "eval" / "results" / "runs"


def run_name(task: Task, spec: str, seed: int = 0) -> str:
    slug = re.sub(r"[^A-Za-z0-9._+-]+", "-", spec).strip("-")
    return f"{task.name}__{slug}" + (f"__seed{seed}" if seed else "")


def sidecars(records_path: Path) -> tuple[Path, Path]:
    """(meta, summary) paths next to a ``<run>.jsonl`` records file."""
    base = records_path.with_suffix("")
    return base.with_name(base.name + ".meta.json"), base.with_name(base.name + ".summary.json")


def resolve_model(kind: str, model: str | None, method: str | None) -> tuple[str, str | None]:
    """(method, model) from ``--method``/``--model``; ``model`` alone may be ``method[:model]``."""
    if method:
        return method, model
    if model:
        return parse_model_spec(model)
    return DEFAULT_METHODS[kind], None


def run_eval(
    task: Task | str | Path,
    model: str | None = None,
    method: str | None = None,
    output: Path | None = None,
    resume: bool = False,
    limit: int | None = None,
    seed: int = 0,
    progress: Progress | None = None,
    warmup: bool = True,
) -> RunResult:
    """Run one model on one task, appending a record per item, then score the records.

    ``warmup`` runs the first item once untimed, so lazily loaded weights count as load time
    rather than as the first item's latency. Without ``resume`` an existing run is replaced.
    """
    task = task if isinstance(task, Task) else load_task(task)
    method, model = resolve_model(task.kind, model, method)
    spec = format_model_spec(method, model)
    records_path = Path(output) if output else results_dir()
    if output is None or records_path.is_dir():
        records_path = records_path / f"{run_name(task, spec, seed)}.jsonl"
    if records_path.suffix != ".jsonl":
        records_path = records_path.with_name(records_path.name + ".jsonl")
    meta_path, summary_path = sidecars(records_path)
    adapter = KIND_ADAPTERS[task.kind]

    items = load_items(task)
    if limit is not None:
        items = items[:limit]
    meta = _new_meta(task, method, model, seed, limit)
    done: dict[str, dict[str, Any]] = {}
    if resume and records_path.exists():
        meta = _check_resumable(meta_path, meta)
        done = {r["id"]: r for r in read_records(records_path)}
    else:
        records_path.parent.mkdir(parents=True, exist_ok=True)
        records_path.write_text("", encoding="utf-8")
    wanted = {item.id for item in items}
    todo = [(i, item) for i, item in enumerate(items) if item.id not in done]
    done_before = len(wanted & set(done))

    session: dict[str, Any] = {"started": _now(), "items": 0, "resumed_with": done_before}
    meta.setdefault("sessions", []).append(session)
    _write_json(meta_path, meta)
    total = len(items)
    if progress:
        progress(done_before, total, f"{task.name} x {spec}")
    if todo:
        started = time.perf_counter()
        predictor = adapter.load(task, method, model)
        if warmup:
            _seed_everything(seed)
            _predict(adapter, task, predictor, [todo[0][1]])
        session["load_seconds"] = time.perf_counter() - started
        _write_json(meta_path, meta)
        loop_started = last_meta = time.perf_counter()
        count = 0
        with records_path.open("a", encoding="utf-8") as out:
            for batch in batches(todo, task):
                _seed_everything(seed + batch[0][0])
                began = time.perf_counter()
                records = _predict(adapter, task, predictor, [item for _, item in batch])
                share = (time.perf_counter() - began) / len(batch)
                for (index, item), record in zip(batch, records, strict=True):
                    record = {"id": item.id, "index": index, **record, "seconds": share}
                    if len(batch) > 1:
                        record["batch"] = len(batch)
                    out.write(json.dumps(record, ensure_ascii=False) + "\n")
                out.flush()
                count += len(batch)
                session["items"] = count
                if time.perf_counter() - last_meta > META_EVERY_SECONDS:
                    _write_json(meta_path, meta)
                    last_meta = time.perf_counter()
                if progress:
                    progress(done_before + count, total, f"{task.name} x {spec}")
        session["loop_seconds"] = time.perf_counter() - loop_started
    session["finished"] = _now()
    _write_json(meta_path, meta)

    summary = score_run(records_path, task=task, meta=meta, item_ids=[i.id for i in items])
    return RunResult(
        name=records_path.stem,
        records_path=records_path,
        meta_path=meta_path,
        summary_path=summary_path,
        summary=summary,
        done_before=done_before,
        meta=meta,
    )


def batches(todo: list[tuple[int, Item]], task: Task) -> list[list[tuple[int, Item]]]:
    """Items predicted together: task option ``batch_by`` (a field, e.g. ``doc``, so a
    classifier can share work within an article: all items with the same value, in order of
    first appearance, even where the dataset lists them apart) and/or ``batch_size``
    (default 1 without ``batch_by``). Each item's ``seconds`` is then its share of its
    batch's time."""
    by = task.options.get("batch_by")
    size = int(task.options.get("batch_size", 0 if by else 1))
    groups: dict[Any, list[tuple[int, Item]]] = {}
    for index, item in todo:
        groups.setdefault(item.fields.get(by), []).append((index, item))
    out: list[list[tuple[int, Item]]] = []
    for group in groups.values():
        step = size or len(group)
        out += [group[first:first + step] for first in range(0, len(group), step)]
    return out


def _predict(adapter: Kind, task: Task, predictor: Any, items: list[Item]) -> list[dict[str, Any]]:
    """Records for a batch. A StanceError fails only its item: a failing batch is retried
    item by item, and an item that still raises gets its kind's miss record and the error."""
    try:
        return adapter.predict_batch(task, predictor, items)
    except StanceError as exc:
        if len(items) == 1:
            return [{**adapter.failed(task, items[0]), "error": f"{type(exc).__name__}: {exc}"}]
    return [record for item in items for record in _predict(adapter, task, predictor, [item])]


def score_run(
    records_path: Path,
    task: Task | None = None,
    meta: dict[str, Any] | None = None,
    item_ids: list[str] | None = None,
) -> dict[str, Any]:
    """Score a run from its records and write ``<run>.summary.json``; returns the summary.

    Records are put in dataset order (and limited to ``item_ids`` when given) first, so the
    scores depend only on which items were answered and how, not on session boundaries.
    """
    meta_path, summary_path = sidecars(records_path)
    if meta is None:
        meta = read_json(meta_path)
    if task is None:
        task = load_task(meta["task"]["source"] or meta["task"]["name"])
    seed = int(meta.get("seed", 0))
    records = read_records(records_path)
    if item_ids is not None:
        order = {item_id: i for i, item_id in enumerate(item_ids)}
        records = [r for r in records if r["id"] in order]
        records.sort(key=lambda r: order[r["id"]])
    else:
        records.sort(key=lambda r: r.get("index", 0))
    if not records:
        raise InputError(f"run {records_path} has no records to score; run it first")
    scored = KIND_ADAPTERS[task.kind].score(task, records, seed)
    latencies = [r["seconds"] for r in records if "seconds" in r]
    sessions = meta.get("sessions", [])
    model_seconds = sum(latencies)
    summary = {
        "run": records_path.stem,
        "task": task.name,
        "task_version": task.version,
        "kind": task.kind,
        "model": meta["model"]["spec"],
        "n": len(records),
        "errors": sum(1 for r in records if "error" in r),
        "seed": seed,
        "resamples": task.resamples,
        "primary_metric": task.primary_metric,
        **scored,
        "speed": {
            "load_seconds": next(
                (s["load_seconds"] for s in sessions if "load_seconds" in s), None
            ),
            "latency_p50": metrics.percentile(latencies, 50) if latencies else None,
            "latency_p95": metrics.percentile(latencies, 95) if latencies else None,
            "items_per_second": len(latencies) / model_seconds if model_seconds else None,
        },
    }
    _write_json(summary_path, summary)
    return summary


def read_records(path: Path) -> list[dict[str, Any]]:
    """Records of a run; a torn last line (the process died mid-write) is cut off the file."""
    records = []
    with Path(path).open("rb+") as handle:
        good = 0
        for line in handle:
            if not line.endswith(b"\n"):
                break
            try:
                records.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise InputError(
                    f"{path}: record {len(records) + 1} is not valid JSON; "
                    "delete the run or fix that line"
                ) from exc
            good += len(line)
        handle.truncate(good)
    return records


def read_json(path: Path) -> dict[str, Any]:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise InputError(f"{path} not found; is this a run written by `stance eval`?") from exc
    except json.JSONDecodeError as exc:
        raise InputError(f"{path} is not valid JSON: {exc}") from exc


def _check_resumable(meta_path: Path, meta: dict[str, Any]) -> dict[str, Any]:
    old = read_json(meta_path)
    for key in RESUME_KEYS:
        if old.get("identity", {}).get(key) != meta["identity"][key]:
            raise InputError(
                f"cannot resume {meta_path.name}: {key} was "
                f"{old.get('identity', {}).get(key)!r}, now {meta['identity'][key]!r}; "
                "run without --resume or pick another --output"
            )
    old["limit"] = meta["limit"]
    return old


def _new_meta(
    task: Task, method: str, model: str | None, seed: int, limit: int | None
) -> dict[str, Any]:
    files = task.dataset_files()
    sha = file_sha256(files)
    spec = format_model_spec(method, model)
    return {
        "identity": {
            "task_name": task.name,
            "task_version": task.version,
            "dataset_sha256": sha,
            "model_spec": spec,
            "seed": seed,
        },
        "task": task.to_dict(),
        "dataset": {
            "spec": task.dataset,
            "files": [str(p) for p in files[:20]],
            "file_count": len(files),
            "sha256": sha,
            "split": task.split,
        },
        "model": {"spec": spec, "method": method, "model": model, **model_checksum(model)},
        "seed": seed,
        "limit": limit,
        "packages": package_versions(),
        "git_commit": git_commit(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "created": _now(),
    }


def model_checksum(model: str | None) -> dict[str, Any]:
    """Checksum of the model behind ``model``: the sha256 its spec in ``models/`` pins, else
    the sha256 of a local file or small folder (e.g. a trained head); None otherwise."""
    if not model:
        return {"checksum": None, "note": "the method's default model"}
    info: dict[str, Any] = {"checksum": None}
    try:
        from stance.backends.registry import resolve
    except ImportError:
        resolve = None
    if resolve is not None:
        try:
            spec = resolve(model)
        except StanceError:
            spec = None
        if spec is not None and spec.source.kind != "hub":
            info.update(
                checksum=spec.sha256,
                spec_name=spec.name,
                backend=spec.backend,
                spec_file=str(spec.spec_file) if spec.spec_file else None,
            )
            if spec.sha256:
                return info
    path = Path(model).expanduser()
    if path.exists():
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        if sum(p.stat().st_size for p in files) <= MAX_HASH_BYTES:
            info.update(checksum=file_sha256(files), checksum_of="local files")
    return info


def package_versions() -> dict[str, str | None]:
    from importlib import metadata

    versions: dict[str, str | None] = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return versions


def git_commit() -> str:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "HEAD"],
            cwd=project_root(),
            capture_output=True,
            text=True,
            timeout=10,
        )
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return out.stdout.strip() if out.returncode == 0 and out.stdout.strip() else "unknown"


def _seed_everything(seed: int) -> None:
    random.seed(seed)
    if "numpy" in sys.modules:
        import numpy as np

        np.random.seed(seed % 2**32)
    if "torch" in sys.modules:
        import torch

        torch.manual_seed(seed)


def _write_json(path: Path, data: dict[str, Any]) -> None:
    """Write via a temporary file and rename, so a kill never leaves half a JSON file."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")
