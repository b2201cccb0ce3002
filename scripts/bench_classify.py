"""Quotes per second for each stance classifier on one typical article, on this machine.

Records are the seed article's quotes from the labelled set (18 quotes, with target and
context). Loading is not timed; each classifier is warmed up on two quotes, then the whole
article is classified ``--repeats`` times (the embedding memo cleared before each) and the
median is reported, with the ratio to the first method (the baseline). The fastest run is
reported too: on a machine shared with other jobs it is the closest to an idle-machine speed.
The run uses the library settings of the ``stance`` CLI (idle OpenMP threads sleep), so it
measures what ``stance analyze`` gets.

    python scripts/bench_classify.py                       # default, head, zeroshot
    python scripts/bench_classify.py --methods head --nli-model path/to/mnli-model
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shlex
import statistics
import sys
import time
from pathlib import Path

from stance.classify import get_classifier
from stance.classify.embed import _cache as embed_cache
from stance.classify.evaluate import DEFAULT_DATA, RESULTS, load_labelled
from stance.cli import LIBRARY_ENV

ARTICLE = "seed-milley-taliban"


def bench(method: str, model: str | None, records: list[dict], repeats: int) -> dict:
    started = time.perf_counter()
    classifier = get_classifier(method, model)
    load_seconds = time.perf_counter() - started
    classifier.predict(records[:2])
    runs = []
    for _ in range(repeats):
        embed_cache.clear()  # time real encoding, not the per-text memo
        tick = time.perf_counter()
        classifier.predict(records)
        runs.append(time.perf_counter() - tick)
    seconds = statistics.median(runs)
    return {
        "method": method,
        "model": model,
        "quotes": len(records),
        "load_seconds": load_seconds,
        "median_seconds": seconds,
        "quotes_per_second": len(records) / seconds,
        "best_quotes_per_second": len(records) / min(runs),
        "runs": runs,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--methods", nargs="+", default=["default", "head", "zeroshot"])
    parser.add_argument("--nli-model", help="local NLI model folder to add the nli method")
    parser.add_argument("--data", default=str(DEFAULT_DATA))
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--out", default=str(RESULTS / "stance-bench.json"))
    args = parser.parse_args()
    for name, value in LIBRARY_ENV.items():  # the settings `stance analyze` runs with
        os.environ.setdefault(name, value)
    import torch

    records = [r for r in load_labelled(args.data) if r["doc"] == ARTICLE]
    plan = [(m, None) for m in args.methods]
    if args.nli_model:
        plan.append(("nli", args.nli_model))
    print(f"{len(records)} quotes of {ARTICLE}; torch threads {torch.get_num_threads()}; "
          f"load average {os.getloadavg()[0]:.1f}")
    print(f"{'method':<10} {'quotes/s':>9} {'best':>7} {'vs ' + plan[0][0]:>12} {'load s':>7}",
          flush=True)
    results = []
    for method, model in plan:
        r = bench(method, model, records, args.repeats)
        results.append(r)
        ratio = r["quotes_per_second"] / results[0]["quotes_per_second"]
        print(f"{r['method']:<10} {r['quotes_per_second']:>9.1f} "
              f"{r['best_quotes_per_second']:>7.1f} {ratio:>11.2f}x "
              f"{r['load_seconds']:>7.1f}", flush=True)
    Path(args.out).write_text(
        json.dumps(
            {
                "command": "python scripts/bench_classify.py " + shlex.join(sys.argv[1:]),
                "load_average_1min": os.getloadavg()[0],
                "article": ARTICLE,
                "torch_threads": torch.get_num_threads(),
                "omp_wait_policy": os.environ.get("OMP_WAIT_POLICY"),
                "machine": platform.processor() or platform.machine(),
                "results": results,
            },
            indent=2,
        )
        + "\n",
        encoding="utf-8",
    )


if __name__ == "__main__":
    main()
