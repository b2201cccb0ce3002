"""Score a summary method on the FRANK CNN/DM validation sample, beside the shipped systems.

ROUGE-1/2/Lsum (rouge-score, stemmed, x100) with bootstrap 95% intervals over articles,
and faithfulness: entity precision and number precision (share of the summary's entities /
numbers the source supports, pooled over articles) and the unsupported rate (share of
summaries with at least one unsupported entity or number).

    python -m stance.summarize.evaluate --method extractive --out eval/results/summary-frank.json
"""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from stance.errors import DatasetError
from stance.harness.metrics import bootstrap, rouge_intervals, rouge_per_item
from stance.summarize import faithfulness, get_summarizer
from stance.summarize import sentences as units
from stance.types import Article

FRANK_FILE = Path("summarization/frank-cnndm/derived/frank_cnndm_validation.jsonl")
SYSTEMS = ("bart", "bert_sum", "bus", "pgn", "s2s")
_TOKENIZED_END = re.compile(r"(?<= [.!?]) ")


def benchmarks_root(root: str | Path | None = None) -> Path:
    """``root``, else $STANCE_BENCHMARKS, else ``../shared/benchmarks`` beside the project."""
    if root is not None:
        return Path(root)
    if os.environ.get("STANCE_BENCHMARKS"):
        return Path(os.environ["STANCE_BENCHMARKS"])
    return Path(__file__).resolve().parents[2].parent / "shared" / "benchmarks"


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


def score_system(
    predictions: Sequence[str], rows: Sequence[dict[str, Any]], seed: int = 0
) -> dict[str, Any]:
    """ROUGE and faithfulness, with intervals, of newline-separated predictions."""
    references = ["\n".join(row["reference_sentences_clean"]) for row in rows]
    rouge = rouge_intervals(rouge_per_item(predictions, references), seed=seed)
    items = []
    for prediction, row in zip(predictions, rows, strict=True):
        found = faithfulness.check(prediction, row["article"])
        items.append({
            "entities": found.entities,
            "numbers": found.numbers,
            "bad_entities": len(found.unsupported_entities),
            "bad_numbers": len(found.unsupported_numbers),
            "unsupported": found.unsupported,
        })
    result: dict[str, Any] = {name: interval.to_dict() for name, interval in rouge.items()}
    result["entity_precision"] = bootstrap(
        items, _pooled("bad_entities", "entities"), seed=seed
    ).to_dict()
    result["number_precision"] = bootstrap(
        items, _pooled("bad_numbers", "numbers"), seed=seed
    ).to_dict()
    result["unsupported_rate"] = bootstrap(items, _unsupported_rate, seed=seed).to_dict()
    result["entities"] = sum(item["entities"] for item in items)
    result["numbers"] = sum(item["numbers"] for item in items)
    result["words"] = sum(len(p.split()) for p in predictions) / len(predictions)
    return result


def evaluate_summaries(
    method: str,
    model: str | None = None,
    root: str | Path | None = None,
    limit: int | None = None,
    seed: int = 0,
    label: str | None = None,
    baselines: bool = True,
    **options: Any,
) -> dict[str, Any]:
    """Run ``method`` on FRANK validation and score it beside Lead-3 and the five systems.

    For generative methods the unrepaired draft is scored too (``<label> draft``), so the
    effect of repair is visible. ``options`` go to ``get_summarizer``.
    """
    rows = load_frank(root, limit)
    label = label or method
    summarizer = get_summarizer(method, model, **options)
    drafts, finals, repaired, seconds = [], [], 0, 0.0
    for row in rows:
        article = Article(doc=row["id"], text=row["article"])
        start = time.perf_counter()
        summary = summarizer.summarize(article, repair=False)
        draft = summary.text.split("\n")
        if summarizer.generative:
            source_sentences = units.dedupe(units.split(article.text))
            fixed = faithfulness.repair(
                draft, source_sentences, article.text, summarizer.embedder
            )
            final, repaired = fixed.sentences, repaired + fixed.repaired
        else:
            final = draft
        seconds += time.perf_counter() - start
        drafts.append("\n".join(draft))
        finals.append("\n".join(final))
    systems = {label: score_system(finals, rows, seed)}
    systems[label]["repaired"] = repaired
    systems[label]["seconds_per_article"] = seconds / len(rows)
    if summarizer.generative:
        systems[f"{label} draft"] = score_system(drafts, rows, seed)
    if baselines:
        lead3 = ["\n".join(units.split(row["article"])[:3]) for row in rows]
        systems["lead-3"] = score_system(lead3, rows, seed)
        for name in SYSTEMS:
            outputs = [
                "\n".join(_TOKENIZED_END.split(row["system_summaries"][name].strip()))
                for row in rows
            ]
            systems[f"frank:{name}"] = score_system(outputs, rows, seed)
    return {
        "dataset": str(FRANK_FILE),
        "split": "validation",
        "n": len(rows),
        "seed": seed,
        "method": method,
        "model": summarizer.model,
        "options": {k: repr(v) for k, v in options.items()},
        "systems": systems,
        "predictions": {row["id"]: text for row, text in zip(rows, finals, strict=True)},
    }
