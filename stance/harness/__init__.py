"""Evaluation harness: tasks are data (``eval/tasks/*.yaml``), models are ``method[:model]``
strings, and every run leaves per-item records, metadata and bootstrap-interval scores."""

from stance.harness.bench import BenchResult, bench
from stance.harness.report import compare_runs, show_errors
from stance.harness.run import RunResult, run_eval
from stance.harness.tasks import Task, available_tasks, load_task

__all__ = [
    "BenchResult",
    "RunResult",
    "Task",
    "available_tasks",
    "bench",
    "compare_runs",
    "load_task",
    "run_eval",
    "show_errors",
]
