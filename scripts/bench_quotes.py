"""Quote extraction speed over the 98 GGT articles: rule layer alone vs with spaCy NER.

Usage: python scripts/bench_quotes.py [--repeat N]

Prints characters/second for both paths and the ratio between them. The first spaCy call
(pipeline load) is excluded; the rule layer is run ``--repeat`` times and the best run kept.
"""

from __future__ import annotations

import argparse
import json
import time

from stance.harness.quote_scoring import load_ggt
from stance.text.nlp import load_nlp
from stance.text.quotes import extract_quotes
from stance.types import Article


def _run(articles: list[Article], **kwargs) -> tuple[float, int]:
    started = time.perf_counter()
    n = 0
    for a in articles:
        n += len(extract_quotes(a, **kwargs))
    return time.perf_counter() - started, n


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    articles = [Article(d.doc, d.text) for d in load_ggt()]
    chars = sum(len(a.text) for a in articles)
    rule_s = min(_run(articles, use_nlp=False)[0] for _ in range(args.repeat))
    nlp = load_nlp()
    extract_quotes(articles[0], nlp=nlp)  # warm-up
    nlp_s, n_quotes = _run(articles, nlp=nlp)
    result = {
        "articles": len(articles),
        "characters": chars,
        "quotes_with_nlp": n_quotes,
        "rule_seconds": round(rule_s, 3),
        "rule_chars_per_second": round(chars / rule_s),
        "nlp_seconds": round(nlp_s, 3),
        "nlp_chars_per_second": round(chars / nlp_s),
        "rule_speedup_vs_nlp": round(nlp_s / rule_s, 1),
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
