"""Score a summary method on the FRANK CNN/DM validation sample, beside the shipped systems.

ROUGE-1/2/Lsum (rouge-score, stemmed, x100) with bootstrap 95% intervals over articles,
and faithfulness: entity, number and quotation precision (share of the summary's entities /
numbers / quotations the source supports, pooled over articles) and the unsupported rate
(share of summaries with at least one unsupported entity, number or quotation).

    python -m stance.summarize.evaluate --method extractive --out eval/results/summary-frank.json
"""

from __future__ import annotations

import json
import re
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from stance.errors import DatasetError
from stance.harness.metrics import (
    DEFAULT_RESAMPLES,
    Interval,
    bootstrap,
    rouge_intervals,
    rouge_per_item,
)
from stance.harness.tasks import benchmarks_root
from stance.summarize import faithfulness, get_summarizer
from stance.summarize import sentences as units
from stance.summarize.base import DEFAULT_ENOUGH_WORDS, DEFAULT_SENTENCES
from stance.types import Article, FaithfulnessCheck

FRANK_FILE = Path("summarization/frank-cnndm/derived/frank_cnndm_validation.jsonl")
SYSTEMS = ("bart", "bert_sum", "bus", "pgn", "s2s")
_TOKENIZED_END = re.compile(r"(?<= [.!?]) ")


def load_frank(root: str | Path | None = None, limit: int | None = None) -> list[dict[str, Any]]:
    """FRANK validation rows in file order (the first ``limit`` when given)."""
    path = benchmarks_root(root) / FRANK_FILE
    if not path.is_file():
        raise DatasetError(
            f"FRANK sample not found at {path}; set STANCE_BENCHMARKS or pass root="
        )
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    for number, row in enumerate(rows, 1):
        missing = {"id", "article", "reference_sentences_clean", "system_summaries"} - set(row)
        if missing:
            raise DatasetError(f"{path}:{number} lacks {sorted(missing)}; is this FRANK?")
    return rows[:limit] if limit else rows


def _pooled(numerator: str, denominator: str):
    def statistic(items: Sequence[dict[str, Any]]) -> float:
        total = sum(item[denominator] for item in items)
        return 1.0 - sum(item[numerator] for item in items) / total if total else 1.0

    return statistic


def _unsupported_rate(items: Sequence[dict[str, Any]]) -> float:
    return sum(1 for item in items if item["unsupported"]) / len(items)


def lead3(article: str) -> str:
    """The Lead-3 baseline: the article's first three sentences, one per line."""
    return "\n".join(units.split(article)[:3])


def system_lines(summary: str) -> str:
    """A FRANK system output (tokenised, sentences joined by spaces), one sentence per line."""
    return "\n".join(_TOKENIZED_END.split(summary.strip()))


def faithfulness_counts(check: FaithfulnessCheck) -> dict[str, Any]:
    """A summary's check as the counts the precision statistics pool over articles."""
    return {
        "entities": check.entities,
        "numbers": check.numbers,
        "quotes": check.quotations,
        "bad_entities": len(check.unsupported_entities),
        "bad_numbers": len(check.unsupported_numbers),
        "bad_quotes": len(check.unsupported_quotations),
        "unsupported": check.unsupported,
    }


def check_lines(summary: str, article: str) -> FaithfulnessCheck:
    """The faithfulness check of a newline-separated summary, sentence by sentence as
    ``Summarizer.summarize`` checks its own."""
    return faithfulness.check_sentences(summary.split("\n"), article)


def faithfulness_intervals(
    items: Sequence[dict[str, Any]], seed: int = 0, resamples: int = DEFAULT_RESAMPLES
) -> dict[str, Interval]:
    """Entity, number and quotation precision (pooled) and the unsupported rate, from
    ``faithfulness_counts`` per summary."""
    statistics = {
        "entity_precision": _pooled("bad_entities", "entities"),
        "number_precision": _pooled("bad_numbers", "numbers"),
        "quotation_precision": _pooled("bad_quotes", "quotes"),
        "unsupported_rate": _unsupported_rate,
    }
    return {
        name: bootstrap(items, statistic, resamples=resamples, seed=seed)
        for name, statistic in statistics.items()
    }


