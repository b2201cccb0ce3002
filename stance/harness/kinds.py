"""What each task kind does with a model: load it, turn one item into a record, score records.

Models are reached only through the public library functions a user would call
(``get_classifier``, ``get_summarizer``, ``extract_quotes``), so any method runs any task of
its kind. Records are plain JSON-ready dicts; scores are computed from records alone, which is
what makes a resumed run score exactly like an uninterrupted one.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from stance.errors import InputError
from stance.harness import metrics
from stance.harness.tasks import Item, Task
from stance.types import Article

# The methods a user gets from the library when naming none.
DEFAULT_METHODS = {"stance": "head", "summary": "lead", "quotes": "rules+spacy"}


def parse_model_spec(spec: str) -> tuple[str, str | None]:
    """``"method[:model]"`` -> (method, model); ``"nli:path/to/model"`` keeps the path whole."""
    method, sep, model = spec.partition(":")
    return method.strip(), (model.strip() or None) if sep else None


def format_model_spec(method: str, model: str | None) -> str:
    return f"{method}:{model}" if model else method


class Kind:
    """One task kind. ``predict_batch`` defaults to one ``predict`` call per item."""

    def load(self, task: Task, method: str, model: str | None) -> Any:
        raise NotImplementedError

    def failed(self, task: Task, item: Item) -> dict[str, Any]:
        """The record fields of an item whose prediction raised: scored as a total miss."""
        raise NotImplementedError

    def predict(self, task: Task, predictor: Any, item: Item) -> dict[str, Any]:
        raise NotImplementedError

    def predict_batch(self, task: Task, predictor: Any, items: list[Item]) -> list[dict[str, Any]]:
        return [self.predict(task, predictor, item) for item in items]

    def score(self, task: Task, records: Sequence[dict[str, Any]], seed: int) -> dict[str, Any]:
        raise NotImplementedError


class StanceKind(Kind):
    def load(self, task: Task, method: str, model: str | None) -> Any:
        from stance.classify import get_classifier

        classifier = get_classifier(method, model=model, labelset=task.labelset)
        labels = getattr(classifier, "labels", None)
        if labels is not None and task.labels and set(labels) != set(task.labels):
            raise InputError(
                f"{format_model_spec(method, model)} predicts {list(labels)} but task "
                f"{task.name!r} is labelled {task.labels}; give the task a label set name"
            )
        return classifier

    def failed(self, task: Task, item: Item) -> dict[str, Any]:
        return {"gold": item.fields["label"], "predicted": None, "correct": False}

    def predict(self, task: Task, predictor: Any, item: Item) -> dict[str, Any]:
        return self.predict_batch(task, predictor, [item])[0]

    def predict_batch(self, task: Task, predictor: Any, items: list[Item]) -> list[dict[str, Any]]:
        """One ``predict`` call for the batch (classifiers share work within an article)."""
        keys = ("text", "speaker", "target", "context", "doc")
        queries = [{k: item.fields.get(k) for k in keys} for item in items]
        stances = predictor.predict(queries)
        records = []
        for item, query, stance in zip(items, queries, stances, strict=True):
            gold = item.fields["label"]
            record: dict[str, Any] = {
                "gold": gold,
                "predicted": stance.label,
                "correct": stance.label == gold,
                "confidence": float(stance.confidence),
                "scores": {k: float(v) for k, v in (stance.scores or {}).items()},
            }
            if task.keep_text:
                record.update({k: v for k, v in query.items() if v is not None})
            records.append(record)
        return records

    def score(self, task: Task, records: Sequence[dict[str, Any]], seed: int) -> dict[str, Any]:
        labels = list(task.labels or [])
        gold = [r["gold"] for r in records]
        # A failed item has no prediction; it counts as a miss under a pseudo-label.
        predicted = [r["predicted"] or "<error>" for r in records]
        report = metrics.classification_report(
            gold, predicted, labels, seed=seed, resamples=task.resamples
        )
        return {
            "metrics": {name: report[name] for name in task.metrics},
            "per_class": report["per_class"],
            "labels": report["labels"],
            "confusion": report["confusion"],
        }


class SummaryKind(Kind):
    """ROUGE and faithfulness of each summary, beside Lead-3 and any system outputs the
    dataset ships (task field ``systems``: a mapping of system name to summary), all scored
    on the same articles so the table compares like with like."""

    def load(self, task: Task, method: str, model: str | None) -> Any:
        from stance.summarize import get_summarizer

        return get_summarizer(method, model=model, **task.options.get("summarizer", {}))

    def failed(self, task: Task, item: Item) -> dict[str, Any]:
        return {"rouge": dict.fromkeys(metrics.ROUGE_TYPES, 0.0)}

    def predict(self, task: Task, predictor: Any, item: Item) -> dict[str, Any]:
        from stance.summarize.evaluate import faithfulness_counts, lead3, system_lines

        fields = item.fields
        article = Article(doc=item.id, text=fields["article"], title=fields.get("title"))
        summary = predictor.summarize(article)
        baselines = {"lead-3": lead3(article.text)}
        baselines.update(
            {name: system_lines(text) for name, text in (fields.get("systems") or {}).items()}
        )
        rouge, *baseline_rouge = metrics.rouge_per_item(
            [summary.text, *baselines.values()], [fields["reference"]] * (1 + len(baselines))
        )
        record: dict[str, Any] = {
            "rouge": rouge,
            "summary_words": len(summary.text.split()),
            "chunks": summary.chunks,
            **faithfulness_counts(summary.check),
            "repaired": summary.repaired,
            "baselines": dict(zip(baselines, baseline_rouge, strict=True)),
        }
        if task.keep_text:
            record["summary"] = summary.text
        return record

    def score(self, task: Task, records: Sequence[dict[str, Any]], seed: int) -> dict[str, Any]:
        from stance.summarize.evaluate import faithfulness_intervals

        rows = [r["rouge"] for r in records]
        intervals = metrics.rouge_intervals(rows, seed=seed, resamples=task.resamples)
        scored = [r for r in records if "entities" in r]
        if scored:
            intervals.update(faithfulness_intervals(scored, seed=seed, resamples=task.resamples))
        result: dict[str, Any] = {
            "metrics": {name: intervals[name].to_dict() for name in task.metrics
                        if name in intervals},
            "summary_words": metrics.mean([r.get("summary_words", 0) for r in records]),
            "repaired": sum(r.get("repaired", 0) for r in records),
        }
        if records and all("baselines" in r for r in records):
            result["baselines"] = {
                name: {
                    metric: interval.to_dict()
                    for metric, interval in metrics.rouge_intervals(
                        [r["baselines"][name] for r in records], seed=seed,
                        resamples=task.resamples,
                    ).items()
                }
                for name in records[0]["baselines"]
            }
            differences = [r["rouge"]["rouge2"] - r["baselines"]["lead-3"]["rouge2"]
                           for r in records]
            result["rouge2_minus_lead3"] = metrics.bootstrap(
                differences, metrics.mean, resamples=task.resamples, seed=seed
            ).to_dict()
        return result


class QuotesKind(Kind):
    """Quote extraction per article, matched to gold with ``stance.harness.quote_scoring``.

    Task ``options``: ``threshold`` (overlap, default 0.3) and ``subset`` (``all`` or
    ``marked``: quotes with quotation marks, predictions of kind direct/mixed). Speakers are
    scored on the matched pairs: names by alias match (GGT), mention overlap (PolNeAR).
    Records keep counts and character offsets only, never article text.
    """

    def load(self, task: Task, method: str, model: str | None) -> Any:
        from stance.text.quotes import extract_quotes

        if method == "rules":
            return lambda article: extract_quotes(article, nlp=None, use_nlp=False)
        if method == "rules+spacy":
            from stance.text.nlp import DEFAULT_MODEL, load_nlp

            nlp = load_nlp(model or DEFAULT_MODEL)
            return lambda article: extract_quotes(article, nlp=nlp, use_nlp=True)
        raise InputError(f"unknown quotes method {method!r}; choose rules or rules+spacy")

    def _gold(self, task: Task, item: Item) -> list[Any]:
        quotes = item.fields["doc"].quotes
        if task.options.get("subset", "all") == "marked":
            return [g for g in quotes if g.has_marks]
        return list(quotes)

    def failed(self, task: Task, item: Item) -> dict[str, Any]:
        gold = self._gold(task, item)
        return {
            "tp": 0, "fp": 0, "fn": len(gold), "predicted": 0, "gold": len(gold),
            "speaker_pairs": 0, "speaker_correct": 0,
            "missed_spans": [g.segments for g in gold], "spurious_spans": [],
        }

    def predict(self, task: Task, predictor: Any, item: Item) -> dict[str, Any]:
        from stance.harness.quote_scoring import as_relations, match, names_agree, segments_of

        doc = item.fields["doc"]
        threshold = float(task.options.get("threshold", 0.3))
        marked = task.options.get("subset", "all") == "marked"
        predicted = predictor(Article(doc=doc.doc, text=doc.text))
        gold = self._gold(task, item)
        if marked:
            predicted = [p for p in predicted if p.kind != "indirect"]
        if doc.unit == "relation":
            predicted = as_relations(predicted, doc.text)
        pairs = match(gold, predicted, threshold)
        speaker_pairs = speaker_correct = 0
        for i, j in pairs:
            g, p = gold[i], predicted[j]
            if g.speaker is not None:  # resolved names (GGT)
                speaker_pairs += 1
                speaker_correct += names_agree(p.speaker, g.speaker)
            elif g.source is not None:  # mention spans only (PolNeAR)
                speaker_pairs += 1
                ms, me = p.mention_start, p.mention_end
                speaker_correct += ms is not None and me is not None and (
                    min(me, g.source[1]) > max(ms, g.source[0])
                )
        matched_gold = {i for i, _ in pairs}
        matched_pred = {j for _, j in pairs}
        return {
            "tp": len(pairs),
            "fp": len(predicted) - len(pairs),
            "fn": len(gold) - len(pairs),
            "predicted": len(predicted),
            "gold": len(gold),
            "speaker_pairs": speaker_pairs,
            "speaker_correct": int(speaker_correct),
            "missed_spans": [g.segments for i, g in enumerate(gold) if i not in matched_gold],
            "spurious_spans": [
                segments_of(p) for j, p in enumerate(predicted) if j not in matched_pred
            ],
        }

    def score(self, task: Task, records: Sequence[dict[str, Any]], seed: int) -> dict[str, Any]:
        stats = {
            "quote_f1": metrics.micro_f1,
            "quote_precision": metrics.ratio_of_sums("tp", "predicted"),
            "quote_recall": metrics.ratio_of_sums("tp", "gold"),
            "speaker_accuracy": metrics.ratio_of_sums("speaker_correct", "speaker_pairs"),
        }
        counts = {
            k: sum(r[k] for r in records)
            for k in ("tp", "fp", "fn", "gold", "predicted", "speaker_pairs", "speaker_correct")
        }
        return {
            "metrics": {
                name: metrics.bootstrap(
                    records, stats[name], resamples=task.resamples, seed=seed
                ).to_dict()
                for name in task.metrics
            },
            "counts": counts,
            "threshold": float(task.options.get("threshold", 0.3)),
            "subset": task.options.get("subset", "all"),
        }


KIND_ADAPTERS: dict[str, Kind] = {
    "stance": StanceKind(),
    "summary": SummaryKind(),
    "quotes": QuotesKind(),
}
