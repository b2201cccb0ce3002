"""Train the shipped stance head on the train and dev splits of the labelled set.

The test split is left out so the figures in eval/results/stance-notes.md apply to the head.
Feature blocks and C default to the ones cross-validation chose (``head.DEFAULT_*``).

By default the head is also distilled from the shipped Qwen 1.5B probe: the probe labels the
quotes the extractor finds in the quote benchmarks' unlabelled articles (read from
``../shared/benchmarks`` or $STANCE_BENCHMARKS), and those join the training data. This
needs the ``offline-large`` extra; the probe's features are cached after the first run
(about 25 minutes on 2 cores).

    python scripts/train_stance_head.py                 # -> models/heads/open-cautious-neutral
    python scripts/train_stance_head.py --teacher none --out /tmp/head --features quote labels
"""

from __future__ import annotations

import argparse

from stance.classify import default_head_path, fit_head, load_labelset
from stance.classify.distill import (
    DEFAULT_PSEUDO_WEIGHT,
    DEFAULT_TEACHER,
    label_with_teacher,
    teacher_probe,
    unlabelled_benchmark_articles,
)
from stance.classify.evaluate import DEFAULT_DATA, load_labelled
from stance.classify.head import DEFAULT_C, DEFAULT_FEATURES


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(DEFAULT_DATA))
    parser.add_argument("--out", default=str(default_head_path(load_labelset(None))))
    parser.add_argument("--features", nargs="+", default=list(DEFAULT_FEATURES))
    parser.add_argument("--c", type=float, default=DEFAULT_C)
    parser.add_argument("--teacher", default=DEFAULT_TEACHER,
                        help="generator whose shipped probe labels the unlabelled quotes, "
                             "or 'none'")
    parser.add_argument("--pseudo-weight", type=float, default=DEFAULT_PSEUDO_WEIGHT)
    args = parser.parse_args()

    labelled = load_labelled(args.data)
    records = [r for r in labelled if r["split"] in ("train", "dev")]
    pseudo: list[dict] = []
    if args.teacher != "none":
        pseudo = label_with_teacher(
            teacher_probe(args.teacher),
            unlabelled_benchmark_articles(exclude={r["doc"] for r in labelled}))
    model = fit_head(records, features=args.features, c=args.c, pseudo=pseudo,
                     pseudo_weight=args.pseudo_weight,
                     teacher="" if args.teacher == "none" else args.teacher)
    path = model.save(args.out)
    print(f"trained on {len(records)} records and {len(pseudo)} pseudo-labelled ones "
          f"({args.features}, C={args.c}); saved in {path}")


if __name__ == "__main__":
    main()