def paired_difference(
    scores: Sequence[float], baseline: Sequence[float], seed: int = 0
) -> dict[str, float]:
    """Mean per-article difference with a bootstrap 95% interval."""
    differences = [a - b for a, b in zip(scores, baseline, strict=True)]
    return bootstrap(differences, lambda d: sum(d) / len(d), seed=seed).to_dict()


def recorded_rouge2(recorded: dict[str, Any], label: str) -> dict[str, float]:
    """Per-article ROUGE-2 of the recorded run ``label``."""
    run = recorded["runs"].get(label, {}).get("systems", {}).get(label, {})
    if "rouge2_by_article" not in run:
        raise DatasetError(f"no per-article ROUGE-2 is recorded for run {label!r}")
    return run["rouge2_by_article"]


def paired_with_run(
    run: dict[str, Any], label: str, recorded: dict[str, Any], other: str, seed: int = 0
) -> dict[str, float]:
    """ROUGE-2 of ``run`` minus that of the recorded run ``other``, on their shared articles."""
    theirs = recorded_rouge2(recorded, other)
    ours = run["systems"][label]["rouge2_by_article"]
    shared = [doc for doc in ours if doc in theirs]
    if not shared:
        raise DatasetError(f"run {other!r} shares no article with this one")
    return paired_difference([ours[doc] for doc in shared], [theirs[doc] for doc in shared], seed)


def _read_recorded(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text()) if path.is_file() else {"runs": {}}


def references_of(rows: Sequence[dict[str, Any]]) -> list[str]:
    """Each row's reference highlights, one sentence per line."""
    return ["\n".join(row["reference_sentences_clean"]) for row in rows]


def score_system(
    predictions: Sequence[str],
    rows: Sequence[dict[str, Any]],
    seed: int = 0,
    rouge_rows: Sequence[dict[str, float]] | None = None,
) -> dict[str, Any]:
    """ROUGE and faithfulness, with intervals, of newline-separated predictions
    (``rouge_rows``: their ``rouge_per_item`` scores, when already computed)."""
    if rouge_rows is None:
        rouge_rows = rouge_per_item(predictions, references_of(rows))
    rouge = rouge_intervals(rouge_rows, seed=seed)
    items = [
        faithfulness_counts(check_lines(prediction, row["article"]))
        for prediction, row in zip(predictions, rows, strict=True)
    ]
    result: dict[str, Any] = {name: interval.to_dict() for name, interval in rouge.items()}
    result.update(
        {name: interval.to_dict() for name, interval in faithfulness_intervals(items, seed).items()}
    )
    result["entities"] = sum(item["entities"] for item in items)
    result["numbers"] = sum(item["numbers"] for item in items)
    result["quotes"] = sum(item["quotes"] for item in items)
    result["words"] = sum(len(p.split()) for p in predictions) / len(predictions)
    return result


def _summarise_row(summarizer: Any, row: dict[str, Any]) -> dict[str, Any]:
    """One article's draft and repaired summary (newline-separated) and the time taken."""
    article = Article(doc=row["id"], text=row["article"])
    start = time.perf_counter()
    draft = summarizer.summarize(article, repair=False).text.split("\n")
    final, repaired = draft, 0
    if summarizer.generative:
        source_sentences = units.dedupe(units.split(article.text))
        fixed = faithfulness.repair(draft, source_sentences, article.text, summarizer.embedder)
        final, repaired = fixed.sentences, fixed.repaired
    return {
        "id": row["id"],
        "draft": "\n".join(draft),
        "final": "\n".join(final),
        "repaired": repaired,
        "seconds": time.perf_counter() - start,
    }


