"""Time each summary method per article on a few FRANK validation articles.

    python scripts/bench_summary.py --articles 5 --llm-articles 2 \
        --out eval/results/summary-bench.json

Load time (first call, model loading included) is reported apart from the warm time per
article; ratios are against lead-3 in the same run. Figures depend on machine load.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import time
from pathlib import Path

from stance.summarize import get_summarizer
from stance.summarize.evaluate import load_frank
from stance.types import Article


def bench(method: str, model: str | None, articles: list[Article]) -> dict:
    start = time.perf_counter()
    summarizer = get_summarizer(method, model)
    summarizer.summarize(articles[0])
    cold = time.perf_counter() - start
    warm = []
    for article in articles[1:]:
        start = time.perf_counter()
        summarizer.summarize(article)
        warm.append(time.perf_counter() - start)
    return {
        "method": method,
        "model": summarizer.model,
        "articles": len(articles),
        "cold_first_article_s": cold,
        "warm_median_s": statistics.median(warm) if warm else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=5)
    parser.add_argument("--llm-articles", type=int, default=2, help="0 skips the LLM")
    parser.add_argument("--llm-model", default=None)
    parser.add_argument("--seq2seq-model", default=None, help="a seq2seq spec or folder")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    rows = load_frank(limit=max(args.articles, args.llm_articles) + 1)
    articles = [Article(doc=row["id"], text=row["article"]) for row in rows]
    runs = [("lead", None, args.articles), ("extractive", None, args.articles)]
    if args.llm_articles:
        runs.append(("llm", args.llm_model, args.llm_articles))
    if args.seq2seq_model:
        runs.append(("seq2seq", args.seq2seq_model, args.llm_articles or 2))
    results = [bench(method, model, articles[: n + 1]) for method, model, n in runs]
    base = results[0]["warm_median_s"]
    print(f"{'method':<12}{'model':<16}{'cold s':>9}{'warm s/article':>16}{'x lead':>10}")
    for row in results:
        ratio = row["warm_median_s"] / base if base else float("nan")
        row["warm_vs_lead"] = ratio
        print(
            f"{row['method']:<12}{str(row['model']):<16}{row['cold_first_article_s']:>9.2f}"
            f"{row['warm_median_s']:>16.3f}{ratio:>10.1f}"
        )
    if args.out:
        args.out.write_text(json.dumps({
            "command": "python scripts/bench_summary.py " + " ".join(
                f"--{k.replace('_', '-')} {v}" for k, v in vars(args).items() if v is not None
            ),
            "machine": f"{platform.processor() or platform.machine()}, {platform.system()}",
            "results": results,
        }, indent=1) + "\n")


if __name__ == "__main__":
    main()
