"""Read finished runs back: side-by-side comparison tables and the items a model got wrong."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from stance.errors import InputError
from stance.harness.metrics import METRICS, Interval
from stance.harness.run import read_json, read_records, results_dir, score_run, sidecars


@dataclass
class Comparison:
    """Runs side by side: one row per run; metric cells are Intervals (``str`` gives
    ``0.812 [0.750, 0.860]``), ``None`` where a run lacks that metric."""

    columns: list[str]
    rows: list[dict[str, Any]]
    best: dict[str, str] = field(default_factory=dict)

    def to_records(self) -> list[dict[str, Any]]:
        """JSON-ready rows (intervals as ``{value, low, high}``)."""
        return [
            {k: v.to_dict() if isinstance(v, Interval) else v for k, v in row.items()}
            for row in self.rows
        ]

    def to_markdown(self) -> str:
        lines = [
            "| " + " | ".join(self.columns) + " |",
            "|" + "|".join("---" if c in ("run", "task", "model") else "---:" for c in self.columns)
            + "|",
        ]
        for row in self.rows:
            cells = []
            for column in self.columns:
                value = row.get(column)
                text = _format(value)
                if column in self.best and self.best[column] == row["run"]:
                    text = f"**{text}**"
                cells.append(text)
            lines.append("| " + " | ".join(cells) + " |")
        return "\n".join(lines) + "\n"


def _format(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, Interval):
        digits = 1 if abs(value.value) >= 10 else 3
        return f"{value.value:.{digits}f} [{value.low:.{digits}f}, {value.high:.{digits}f}]"
    if isinstance(value, float):
        return f"{value:.3g}" if abs(value) < 1000 else f"{value:,.0f}"
    return str(value)


def run_paths(paths: Sequence[str | Path]) -> list[Path]:
    """Records files named by paths: a run's ``.jsonl``, one of its sidecars, a run name
    (``eval/results/runs/<name>.jsonl``) or a folder of runs."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found.extend(sorted(path.glob("*.jsonl")))
            continue
        name = path.name
        for suffix in (".summary.json", ".meta.json"):
            if name.endswith(suffix):
                path = path.with_name(name[: -len(suffix)] + ".jsonl")
        if not path.is_file() and path.parent == Path(".") and path.suffix != ".jsonl":
            path = results_dir() / f"{name}.jsonl"  # a bare run name
        if not path.is_file():
            raise InputError(
                f"run {raw} not found; pass a run's .jsonl file, a run name in "
                f"{results_dir()} or a results folder"
            )
        found.append(path)
    if not found:
        raise InputError(f"no runs found in {', '.join(map(str, paths))}")
    return found


def load_summary(records_path: Path) -> dict[str, Any]:
    """A run's summary, computed from its records if the summary file is missing."""
    _, summary_path = sidecars(records_path)
    if summary_path.is_file():
        return read_json(summary_path)
    return score_run(records_path)


def compare_runs(paths: Sequence[str | Path]) -> Comparison:
    """Table data for ``stance eval report``: metrics with intervals, n and speed per run."""
    summaries = [(p, load_summary(p)) for p in run_paths(paths)]
    metric_names: list[str] = []
    for _, summary in summaries:
        for name in summary["metrics"]:
            if name not in metric_names:
                metric_names.append(name)
    rows = []
    for path, summary in summaries:
        speed = summary.get("speed", {})
        row: dict[str, Any] = {
            "run": path.stem,
            "task": summary["task"],
            "model": summary["model"],
            "n": summary["n"],
        }
        for name in metric_names:
            value = summary["metrics"].get(name)
            row[name] = Interval(**value) if value else None
        p50 = speed.get("latency_p50")
        row["p50 ms"] = None if p50 is None else round(1000.0 * p50, 2)
        rate = speed.get("items_per_second")
        row["items/s"] = None if rate is None else round(rate, 2)
        rows.append(row)
    best = {}
    for name in metric_names:
        scored = [(row[name].value, row["run"]) for row in rows if row[name] is not None]
        if len(scored) > 1 and len({row["task"] for row in rows}) == 1:
            higher = METRICS[name].higher_is_better if name in METRICS else True
            top = (max if higher else min)(value for value, _ in scored)
            winners = [run for value, run in scored if value == top]
            if len(winners) == 1:
                best[name] = winners[0]
    columns = ["run", "task", "model", "n", *metric_names, "p50 ms", "items/s"]
    return Comparison(columns=columns, rows=rows, best=best)


def show_errors(run: str | Path, limit: int | None = None) -> list[dict[str, Any]]:
    """The items a run got wrong, in dataset order.

    Classification: every miss (gold != predicted). Summaries: every item, lowest ROUGE-2
    first. Quotes: articles with a missed or spurious quote. Items that raised come first.
    """
    (path,) = run_paths([run])
    records = sorted(read_records(path), key=lambda r: r.get("index", 0))
    kind = read_json(sidecars(path)[0])["task"]["kind"]
    failed = [r for r in records if "error" in r]
    ok = [r for r in records if "error" not in r]
    if kind == "stance":
        misses = [r for r in ok if not r["correct"]]
    elif kind == "summary":
        misses = sorted(ok, key=lambda r: r["rouge"]["rouge2"])
    else:
        misses = [r for r in ok if r.get("fp") or r.get("fn")]
    rows = failed + misses
    return rows if limit is None else rows[:limit]
