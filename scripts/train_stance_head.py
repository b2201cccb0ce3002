"""Train the shipped stance head on the train and dev splits of the labelled set.

The test split is left out so the figures in eval/results/stance-notes.md apply to the head.
Feature blocks and C default to the ones cross-validation chose (``head.DEFAULT_*``).

    python scripts/train_stance_head.py                 # -> models/heads/open-cautious-neutral
    python scripts/train_stance_head.py --out /tmp/head --features quote labels --c 0.1
"""

from __future__ import annotations

import argparse

from stance.classify import default_head_path, load_labelset, train_head
from stance.classify.evaluate import DEFAULT_DATA, load_labelled
from stance.classify.head import DEFAULT_C, DEFAULT_FEATURES


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(DEFAULT_DATA))
    parser.add_argument("--out", default=str(default_head_path(load_labelset(None))))
    parser.add_argument("--features", nargs="+", default=list(DEFAULT_FEATURES))
    parser.add_argument("--c", type=float, default=DEFAULT_C)
    args = parser.parse_args()

    records = [r for r in load_labelled(args.data) if r["split"] in ("train", "dev")]
    path = train_head(records, args.out, features=args.features, c=args.c)
    print(f"trained on {len(records)} records ({args.features}, C={args.c}); saved in {path}")


if __name__ == "__main__":
    main()