def evaluate_summaries(
    method: str,
    model: str | None = None,
    root: str | Path | None = None,
    limit: int | None = None,
    seed: int = 0,
    label: str | None = None,
    baselines: bool = True,
    records: str | Path | None = None,
    **options: Any,
) -> dict[str, Any]:
    """Run ``method`` on FRANK validation and score it beside Lead-3 and the five systems.

    For generative methods the unrepaired draft is scored too (``<label> draft``), so the
    effect of repair is visible. ``options`` go to ``get_summarizer``. With ``records`` (a
    JSONL path outside the repository: it holds article-derived text), each article's
    summaries are appended as they finish and reused on a rerun, so a slow run can resume.
    """
    rows = load_frank(root, limit)
    label = label or method
    summarizer = get_summarizer(method, model, **options)
    done: dict[str, dict[str, Any]] = {}
    if records is not None and Path(records).is_file():
        for line in Path(records).read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            done[record["id"]] = record
    for row in rows:
        if row["id"] in done:
            continue
        record = _summarise_row(summarizer, row)
        done[row["id"]] = record
        if records is not None:
            with open(records, "a", encoding="utf-8") as handle:
                handle.write(json.dumps(record) + "\n")
    drafts = [done[row["id"]]["draft"] for row in rows]
    finals = [done[row["id"]]["final"] for row in rows]
    repaired = sum(done[row["id"]]["repaired"] for row in rows)
    seconds = sum(done[row["id"]]["seconds"] for row in rows)
    references = references_of(rows)
    final_rouge = rouge_per_item(finals, references)
    ours = [item["rouge2"] for item in final_rouge]
    systems = {label: score_system(finals, rows, seed, final_rouge)}
    systems[label]["repaired"] = repaired
    systems[label]["seconds_per_article"] = seconds / len(rows)
    # kept so that later runs can be compared with this one article by article
    systems[label]["rouge2_by_article"] = {
        row["id"]: round(score, 4) for row, score in zip(rows, ours, strict=True)
    }
    if summarizer.generative:
        systems[f"{label} draft"] = score_system(drafts, rows, seed)
    if baselines:
        lead3_outputs = [lead3(row["article"]) for row in rows]
        lead3_rouge = rouge_per_item(lead3_outputs, references)
        systems["lead-3"] = score_system(lead3_outputs, rows, seed, lead3_rouge)
        lead3_scores = [item["rouge2"] for item in lead3_rouge]
        systems[label]["rouge2_minus_lead3"] = paired_difference(ours, lead3_scores, seed)
        for name in SYSTEMS:
            outputs = [system_lines(row["system_summaries"][name]) for row in rows]
            systems[f"frank:{name}"] = score_system(outputs, rows, seed)
    return {
        "dataset": str(FRANK_FILE),
        "split": "validation",
        "n": len(rows),
        "seed": seed,
        "method": method,
        "model": summarizer.model,
        "runtime": getattr(summarizer, "runtime_used", None),
        "options": {k: repr(v) for k, v in options.items()},
        "systems": systems,
        "predictions": {row["id"]: text for row, text in zip(rows, finals, strict=True)},
    }


SWEEP_GRID = {
    "centrality": ("pagerank", "degree", "centroid", "pacsum"),
    "position": (0.0, 0.5, 0.6, 0.7, 0.8),
    "decay": (3.0, 6.0),
    "redundancy": (0.0, 0.25),
}
# Summary lengths the sweep crosses with every ranking: a fixed 3 sentences, or up to 3
# stopping once so many words are in (the default stops at DEFAULT_ENOUGH_WORDS).
SWEEP_LENGTHS = {
    "3 sentences": None,
    **{f"stop at {w} words": w for w in sorted({40, 50, 60, 70, DEFAULT_ENOUGH_WORDS})},
}
DEFAULT_SETTING = f"lead, stop at {DEFAULT_ENOUGH_WORDS} words"
SWEEP_TOP = 20
RANDOM_HALVES = 500


def _held_out(
    scores: dict[str, list[float]],
    lead3_scores: list[float],
    splits: list[tuple[list[int], list[int]]],
) -> list[dict[str, Any]]:
    """Per split: the setting with the best train-half R-2, its test-half R-2 and the
    test-half difference to Lead-3; also the fixed default's test-half difference."""
    import numpy as np

    def mean(values: list[float], rows: list[int]) -> float:
        return float(np.mean([values[i] for i in rows]))

    folds = []
    for train, test in splits:
        best = max(scores, key=lambda name: mean(scores[name], train))
        folds.append({
            "picked": best,
            "train_rouge2": mean(scores[best], train),
            "test_rouge2": mean(scores[best], test),
            "picked_minus_lead3": mean(scores[best], test) - mean(lead3_scores, test),
            "default_minus_lead3": mean(scores[DEFAULT_SETTING], test) - mean(lead3_scores, test),
            "lead3_test_rouge2": mean(lead3_scores, test),
        })
    return folds


