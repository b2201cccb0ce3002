"""Distillation: a slow probe labels quotes from unlabelled articles for the fast head.

The labelled set is small (474 quotes from 38 articles in train+dev). The extractor finds
many more quotes in articles nobody labelled. A probe on a larger language model labels them
(its most probable label), and the head is fit on the gold quotes plus these pseudo-labelled
ones, so it learns some of what the probe knows at the embedder's speed. The gain is
measured in eval/results/stance-notes.md.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from stance.classify.head import records_hash
from stance.classify.probe import PROMPT_FIELDS, ProbeModel, extract_features, load_probe
from stance.errors import InputError
from stance.types import Article

# The shipped head's teacher: the probe shipped for this generator (models/heads/probe-<name>),
# and the weight of each pseudo-labelled quote against a gold one (chosen by CV).
DEFAULT_TEACHER = "qwen-1.5b"
DEFAULT_PSEUDO_WEIGHT = 1.0
# Which extracted quotes become training material.
PER_ARTICLE = 15
MIN_CHARS = 40
MIN_QUOTES = 3
# The unlabelled articles the shipped head was distilled on: the quote benchmarks' articles
# outside the labelled set (GGT and the PolNeAR dev split).
UNLABELLED_SETS = ("ggt", "polnear-dev")
FEATURE_CHUNK = 32  # records per progress step


def quotes_to_label(
    articles: Iterable[Article],
    per_article: int = PER_ARTICLE,
    min_chars: int = MIN_CHARS,
    min_quotes: int = MIN_QUOTES,
) -> list[dict]:
    """Records (``doc``, ``text``, ``speaker``, ``target``) for the first ``per_article``
    attributed quotes of at least ``min_chars`` characters in each article; articles with
    fewer than ``min_quotes`` such quotes are skipped. The target is ``detect_target``'s."""
    from stance.classify.target import detect_target
    from stance.text.quotes import extract_quotes

    records = []
    for article in articles:
        quotes = [q for q in extract_quotes(article) if q.speaker and len(q.text) >= min_chars]
        if len(quotes) < min_quotes:
            continue
        target = detect_target(article)
        records += [{"doc": article.doc, "text": q.text, "speaker": q.speaker, "target": target}
                    for q in quotes[:per_article]]
    return records


def unlabelled_benchmark_articles(
    exclude: set[str], sets: Sequence[str] = UNLABELLED_SETS
) -> list[Article]:
    """The articles of the quote benchmarks in ``sets`` (read from the benchmarks folder at
    run time) whose ids are not in ``exclude`` (the labelled articles)."""
    from stance.harness.quote_scoring import load_dataset

    return [Article(doc=d.doc, text=d.text) for name in sets for d in load_dataset(name)
            if d.doc not in exclude]


def probe_features(
    probe: ProbeModel,
    records: Sequence[dict],
    generator: Any = None,
    progress: Callable[[int, int], None] | None = None,
) -> Any:
    """The probe's input features for ``records``, cached on disk per record under the stance
    cache (keyed by the language model and its checksum if its spec pins one, the feature spec
    and the fields the prompt reads), since a large model needs about a second per quote on two
    cores: a grown or re-extracted set of quotes computes only its new records, and an
    interrupted run keeps what it finished. ``progress(done, total)`` is called after each
    chunk of records computed."""
    import numpy as np

    from stance.backends.cache import cache_dir
    from stance.backends.registry import resolve

    weights = resolve(probe.model_name).sha256
    model_key = hashlib.sha256(json.dumps(
        [probe.model_name, weights, probe.spec.to_dict(), probe.labels]
    ).encode("utf-8")).hexdigest()[:24]
    folder = cache_dir() / "features" / model_key
    paths = [folder / f"{records_hash([r], PROMPT_FIELDS)[:32]}.npy" for r in records]
    missing = [i for i, path in enumerate(paths) if not path.is_file()]
    if missing and generator is None:
        from stance.backends.hf import load_generator

        generator = load_generator(probe.model_name)
    folder.mkdir(parents=True, exist_ok=True)
    for begin in range(0, len(missing), FEATURE_CHUNK):
        chunk = missing[begin:begin + FEATURE_CHUNK]
        rows = extract_features(generator.model, generator.tokenizer,
                                [records[i] for i in chunk], probe.spec, probe.labels)
        for i, row in zip(chunk, rows, strict=True):
            partial = paths[i].with_suffix(".partial.npy")
            np.save(partial, row)
            partial.replace(paths[i])
        if progress:
            progress(min(begin + FEATURE_CHUNK, len(missing)), len(missing))
    if not records:
        return np.zeros((0, 0), dtype=np.float32)
    return np.stack([np.load(path) for path in paths])


def teacher_probe(teacher: str | Path, labels: Sequence[str] | None = None) -> ProbeModel:
    """The probe named by ``teacher``: a generator with a shipped probe (``qwen-1.5b``) or a
    probe folder. With ``labels``, it must predict exactly those."""
    from stance.classify import shipped_probe

    probe = load_probe(shipped_probe(str(teacher)) or Path(teacher))
    if labels is not None and list(labels) != probe.labels:
        raise InputError(f"teacher {teacher} predicts {probe.labels}, not {list(labels)}; "
                         "train a probe for these labels with train_probe()")
    return probe


def label_with_teacher(
    probe: ProbeModel,
    articles: Iterable[Article],
    progress: Callable[[int, int], None] | None = None,
) -> list[dict]:
    """The quotes to label in ``articles`` (:func:`quotes_to_label`), labelled by ``probe``;
    ``progress(done, total)`` counts quotes through the probe."""
    records = quotes_to_label(articles)
    if not records:
        return []
    return pseudo_labelled(probe, records,
                           probe_features(probe, records, progress=progress))


def pseudo_labelled(probe: ProbeModel, records: Sequence[dict], x: Any) -> list[dict]:
    """Copies of ``records`` with ``label`` set to the probe's most probable label."""
    best = probe.probabilities(x).argmax(axis=1)
    return [{**record, "label": probe.labels[int(i)]}
            for record, i in zip(records, best, strict=True)]
