"""Corpus throughput and memory: 1 worker vs N worker processes vs Ray (local), same corpus.

Usage: python scripts/bench_corpus.py [--pipeline quotes|no-summary|full] [--workers N]
                                      [--configs serial,pool,ray] [--repeat K] [--limit N]

The corpus is the GGT raw texts and the PolNeAR dev texts under the benchmarks root
($STANCE_BENCHMARKS, else ../shared/benchmarks), read at run time. Each configuration runs
in a fresh process (``--child``) through ``stance.corpus.analyze_corpus`` into a temporary
JSONL file, so its time includes starting workers and loading models once per worker.
The parent samples the memory of the child's whole process tree (workers, Ray daemons)
every 0.2 s: peak summed RSS (shared pages counted once per process) and peak summed PSS.
Figures print as JSON with the ratio against the 1-worker run, and are saved to
eval/results/corpus-bench.{json,md}; every configuration must write identical reports.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

import psutil

PIPELINES = {
    "quotes": "quote extraction alone (rules + spaCy NER for names); no stance, no summary",
    "no-summary": "Analyzer: quotes + stance (default method) + speaker roll-up; no summary",
    "full": "Analyzer: quotes + stance (default method) + speaker roll-up + summary (default)",
}
ROOT = Path(__file__).resolve().parents[1]


def corpus_inputs() -> list[Path]:
    from stance.harness.tasks import benchmarks_root

    quotes = benchmarks_root() / "quotes"
    return [quotes / "gender-gap-tracker" / "original" / "rawtext",
            quotes / "polnear" / "data" / "dev" / "text"]


def make_factory(pipeline: str, stance_method: str):
    from stance.analyze import AnalyzeOptions, Analyzer
    from stance.corpus import QuotesOnly

    if pipeline == "quotes":
        return QuotesOnly
    options = AnalyzeOptions(summary=pipeline == "full", stance_method=stance_method)
    return partial(Analyzer, options)


def child(args: argparse.Namespace) -> None:
    """One configuration: analyse the corpus into ``args.output``, print timings as JSON."""
    from stance.corpus import Corpus, CorpusOptions, analyze_corpus
    from stance.types import Article

    started = time.perf_counter()
    articles = list(Corpus(corpus_inputs()))[:args.limit or None]
    articles = [Article(doc=f"{a.doc}#{k}" if k else a.doc, text=a.text, source=a.source)
                for k in range(args.repeat) for a in articles]
    engine = "ray" if args.config == "ray" else "local"
    workers = 1 if args.config == "serial" else args.workers
    if engine == "ray":
        import ray

        ray.init(num_cpus=args.workers, include_dashboard=False, log_to_driver=False)
    first: list[float] = []
    failed: list[str] = []
    run = CorpusOptions(workers=workers, engine=engine,
                        analyzer=make_factory(args.pipeline, args.stance_method))
    begin = time.perf_counter()
    stats = analyze_corpus(
        articles, Path(args.output), run=run,
        on_report=lambda report: first or first.append(time.perf_counter() - begin),
        on_error=lambda doc, error: failed.append(f"{doc}: {error}"),
    )
    seconds = time.perf_counter() - begin
    print(json.dumps({
        "articles": len(articles), "characters": sum(len(a.text) for a in articles),
        "done": stats.done, "failed": failed, "seconds": round(seconds, 2),
        "first_result_seconds": round(first[0], 2) if first else None,
        "read_seconds": round(begin - started, 2),
    }))


def tree_memory(process: psutil.Process) -> tuple[float, float, int]:
    """Summed RSS and PSS (MiB) of a process and all its descendants, and their number."""
    rss = pss = 0
    members = [process]
    with contextlib.suppress(psutil.Error):
        members += process.children(recursive=True)
    for member in members:
        try:
            info = member.memory_full_info()
        except psutil.Error:
            continue
        rss += info.rss
        pss += getattr(info, "pss", info.rss)
    return rss / 2**20, pss / 2**20, len(members)


def measure(config: str, args: argparse.Namespace, output: Path) -> dict:
    command = [sys.executable, __file__, "--child", "--config", config, "--output", str(output),
               "--pipeline", args.pipeline, "--workers", str(args.workers),
               "--repeat", str(args.repeat), "--stance-method", args.stance_method,
               "--limit", str(args.limit)]
    load_before = os.getloadavg()[0]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, cwd=ROOT)
    watched = psutil.Process(process.pid)
    peak_rss = peak_pss = 0.0
    peak_procs = 0
    while process.poll() is None:
        rss, pss, procs = tree_memory(watched)
        peak_rss, peak_pss, peak_procs = max(peak_rss, rss), max(peak_pss, pss), max(
            peak_procs, procs)
        time.sleep(0.2)
    out, err = process.communicate()
    if process.returncode != 0:
        raise SystemExit(f"{config} failed:\n{err[-3000:]}")
    result = json.loads(out.strip().splitlines()[-1])
    result.update({
        "config": config,
        "engine": "ray" if config == "ray" else "local",
        "workers": 1 if config == "serial" else args.workers,
        "articles_per_minute": round(result["done"] / result["seconds"] * 60, 1),
        "peak_rss_mib": round(peak_rss), "peak_pss_mib": round(peak_pss),
        "peak_processes": peak_procs,
        "load_average_1min": [round(load_before, 1), round(os.getloadavg()[0], 1)],
    })
    return result


def reports(path: Path) -> dict[str, dict]:
    """Each doc's report."""
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    return {record["doc"]: record for record in records}