def _spread(values: list[float]) -> dict[str, float]:
    import numpy as np

    low, high = np.quantile(values, [0.025, 0.975])
    return {
        "mean": float(np.mean(values)), "low": float(low), "high": float(high),
        "share_above_zero": float(np.mean(np.array(values) > 0)),
    }


def sweep_extractive(
    root: str | Path | None = None, limit: int | None = None, seed: int = 0
) -> dict[str, Any]:
    """ROUGE-2 of lead and every ``SWEEP_GRID`` ranking at each ``SWEEP_LENGTHS``, and
    cross-validation against Lead-3.

    Embeddings are computed once per article. Cross-validation picks the best setting on
    one half of the articles and scores it on the other: even/odd rows both ways, then
    ``RANDOM_HALVES`` random halves (seeded). The default setting is scored on the same
    held-out halves; it has no parameter fitted to these articles.
    """
    import itertools

    import numpy as np

    from stance.summarize.extractive import RankOptions, candidate_sentences, rank_sentences, select

    rows = load_frank(root, limit)
    references = references_of(rows)
    sources = [candidate_sentences(row["article"]) for row in rows]
    embedder = units.load_embedder()
    embeddings = [units.embed(embedder, sentences) for sentences in sources]

    def rouge2(predictions: list[list[str]]) -> list[float]:
        scored = rouge_per_item(["\n".join(p) for p in predictions], references)
        return [row["rouge2"] for row in scored]

    def summaries(orders: list[list[int]], enough_words: int | None) -> list[list[str]]:
        # The same two steps as Summarizer.summarize: pick, then fit the length in order.
        return [
            units.take_within_budget(
                select(sentences, order, DEFAULT_SENTENCES, None),
                sentences=DEFAULT_SENTENCES, enough_words=enough_words,
            )
            for sentences, order in zip(sources, orders, strict=True)
        ]

    rankings = {"lead": [list(range(len(sentences))) for sentences in sources]}
    for values in itertools.product(*SWEEP_GRID.values()):
        options = RankOptions(**dict(zip(SWEEP_GRID, values, strict=True)))
        if options.position == 0.0 and options.decay != SWEEP_GRID["decay"][0]:
            continue
        name = ", ".join(f"{k}={v}" for k, v in zip(SWEEP_GRID, values, strict=True))
        rankings[name] = [
            rank_sentences(e, [units.word_count(s) for s in sentences], options)
            for sentences, e in zip(sources, embeddings, strict=True)
        ]
    scores = {
        f"{name}, {length}": rouge2(summaries(orders, enough_words))
        for name, orders in rankings.items()
        for length, enough_words in SWEEP_LENGTHS.items()
    }
    lead3_scores = rouge2([units.split(row["article"])[:3] for row in rows])
    n = len(rows)
    even, odd = list(range(0, n, 2)), list(range(1, n, 2))
    rng = np.random.default_rng(seed)
    halves = [rng.permutation(n).tolist() for _ in range(RANDOM_HALVES)]
    random_splits = [(order[: n // 2], order[n // 2 :]) for order in halves]
    repeated = _held_out(scores, lead3_scores, random_splits)
    return {
        "n": n,
        "seed": seed,
        "rouge2": {
            name: bootstrap(values, lambda v: float(np.mean(v)), seed=seed).to_dict()
            for name, values in sorted(scores.items(), key=lambda kv: -np.mean(kv[1]))
        },
        "lead3_rouge2": bootstrap(lead3_scores, lambda v: float(np.mean(v)), seed=seed).to_dict(),
        "minus_lead3": {
            name: bootstrap(
                [a - b for a, b in zip(scores[name], lead3_scores, strict=True)],
                lambda v: float(np.mean(v)), seed=seed,
            ).to_dict()
            for name in scores
            if name.startswith("lead, ")
        },
        "even_odd": _held_out(scores, lead3_scores, [(even, odd), (odd, even)]),
        "random_halves": {
            "splits": RANDOM_HALVES,
            "picked_minus_lead3": _spread([f["picked_minus_lead3"] for f in repeated]),
            "default_minus_lead3": _spread([f["default_minus_lead3"] for f in repeated]),
            "picked_minus_default": _spread(
                [f["picked_minus_lead3"] - f["default_minus_lead3"] for f in repeated]
            ),
            "most_picked": dict(
                Counter(f["picked"] for f in repeated).most_common(5)
            ),
        },
    }


def _parse_option(text: str) -> tuple[str, Any]:
    key, _, value = text.partition("=")
    for cast in (int, float):
        try:
            return key, cast(value)
        except ValueError:
            continue
    return key, value


def _cell(stat: dict[str, float], scale: float = 1.0, digits: int = 2) -> str:
    return (
        f"{stat['value'] * scale:.{digits}f} "
        f"[{stat['low'] * scale:.{digits}f}, {stat['high'] * scale:.{digits}f}]"
    )


def markdown(results: dict[str, Any]) -> str:
    """One table per recorded run, with the command that reproduces it."""
    lines = [
        "# Summaries on FRANK CNN/DM validation",
        "",
        "ROUGE F1 x100 (rouge-score, stemmed; rougeLsum over newline-separated sentences) with",
        "bootstrap 95% intervals over articles (1,000 resamples, seed 0). Entity / number /",
        "quote precision: share of the summary's named entities / numbers / quotations that the",
        "source supports (pooled; quotations word for word); unsupported rate: share of",
        "summaries with at least one unsupported item. Runs recorded before session 10 did not",
        "check quotations (quote P: –). Since session 11 every summary is checked sentence by",
        "sentence, as `stance summarize` checks it; the two 1.5B rows and the 0.5B first-20 row,",
        "whose records are gone, keep counts from checking each summary as one text (the",
        "systems' entity precision moves by at most 0.003 between the two).",
        "FRANK system outputs (except BART) are lower-cased, so spaCy finds fewer entities",
        "in them.",
        "",
    ]
    for label, run in results["runs"].items():
        lines += [
            f"## {label} (n={run['n']})",
            "",
            f"`{run['command']}`",
            "",
            "| system | R-1 | R-2 | R-Lsum | entity P | number P | quote P | unsupported "
            "| words | s/article |",
            "|---|---|---|---|---|---|---|---|---|---|",
        ]
        for name, row in run["systems"].items():
            seconds = row.get("seconds_per_article")
            quotations = row.get("quotation_precision")
            lines.append(
                f"| {name} | {_cell(row['rouge1'])} | {_cell(row['rouge2'])} "
                f"| {_cell(row['rougeLsum'])} | {_cell(row['entity_precision'], digits=3)} "
                f"| {_cell(row['number_precision'], digits=3)} "
                f"| {'–' if quotations is None else _cell(quotations, digits=3)} "
                f"| {_cell(row['unsupported_rate'], digits=3)} | {row['words']:.0f} "
                f"| {'' if seconds is None else f'{seconds:.2f}'} |"
            )
        paired = run["systems"][label].get("rouge2_minus_lead3")
        if paired:
            lines += ["", f"Paired R-2 difference, {label} minus lead-3: {_cell(paired)}"]
        for other, difference in run["systems"][label].get("rouge2_minus", {}).items():
            lines.append(f"Paired R-2 difference, {label} minus {other}: {_cell(difference)}")
        lines.append("")
    return "\n".join(lines)


def _sweep_markdown(swept: dict[str, Any]) -> str:
    halves = swept["random_halves"]

    def spread(stat: dict[str, float]) -> str:
        return (
            f"{stat['mean']:+.2f} [{stat['low']:+.2f}, {stat['high']:+.2f}], "
            f"above zero in {stat['share_above_zero']:.0%} of splits"
        )

    lines = [
        f"# Summary ranking and length sweep on FRANK CNN/DM validation (n={swept['n']})",
        "",
        "`python -m stance.summarize.evaluate --sweep`",
        "",
        "ROUGE-2 F1 x100 with bootstrap 95% intervals (1,000 resamples, seed 0). Lead-3 is",
        "the plain first three sentences. `lead` takes the opening candidate sentences",
        "(headline, outlet tag and near-duplicates skipped); the other rankings mix centrality",
        f"with a position prior. `stop at N words`: up to {DEFAULT_SENTENCES} sentences, stopping",
        f"once N words are in. `{DEFAULT_SETTING}` is the shipped default.",
        "",
        f"Lead-3: {_cell(swept['lead3_rouge2'])}",
        "",
        "| lead at each length | R-2 | paired difference to Lead-3 |",
        "|---|---|---|",
    ]
    lines += [
        f"| {name} | {_cell(swept['rouge2'][name])} | {_cell(stat)} |"
        for name, stat in swept["minus_lead3"].items()
    ]
    lines += [
        "",
        "## Cross-validation: pick the best setting on one half, score it on the other",
        "",
        "| train half | picked | train R-2 | test R-2 | picked - Lead-3 | default - Lead-3 |",
        "|---|---|---|---|---|---|",
    ]
    for name, fold in zip(("even", "odd"), swept["even_odd"], strict=True):
        lines.append(
            f"| {name} rows | {fold['picked']} | {fold['train_rouge2']:.2f} "
            f"| {fold['test_rouge2']:.2f} | {fold['picked_minus_lead3']:+.2f} "
            f"| {fold['default_minus_lead3']:+.2f} |"
        )
    lines += [
        "",
        f"Over {halves['splits']} random halves (mean held-out R-2 difference, 2.5-97.5%",
        "of splits):",
        "",
        f"- best-on-train setting minus Lead-3: {spread(halves['picked_minus_lead3'])}",
        f"- default minus Lead-3: {spread(halves['default_minus_lead3'])}",
        f"- best-on-train setting minus default: {spread(halves['picked_minus_default'])}",
        "- most often picked: "
        + "; ".join(f"{name} ({count})" for name, count in halves["most_picked"].items()),
        "",
        f"## The {SWEEP_TOP} best of {len(swept['rouge2'])} settings on all articles "
        "(all are in the JSON)",
        "",
        "| setting | R-2 |",
        "|---|---|",
    ]
    best = list(swept["rouge2"].items())[:SWEEP_TOP]
    lines += [f"| {name} | {_cell(stat)} |" for name, stat in best]
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> None:
    """Run one method and merge its scores (not its texts) into the results JSON and markdown."""
    import argparse
    import shlex
    import sys

    parser = argparse.ArgumentParser(prog="python -m stance.summarize.evaluate")
    parser.add_argument("--method")
    parser.add_argument(
        "--sweep", action="store_true",
        help="sweep rankings and lengths, cross-validated against Lead-3",
    )
    parser.add_argument("--model")
    parser.add_argument("--label")
    parser.add_argument("--limit", type=int)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--root")
    parser.add_argument(
        "--option", action="append", default=[],
        help="extractive ranking KEY=VALUE (centrality, position, decay, redundancy, "
        "min_words), or a summariser option such as max_new_tokens=120",
    )
    parser.add_argument("--out", type=Path, default=Path("eval/results/summary-frank.json"))
    parser.add_argument("--records", help="JSONL of per-article summaries to resume from")
    parser.add_argument(
        "--paired-with", action="append", default=[], metavar="LABEL",
        help="also give the paired ROUGE-2 difference to this recorded run",
    )
    args = parser.parse_args(argv)
    if args.sweep:
        swept = sweep_extractive(args.root, args.limit, args.seed)
        target = args.out.with_name("summary-extractive-sweep.json")
        target.write_text(json.dumps(swept, indent=1) + "\n")
        target.with_suffix(".md").write_text(_sweep_markdown(swept))
        return
    if not args.method:
        parser.error("pass --method or --sweep")
    options = dict(_parse_option(o) for o in args.option)
    if args.method == "extractive":
        from stance.summarize.extractive import RankOptions

        names = set(RankOptions.__dataclass_fields__)
        rank = {k: options.pop(k) for k in list(options) if k in names}
        options["options"] = RankOptions(**rank)
    for other in args.paired_with:  # a missing run fails now, not after a long evaluation
        recorded_rouge2(_read_recorded(args.out), other)
    result = evaluate_summaries(
        args.method, args.model, args.root, args.limit, args.seed, label=args.label,
        records=args.records, **options,
    )
    result.pop("predictions")
    label = args.label or args.method
    # read again: another run may have recorded itself in the meantime
    recorded = _read_recorded(args.out)
    for other in args.paired_with:
        result["systems"][label].setdefault("rouge2_minus", {})[other] = paired_with_run(
            result, label, recorded, other, args.seed
        )
    result["command"] = "python -m stance.summarize.evaluate " + shlex.join(
        sys.argv[1:] if argv is None else list(argv)
    )
    recorded["runs"][label] = result
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(recorded, indent=1) + "\n")
    args.out.with_suffix(".md").write_text(markdown(recorded))


if __name__ == "__main__":
    main()
