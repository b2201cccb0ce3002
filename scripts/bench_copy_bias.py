"""Decode speed with and without the copy bias, on the same prompt, in alternating runs.

    python scripts/bench_copy_bias.py --model qwen-0.5b --repeats 3

Summarises the example article's first 3,000 characters with the llm method's prompt and
prints the decode rate (tokens after the first, per second) of each run and the median ratio.
The runs alternate so that a change in machine load hits both settings alike.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from stance.summarize import get_summarizer
from stance.summarize import sentences as units

SEED = Path(__file__).resolve().parents[2] / "shared" / "seed" / "milley-taliban.txt"


def decode_rate(generator, messages, source: str, bias: float, new_tokens: int) -> float:
    first: list[float] = []

    def mark(_: str) -> None:
        if not first:
            first.append(time.perf_counter())

    text = generator.generate(messages, max_new_tokens=new_tokens, copy_from=source,
                              copy_bias=bias, on_token=mark)
    return (generator.count_tokens(text) - 1) / (time.perf_counter() - first[0])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="qwen-0.5b")
    parser.add_argument("--article", type=Path, default=SEED)
    parser.add_argument("--bias", type=float, default=3.0)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--new-tokens", type=int, default=120)
    args = parser.parse_args()

    summarizer = get_summarizer("llm", args.model)
    generator = summarizer.generator
    source = " ".join(units.split(args.article.read_text(encoding="utf-8")))[:3000]
    messages = summarizer.messages(source, None, None)
    generator.generate(messages, max_new_tokens=4)  # prefill once; later runs reuse the cache
    rates: dict[float, list[float]] = {0.0: [], args.bias: []}
    for _ in range(args.repeats):
        for bias in rates:
            rates[bias].append(decode_rate(generator, messages, source, bias, args.new_tokens))
            print(f"copy bias {bias:g}: {rates[bias][-1]:.1f} tok/s", flush=True)
    plain, nudged = (statistics.median(rates[b]) for b in rates)
    print(f"{summarizer.model} on {summarizer.runtime_used}: median {plain:.1f} tok/s without, "
          f"{nudged:.1f} with copy bias {args.bias:g} (ratio {nudged / plain:.2f})")


if __name__ == "__main__":
    main()