def markdown(summary: dict) -> str:
    rows = ["| configuration | engine | workers | articles | seconds | articles/min | "
            "× 1 worker | first result (s) | peak RSS MiB | peak PSS MiB | processes | "
            "load avg before/after |",
            "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
    for r in summary["results"]:
        rows.append(f"| {r['config']} | {r['engine']} | {r['workers']} | {r['done']} | "
                    f"{r['seconds']} | {r['articles_per_minute']} | {r['speedup_vs_1_worker']} | "
                    f"{r['first_result_seconds']} | {r['peak_rss_mib']} | {r['peak_pss_mib']} | "
                    f"{r['peak_processes']} | {r['load_average_1min'][0]} / "
                    f"{r['load_average_1min'][1]} |")
    return "\n".join([
        "# Corpus throughput: 1 worker vs worker processes vs Ray (local)", "",
        f"Pipeline: **{summary['pipeline']}** ({summary['pipeline_description']}).", "",
        f"Corpus: {summary['corpus']}. Machine: {summary['machine']}.", "",
        f"Command: `{summary['command']}`", "",
        *rows, "",
        f"Identical reports in every configuration: {summary['identical_reports']}.", "",
        "Seconds run from the start of `analyze_corpus` to its end: starting workers (spawn) "
        "or Ray, loading the models once per worker, analysing and writing each report. "
        "Memory is sampled every 0.2 s over the whole process tree (parent, workers, Ray "
        "daemons); RSS counts shared pages in every process, PSS splits them. The load "
        "average shows how busy the (shared) machine was: with more runnable jobs than "
        "CPUs, extra workers cannot speed anything up.", "",
    ])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pipeline", choices=sorted(PIPELINES), default="quotes")
    parser.add_argument("--stance-method", default="default")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--configs", default="serial,pool,ray")
    parser.add_argument("--repeat", type=int, default=1, help="Analyse the corpus K times.")
    parser.add_argument("--limit", type=int, default=0, help="Only the first N articles.")
    parser.add_argument("--save", default=str(ROOT / "eval" / "results" / "corpus-bench"))
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--config", help=argparse.SUPPRESS)
    parser.add_argument("--output", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return

    results = []
    outputs = []
    with tempfile.TemporaryDirectory() as tmp:
        for config in args.configs.split(","):
            output = Path(tmp) / f"{config}.jsonl"
            results.append(measure(config, args, output))
            outputs.append(reports(output))
            print(json.dumps(results[-1]), file=sys.stderr)
    base = results[0]["articles_per_minute"]
    for result in results:
        result["speedup_vs_1_worker"] = round(result["articles_per_minute"] / base, 2)
    first = results[0]
    import ray

    summary = {
        "pipeline": args.pipeline,
        "pipeline_description": PIPELINES[args.pipeline],
        "stance_method": args.stance_method if args.pipeline != "quotes" else None,
        "corpus": f"{first['articles']} articles ({first['characters']:,} characters): GGT "
                  f"rawtext + PolNeAR dev text{f', first {args.limit}' if args.limit else ''}"
                  f", x{args.repeat}",
        "machine": f"{os.cpu_count()} CPUs, {psutil.virtual_memory().total / 2**30:.0f} GiB, "
                   f"Python {platform.python_version()}, Ray {ray.__version__}",
        "command": "python scripts/bench_corpus.py " + " ".join(sys.argv[1:]),
        "identical_reports": all(o == outputs[0] for o in outputs),
        "docs_differing_from_1_worker": {
            r["config"]: sorted(d for d in set(o) | set(outputs[0])
                                if o.get(d) != outputs[0].get(d))
            for r, o in zip(results, outputs, strict=True)},
        "results": results,
    }
    print(json.dumps(summary, indent=2))
    save = Path(args.save)
    save.parent.mkdir(parents=True, exist_ok=True)
    runs = {}  # one entry per pipeline: rerunning one pipeline keeps the others
    if save.with_suffix(".json").exists():
        runs = json.loads(save.with_suffix(".json").read_text())["runs"]
    runs[args.pipeline] = summary
    save.with_suffix(".json").write_text(json.dumps({"runs": runs}, indent=2) + "\n")
    save.with_suffix(".md").write_text("\n".join(markdown(run) for run in runs.values()))


if __name__ == "__main__":
    main()
