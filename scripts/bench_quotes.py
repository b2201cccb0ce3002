"""Quote extraction speed over the 98 GGT articles: rule layer alone vs with spaCy NER.

Usage: python scripts/bench_quotes.py [--repeat N] [--out eval/results/quotes-bench.json]
       python scripts/bench_quotes.py --scale 250000,500000,2000000 [--out FILE]

Prints characters/second (wall clock and CPU time of this process) for both paths and the
ratio between them, plus the machine's load average since a busy machine slows wall-clock
figures. The first spaCy call (pipeline load) is excluded; the rule layer is run
``--repeat`` times and the best run kept.

``--scale`` instead times one long article per size (the GGT texts concatenated, every
paragraph tagged with its copy number so that no two chunks repeat), with spaCy NER.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

from stance.harness.quote_scoring import load_ggt
from stance.text.nlp import load_nlp
from stance.text.quotes import extract_quotes
from stance.types import Article


def _run(articles: list[Article], **kwargs) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds of this process, quotes found)."""
    wall, cpu = time.perf_counter(), time.process_time()
    n = 0
    for a in articles:
        n += len(extract_quotes(a, **kwargs))
    return time.perf_counter() - wall, time.process_time() - cpu, n


def _scale(sizes: list[int], texts: list[str]) -> list[dict]:
    nlp = load_nlp()
    extract_quotes(Article("warm", texts[0]), nlp=nlp)
    rows = []
    for size in sizes:
        parts, n, k = [], 0, 0
        while n < size:
            for para in texts[k % len(texts)].split("\n\n"):
                parts.append(f"({k}) {para}")
                n += len(parts[-1]) + 2
            k += 1
        article = Article("long", "\n\n".join(parts))
        wall, cpu = time.perf_counter(), time.process_time()
        quotes = extract_quotes(article, nlp=nlp)
        rows.append({
            "characters": len(article.text),
            "quotes": len(quotes),
            "seconds": round(time.perf_counter() - wall, 2),
            "cpu_seconds": round(time.process_time() - cpu, 2),
        })
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--out", type=Path, default=None, help="also write the JSON here")
    parser.add_argument("--scale", default=None, help="comma-separated article sizes")
    args = parser.parse_args()
    articles = [Article(d.doc, d.text) for d in load_ggt()]
    if args.scale:
        sizes = [int(float(x)) for x in args.scale.split(",")]
        result = {
            "long_articles_with_nlp": _scale(sizes, [a.text for a in articles]),
            "load_average_1min": round(os.getloadavg()[0], 1),
            "command": f"python scripts/bench_quotes.py --scale {args.scale}"
            + (f" --out {args.out}" if args.out else ""),
        }
        text = json.dumps(result, indent=2)
        if args.out:
            args.out.write_text(text + "\n", encoding="utf-8")
        print(text)
        return
    chars = sum(len(a.text) for a in articles)
    runs = [_run(articles, use_nlp=False) for _ in range(args.repeat)]
    rule_s = min(r[0] for r in runs)
    rule_cpu = min(r[1] for r in runs)
    nlp = load_nlp()
    extract_quotes(articles[0], nlp=nlp)  # warm-up
    nlp_s, nlp_cpu, n_quotes = _run(articles, nlp=nlp)
    result = {
        "articles": len(articles),
        "characters": chars,
        "quotes_with_nlp": n_quotes,
        "rule_seconds": round(rule_s, 3),
        "rule_chars_per_second": round(chars / rule_s),
        "rule_chars_per_cpu_second": round(chars / rule_cpu),
        "nlp_seconds": round(nlp_s, 3),
        "nlp_chars_per_second": round(chars / nlp_s),
        "nlp_chars_per_cpu_second": round(chars / nlp_cpu),
        "rule_speedup_vs_nlp": round(nlp_s / rule_s, 1),
        "load_average_1min": round(os.getloadavg()[0], 1),
        "command": "python scripts/bench_quotes.py" + (f" --out {args.out}" if args.out else ""),
    }
    text = json.dumps(result, indent=2)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
