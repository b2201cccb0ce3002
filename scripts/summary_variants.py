"""Lead variants tried against Lead-3 on FRANK CNN/DM validation: other length rules,
sentence filters and clause-dropping compression. None beat the shipped default
(lead, up to 3 sentences stopping at 50 words); this script keeps the evidence.

    python scripts/summary_variants.py --out eval/results/summary-variants.md

Writes ROUGE-2 and the paired R-2 difference to Lead-3 (bootstrap 95% intervals, seed 0),
also on even and odd rows separately.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable
from pathlib import Path

from stance.harness.metrics import bootstrap, rouge_per_item
from stance.summarize import sentences as units
from stance.summarize.base import DEFAULT_ENOUGH_WORDS, DEFAULT_SENTENCES
from stance.summarize.evaluate import load_frank, references_of
from stance.summarize.extractive import candidate_sentences

OPENS_WITH_QUOTE = re.compile(r"^[\"'‘“]")
PARENTHETICAL = re.compile(r"\s*\([^()]*\)")
DASH_CLAUSE = re.compile(r"\s+[-–—]\s+[^-–—]*?(?=[.!?]?[\"'’”]?$|\s+[-–—]\s+)")
ATTRIBUTION_TAIL = re.compile(
    r",\s+(?:according to [^,]+|(?:he|she|they|police|officials) (?:said|says|added))"
    r"(?=[.!?]?$)"
)

Variant = Callable[[list[str]], list[str]]


def default_length(candidates: list[str]) -> list[str]:
    return units.take_within_budget(
        candidates, sentences=DEFAULT_SENTENCES, enough_words=DEFAULT_ENOUGH_WORDS
    )


def closest_to(target: int) -> Variant:
    """Opening sentences while each one brings the length closer to ``target`` words."""

    def pick(candidates: list[str]) -> list[str]:
        chosen: list[str] = []
        total = 0
        for sentence in candidates:
            size = units.word_count(sentence)
            if chosen and abs(total + size - target) > abs(total - target):
                break
            chosen.append(sentence)
            total += size
        return chosen

    return pick


def filtered(keep: Callable[[str], bool]) -> Variant:
    return lambda candidates: default_length([s for s in candidates if keep(s)] or candidates)


def compressed(pattern: re.Pattern[str]) -> Variant:
    def shorten(sentence: str) -> str:
        short = pattern.sub("", sentence).strip()
        if units.word_count(short) < 6:
            return sentence
        return short if re.search(r"[.!?\"'’”]$", short) else short + "."

    return lambda candidates: default_length([shorten(s) for s in candidates])


VARIANTS: dict[str, Variant] = {
    "default: up to 3 sentences, stop at 50 words": default_length,
    **{
        f"hard budget of {w} words (longer sentences skipped)": (
            lambda c, w=w: units.take_within_budget(c, words_budget=w)
        )
        for w in (50, 60, 70)
    },
    **{f"sentences while closer to {w} words": closest_to(w) for w in (50, 60, 70)},
    "stop at 50 words, no sentence cap": (
        lambda c: units.take_within_budget(c, enough_words=DEFAULT_ENOUGH_WORDS)
    ),
    "skip sentences opening with a quotation mark": filtered(
        lambda s: not OPENS_WITH_QUOTE.search(s)
    ),
    "skip sentences under 10 words": filtered(lambda s: units.word_count(s) >= 10),
    "drop parentheticals": compressed(PARENTHETICAL),
    "drop dash clauses": compressed(DASH_CLAUSE),
    "drop attribution tails": compressed(ATTRIBUTION_TAIL),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", help="benchmarks folder (default: ../shared/benchmarks)")
    parser.add_argument("--out", type=Path, default=Path("eval/results/summary-variants.md"))
    args = parser.parse_args()
    rows = load_frank(args.root)
    references = references_of(rows)
    sources = [candidate_sentences(row["article"]) for row in rows]

    def rouge2(predictions: list[list[str]]) -> list[float]:
        scored = rouge_per_item(["\n".join(p) for p in predictions], references)
        return [row["rouge2"] for row in scored]

    def mean(values: list[float]) -> float:
        return sum(values) / len(values)

    lead3 = rouge2([units.split(row["article"])[:3] for row in rows])
    lines = [
        f"# Lead variants on FRANK CNN/DM validation (n={len(rows)})",
        "",
        "`python scripts/summary_variants.py`",
        "",
        f"ROUGE-2 F1 x100; Lead-3 (plain first three sentences) scores {mean(lead3):.2f}.",
        "Intervals: bootstrap 95% over articles (1,000 resamples, seed 0).",
        "",
        "| variant | words | R-2 | minus Lead-3 | even rows | odd rows |",
        "|---|---|---|---|---|---|",
    ]
    for name, variant in VARIANTS.items():
        predictions = [variant(candidates) for candidates in sources]
        scores = rouge2(predictions)
        differences = [a - b for a, b in zip(scores, lead3, strict=True)]
        score, difference = bootstrap(scores, mean), bootstrap(differences, mean)
        words = mean([sum(units.word_count(s) for s in p) for p in predictions])
        lines.append(
            f"| {name} | {words:.0f} | {score.value:.2f} [{score.low:.2f}, {score.high:.2f}] "
            f"| {difference.value:+.2f} [{difference.low:+.2f}, {difference.high:+.2f}] "
            f"| {mean(differences[::2]):+.2f} | {mean(differences[1::2]):+.2f} |"
        )
    args.out.write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
