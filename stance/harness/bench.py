"""Several models on the same task: quality with its interval, load time, latency, memory.

Each model runs in a fresh Python process by default (``isolate=True``), so its load time is
not flattered by libraries another model already imported and its peak RSS is its own.
Results go to ``<output_dir>/bench.json``, ``bench.md`` (a table for the README) and
``bench.png`` (quality against median latency), with each model's run under ``runs/``.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from stance.errors import InputError, StanceError
from stance.harness.kinds import format_model_spec, parse_model_spec
from stance.harness.metrics import Interval, get_metric
from stance.harness.run import Progress, RunResult, run_eval, run_name
from stance.harness.tasks import Task, file_sha256, load_items, load_task, project_root

# What each worker process runs (a string, so ``python -m`` does not import bench twice).
WORKER = "import sys; from stance.harness.bench import _worker; sys.exit(_worker(sys.argv[1]))"


@dataclass
class BenchRow:
    model: str
    n: int = 0
    quality: dict[str, float] | None = None
    metrics: dict[str, dict[str, float]] = field(default_factory=dict)
    load_seconds: float | None = None
    latency_p50: float | None = None
    latency_p95: float | None = None
    items_per_second: float | None = None
    peak_rss_mb: float | None = None
    baseline_rss_mb: float | None = None
    wall_seconds: float | None = None
    load_average: list[float] | None = None
    run: str | None = None
    error: str | None = None


@dataclass
class BenchResult:
    task: str
    metric: str
    rows: list[BenchRow]
    metrics: list[str]
    isolated: bool
    output_dir: Path
    markdown_path: Path
    plot_path: Path | None
    json_path: Path
    meta: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "task": self.task,
            "metric": self.metric,
            "metrics": self.metrics,
            "isolated": self.isolated,
            "meta": self.meta,
            "rows": [asdict(row) for row in self.rows],
        }


def default_output_dir(task: Task) -> Path:
    return project_root() / "eval" / "results" / "bench" / task.name


def bench(
    task: Task | str | Path,
    models: Sequence[str],
    output_dir: Path | None = None,
    limit: int | None = None,
    seed: int = 0,
    isolate: bool = True,
    preload: Sequence[str] = (),
    progress: Progress | None = None,
    timeout: float | None = None,
    reuse: bool = False,
) -> BenchResult:
    """Run every ``method[:model]`` in ``models`` on ``task`` and write table, plot and JSON.

    A model that fails gets a row with its error; the others still run. ``preload`` names
    modules (or ``.py`` files) each worker imports first, e.g. plugins registering methods.
    ``reuse`` keeps rows of an earlier bench in ``output_dir`` on the same data (dataset
    sha256, task version, limit, seed) instead of measuring those models again.
    """
    task = task if isinstance(task, Task) else load_task(task)
    if not models:
        raise InputError("bench needs at least one model, e.g. head or zeroshot:qwen-0.5b")
    if isolate and not task.source:
        raise InputError(f"task {task.name!r} has no YAML file to hand to a worker; isolate=False")
    out = Path(output_dir) if output_dir else default_output_dir(task)
    (out / "runs").mkdir(parents=True, exist_ok=True)
    total = len(load_items(task)[:limit] if limit is not None else load_items(task))
    sha = file_sha256(task.dataset_files())
    same = {"task_version": task.version, "dataset_sha256": sha, "limit": limit, "seed": seed}
    previous = _previous_rows(out / "bench.json", same) if reuse else {}
    rows = []
    for spec in models:
        method, model = parse_model_spec(spec)
        spec = format_model_spec(method, model)
        if spec in previous:
            rows.append(previous[spec])
            continue
        records = out / "runs" / f"{run_name(task, spec, seed)}.jsonl"
        before = os.getloadavg()[0]
        if isolate:
            row = _run_worker(task, spec, records, limit, seed, preload, total, progress, timeout)
        else:
            row = _run_here(task, spec, records, limit, seed, progress)
        # Other processes competing for the CPUs slow a model down; keep the evidence.
        row.load_average = [round(before, 2), round(os.getloadavg()[0], 2)]
        rows.append(row)
    result = BenchResult(
        task=task.name,
        metric=task.primary_metric,
        rows=rows,
        metrics=list(task.metrics),
        isolated=isolate,
        output_dir=out,
        markdown_path=out / "bench.md",
        plot_path=out / "bench.png",
        json_path=out / "bench.json",
        meta={
            "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            **same,
            "items": total,
            "cpus": os.cpu_count(),
        },
    )
    write_bench(result)
    return result


def write_bench(result: BenchResult) -> None:
    """Write the JSON, the markdown table and the plot of a bench result."""
    result.json_path.write_text(json.dumps(result.to_dict(), indent=2) + "\n", encoding="utf-8")
    result.markdown_path.write_text(bench_markdown(result), encoding="utf-8")
    if result.plot_path is None or not plot_bench(result, result.plot_path):
        result.plot_path = None


def read_bench(path: Path) -> BenchResult:
    """A bench result back from its ``bench.json`` (e.g. to redraw the table or plot)."""
    path = Path(path)
    data = json.loads(path.read_text(encoding="utf-8"))
    known = set(BenchRow.__dataclass_fields__)
    return BenchResult(
        task=data["task"],
        metric=data["metric"],
        rows=[BenchRow(**{k: v for k, v in row.items() if k in known}) for row in data["rows"]],
        metrics=data.get("metrics") or [data["metric"]],
        isolated=data["isolated"],
        output_dir=path.parent,
        markdown_path=path.parent / "bench.md",
        plot_path=path.parent / "bench.png",
        json_path=path,
        meta=data.get("meta", {}),
    )


def _previous_rows(path: Path, same: dict[str, Any]) -> dict[str, BenchRow]:
    """Successful rows of an earlier bench.json measured on the same data."""
    if not path.is_file():
        return {}
    old = read_bench(path)
    if any(old.meta.get(key) != value for key, value in same.items()):
        return {}
    return {row.model: row for row in old.rows if row.quality is not None and not row.error}


def _row_from_run(spec: str, run: RunResult) -> BenchRow:
    summary = run.summary
    speed = summary["speed"]
    metric = summary["primary_metric"]
    return BenchRow(
        model=spec,
        n=summary["n"],
        quality=summary["metrics"][metric],
        metrics=summary["metrics"],
        load_seconds=speed["load_seconds"],
        latency_p50=speed["latency_p50"],
        latency_p95=speed["latency_p95"],
        items_per_second=speed["items_per_second"],
        run=str(run.records_path),
        error=f"{summary['errors']} items failed" if summary["errors"] else None,
    )


def _run_here(
    task: Task, spec: str, records: Path, limit: int | None, seed: int, progress: Progress | None
) -> BenchRow:
    """In this process: peak RSS is the whole process's so far, not the model's alone."""
    started = time.perf_counter()
    try:
        run = run_eval(task, spec, output=records, limit=limit, seed=seed, progress=progress)
    except StanceError as exc:
        return BenchRow(model=spec, error=str(exc))
    row = _row_from_run(spec, run)
    row.wall_seconds = time.perf_counter() - started
    row.peak_rss_mb = _peak_rss_mb()
    return row


def _run_worker(
    task: Task,
    spec: str,
    records: Path,
    limit: int | None,
    seed: int,
    preload: Sequence[str],
    total: int,
    progress: Progress | None,
    timeout: float | None,
) -> BenchRow:
    with tempfile.TemporaryDirectory(prefix="stance-bench-") as tmp:
        job = Path(tmp) / "job.json"
        result = Path(tmp) / "result.json"
        job.write_text(
            json.dumps(
                {
                    "task": task.source,
                    "model": spec,
                    "output": str(records),
                    "limit": limit,
                    "seed": seed,
                    "preload": list(preload),
                    "result": str(result),
                }
            ),
            encoding="utf-8",
        )
        records.unlink(missing_ok=True)  # so progress never counts a previous run's lines
        env = dict(os.environ)
        root = str(Path(__file__).resolve().parents[2])
        env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
        started = time.perf_counter()
        stderr = Path(tmp) / "stderr.txt"
        with stderr.open("w") as err:
            proc = subprocess.Popen(
                [sys.executable, "-c", WORKER, str(job)],
                stdout=subprocess.DEVNULL,
                stderr=err,
                env=env,
            )
            reported = -1
            while proc.poll() is None:
                done = _count_lines(records)
                if progress and done != reported:
                    progress(done, total, spec)
                    reported = done
                if timeout is not None and time.perf_counter() - started > timeout:
                    proc.kill()
                    proc.wait()
                    return BenchRow(model=spec, error=f"timed out after {timeout:.0f}s")
                time.sleep(0.2)
        wall = time.perf_counter() - started
        if not result.is_file():
            if proc.returncode < 0:
                why = f"worker killed by signal {-proc.returncode}"
            else:
                lines = stderr.read_text(errors="replace").strip().splitlines() or ["no output"]
                why = f"worker exited {proc.returncode}: {lines[-1][-300:]}"
            done = _count_lines(records)
            return BenchRow(model=spec, error=f"{why} after {done}/{total} items", n=done)
        data = json.loads(result.read_text(encoding="utf-8"))
    if "error" in data and "row" not in data:
        return BenchRow(model=spec, error=data["error"])
    row = BenchRow(**data["row"])
    row.wall_seconds = wall
    if progress:
        progress(row.n, total, spec)
    return row


def _count_lines(path: Path) -> int:
    try:
        with path.open("rb") as handle:
            return sum(1 for _ in handle)
    except FileNotFoundError:
        return 0


def _peak_rss_mb() -> float:
    # ru_maxrss is in KiB on Linux and bytes on macOS.
    scale = 1 / 1024 / 1024 if sys.platform == "darwin" else 1 / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale


def _current_rss_mb() -> float | None:
    try:
        import psutil
    except ImportError:
        return None
    return psutil.Process().memory_info().rss / 1024 / 1024


def _worker(job_path: str) -> int:
    """Worker entry: run one model on one task and write its BenchRow as JSON."""
    import importlib
    import runpy

    job = json.loads(Path(job_path).read_text(encoding="utf-8"))
    result = Path(job["result"])
    try:
        for name in job["preload"]:
            if name.endswith(".py"):
                runpy.run_path(name)
            else:
                importlib.import_module(name)
        task = load_task(job["task"])
        baseline = _current_rss_mb()
        run = run_eval(
            task, job["model"], output=Path(job["output"]), limit=job["limit"], seed=job["seed"]
        )
    except StanceError as exc:
        result.write_text(json.dumps({"error": str(exc)}), encoding="utf-8")
        return 1
    row = _row_from_run(job["model"], run)
    row.peak_rss_mb = _peak_rss_mb()
    row.baseline_rss_mb = baseline
    result.write_text(json.dumps({"row": asdict(row)}), encoding="utf-8")
    return 0


def _ms(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    ms = 1000 * seconds
    return f"{ms:,.0f}" if ms >= 100 else f"{ms:.1f}" if ms >= 1 else f"{ms:.2f}"


def _num(value: float | None, fmt: str) -> str:
    return "-" if value is None else format(value, fmt)


def _load(values: list[float] | None) -> str:
    return "-" if not values else "/".join(f"{v:.1f}" for v in values)


def _interval(value: dict[str, float] | None, name: str) -> str:
    if value is None:
        return "-"
    digits = 1 if get_metric(name).scale > 1 else 3
    q = Interval(**value)
    return f"{q.value:.{digits}f} [{q.low:.{digits}f}, {q.high:.{digits}f}]"


def bench_markdown(result: BenchResult) -> str:
    """A markdown table (for the README) with a line on what was measured and how."""
    meta = result.meta
    names = [result.metric] + [m for m in result.metrics if m != result.metric]
    lines = [
        f"Task `{result.task}` (v{meta.get('task_version')}), {meta.get('items')} items, "
        f"seed {meta.get('seed')}, {meta.get('cpus')} CPUs, {meta.get('created')}. "
        "Scores with 95% bootstrap intervals; latency per item after one warm-up item "
        "(counted in load s); peak RSS of "
        + ("a fresh process per model." if result.isolated else "the shared process.")
        + " `load avg` is the machine's 1-minute load average before/after each model "
        "(above the CPU count, other processes were competing and timings are inflated).",
        "",
        "Reproduce: `python -c \"from stance.harness.bench import bench; "
        f"bench({result.task!r}, {[row.model for row in result.rows]!r}"
        + (f", limit={meta['limit']}" if meta.get("limit") is not None else "")
        + (f", seed={meta['seed']}" if meta.get("seed") else "")
        + ')\"`',
        "",
        "| model | n | "
        + " | ".join(f"{name} [95% CI]" for name in names)
        + " | load s | p50 ms | p95 ms | items/s | peak RSS MB | load avg |",
        "|---|---:|" + "---:|" * (len(names) + 6),
    ]
    for row in result.rows:
        if row.quality is None:
            blanks = " |" * (len(names) + 5)
            error = str(row.error).replace("|", "/")
            lines.append(f"| {row.model} | {row.n} | failed: {error} |{blanks}")
            continue
        scores = " | ".join(_interval(row.metrics.get(name), name) for name in names)
        lines.append(
            f"| {row.model} | {row.n} | {scores} | {_num(row.load_seconds, '.2f')} "
            f"| {_ms(row.latency_p50)} | {_ms(row.latency_p95)} "
            f"| {_num(row.items_per_second, '.2f')} | {_num(row.peak_rss_mb, '.0f')} "
            f"| {_load(row.load_average)} |"
        )
    return "\n".join(lines) + "\n"


def plot_bench(result: BenchResult, path: Path) -> bool:
    """Quality (with its interval) against median latency per item; False if nothing to plot."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import NullFormatter

    rows = [r for r in result.rows if r.quality is not None and r.latency_p50]
    if not rows:
        return False
    figure = Figure(figsize=(6.4, 4.2), dpi=120)
    FigureCanvasAgg(figure)
    ax = figure.add_subplot()
    for row in rows:
        x = 1000 * row.latency_p50
        q = row.quality
        ax.errorbar(
            [x], [q["value"]], yerr=[[q["value"] - q["low"]], [q["high"] - q["value"]]],
            fmt="o", capsize=4,
        )
        ax.annotate(row.model, (x, q["value"]), textcoords="offset points", xytext=(6, 4),
                    fontsize=8)
    ax.set_xscale("log")
    ax.xaxis.set_minor_formatter(NullFormatter())  # minor labels overlap over one decade
    ax.set_xlabel("median latency per item (ms, log scale)")
    ax.set_ylabel(f"{result.metric} (95% bootstrap CI)")
    ax.set_title(f"{result.task}: quality vs latency")
    ax.grid(True, alpha=0.3)
    figure.tight_layout()
    figure.savefig(path)
    return True

