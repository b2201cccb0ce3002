"""Train a shipped stance probe on the train and dev splits of the labelled set.

The test split is left out so the figures in eval/results/stance-notes.md apply to the probe.
The configurations were chosen by cross-validation over articles on train+dev
(eval/results/stance-probe.md for Qwen 0.5B, stance-notes.md for Qwen 1.5B).

    python scripts/train_stance_probe.py --model qwen-1.5b --layer 20  # probe-qwen-1.5b
    python scripts/train_stance_probe.py --model qwen-0.5b --layer 12  # probe-qwen-0.5b
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from stance.classify import probe_folder
from stance.classify.evaluate import DEFAULT_DATA, PROJECT, load_labelled
from stance.classify.probe import FeatureSpec, fit_probe
from stance.harness.tasks import file_sha256


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(DEFAULT_DATA))
    parser.add_argument("--model", default="qwen-1.5b", help="generator spec the probe reads")
    parser.add_argument("--layer", type=int, nargs="+", default=[20], help="1-based layers")
    parser.add_argument("--pooling", default="last+mean")
    parser.add_argument("--prompt", default="v1-short")
    parser.add_argument("--c", type=float, default=0.001)
    parser.add_argument("--out", help="default: models/heads/probe-<model> ($STANCE_HEADS if set)")
    args = parser.parse_args()

    records = [r for r in load_labelled(args.data) if r["split"] in ("train", "dev")]
    spec = FeatureSpec(layers=tuple(args.layer), pooling=args.pooling, prompt=args.prompt)
    probe = fit_probe(records, args.model, spec=spec, c=args.c)
    probe.training.update(data=f"{os.path.relpath(args.data, PROJECT)} (train+dev)",
                          data_file_sha256=file_sha256([Path(args.data)]))
    path = probe.save(args.out or probe_folder(args.model))
    print(f"trained on {len(records)} records ({spec.to_dict()}, C={args.c}); saved in {path}")


if __name__ == "__main__":
    main()
