"""Saving and reading trained stance models without pickle: float32 arrays in safetensors
beside a JSON file of metadata, both tagged with a format name and version."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from stance.errors import ModelError


def save_arrays(out_dir: str | Path, kind: str, version: int, arrays: dict[str, Any],
                meta: dict[str, Any]) -> Path:
    """Write ``<kind>.safetensors`` and ``<kind>.json`` into ``out_dir``; returns the folder."""
    import numpy as np
    from safetensors.numpy import save_file

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    fmt = f"stance-{kind}"
    save_file(
        {k: np.ascontiguousarray(v, dtype=np.float32) for k, v in arrays.items()},
        str(out / f"{kind}.safetensors"),
        metadata={"format": fmt},
    )
    record = {"format": fmt, "format_version": version, **meta}
    (out / f"{kind}.json").write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    return out


def read_arrays(path: str | Path, kind: str, version: int,
                hint: str) -> tuple[dict[str, Any], dict[str, Any], Path]:
    """(metadata, arrays, JSON path) of a model saved by :func:`save_arrays`.

    ``path`` is the folder or its JSON file; ``hint`` says how to make one when it is missing.
    """
    from safetensors.numpy import load_file

    folder = Path(path)
    meta_name, weights_name = f"{kind}.json", f"{kind}.safetensors"
    if folder.name == meta_name:
        folder = folder.parent
    meta_path, weights_path = folder / meta_name, folder / weights_name
    if not meta_path.is_file() or not weights_path.is_file():
        raise ModelError(
            f"no stance {kind} at {folder}: expected {meta_name} and {weights_name}; {hint}"
        )
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    if meta.get("format") != f"stance-{kind}" or meta.get("format_version") != version:
        raise ModelError(f"{meta_path} is not a version-{version} stance {kind}; retrain it")
    return meta, load_file(str(weights_path)), meta_path
