"""Name -> ModelSpec: a spec name or alias, then a local folder, then a Hugging Face hub id.

Nothing heavy is imported here; loading happens in :mod:`stance.backends.hf`.
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass
from pathlib import Path

from stance.backends.specs import ModelSpec, Source, load_specs
from stance.errors import ModelError

HUB_ID = re.compile(r"^[A-Za-z0-9][\w.-]*/[\w.-]+$")
PICKLE_WEIGHTS = ("*.bin", "*.pt", "*.pth", "*.ckpt")


@dataclass(frozen=True)
class ModelInfo:
    """One row of ``stance models``."""

    name: str
    aliases: tuple[str, ...]
    tasks: tuple[str, ...]
    backend: str
    size: str | None
    license: str | None
    installed: bool
    prepared: bool
    path: str | None
    default: bool


def resolve(name: str) -> ModelSpec:
    """The spec for ``name``: alias or spec name, local folder, or hub id (in that order)."""
    specs = load_specs()
    key = name.strip().lower()
    for spec in specs:
        if key in (n.lower() for n in spec.names):
            return spec
    path = Path(name).expanduser()
    if path.exists():
        return _folder_spec(path)
    if HUB_ID.match(name) and not name.startswith((".", "/", "~")):
        return ModelSpec(
            name=name, backend="hf", source=Source(kind="hub", repo=name),
            tasks=("generate", "summarize", "classify", "nli", "embed"), base_model=name,
        )
    known = [n for spec in specs for n in spec.names]
    close = difflib.get_close_matches(key, known, n=3, cutoff=0.4)
    hint = f"did you mean {', '.join(close)}?" if close else f"known models: {', '.join(known)}"
    raise ModelError(
        f"unknown model {name!r}: not a spec in models/, a local folder or a hub id; {hint} "
        "(run `stance models` to list them)"
    )


def default_model(task: str = "generate") -> ModelSpec:
    """The spec marked ``default: true`` that serves ``task``, else the first that does."""
    candidates = [s for s in load_specs() if task in s.tasks]
    if not candidates:
        raise ModelError(f"no model spec in models/ serves task {task!r}")
    return next((s for s in candidates if s.default), candidates[0])


def list_models() -> list[ModelInfo]:
    """Every spec with whether its weights are installed and (GGUF) already converted."""
    from stance.backends.cache import is_prepared, prepared_dir

    rows = []
    for spec in load_specs():
        files = spec.source.files()
        prepared = is_prepared(spec)
        if spec.backend == "gguf":
            path = str(prepared_dir(spec)) if prepared else None
        else:
            path = str(files[0]) if files else None
        rows.append(ModelInfo(
            name=spec.name, aliases=spec.aliases, tasks=spec.tasks, backend=spec.backend,
            size=spec.size, license=spec.license, installed=files is not None,
            prepared=prepared or (spec.backend != "gguf" and files is not None),
            path=path, default=spec.default,
        ))
    return rows


def _folder_spec(path: Path) -> ModelSpec:
    """A spec for a local model folder; pickle-only weights are refused (they can run code)."""
    if not path.is_dir():
        raise ModelError(
            f"{path} is a file; pass a model folder (config.json + *.safetensors) or write a "
            "spec in models/ for a GGUF file"
        )
    folder = path.resolve()
    if not (folder / "config.json").is_file() and not (folder / "modules.json").is_file():
        raise ModelError(f"{folder} has no config.json; it is not a Hugging Face model folder")
    if not _has_safetensors(folder):
        pickled = [p.name for pattern in PICKLE_WEIGHTS for p in folder.glob(pattern)]
        if pickled:
            raise ModelError(
                f"{folder} has only pickle weights ({', '.join(sorted(pickled)[:3])}), which "
                "stance refuses to load; convert them to safetensors (model.save_pretrained(..., "
                "safe_serialization=True)) and try again"
            )
        raise ModelError(f"{folder} has no *.safetensors weights")
    if (folder / "modules.json").is_file():
        return ModelSpec(name=folder.name, backend="sentence-transformers",
                         source=Source(kind="path", path=str(folder)), tasks=("embed",))
    return ModelSpec(name=folder.name, backend="hf", source=Source(kind="path", path=str(folder)),
                     tasks=_tasks_from_config(folder / "config.json"))


def _has_safetensors(folder: Path) -> bool:
    return any(folder.glob("*.safetensors")) or any(folder.glob("*/*.safetensors"))


def _tasks_from_config(config: Path) -> tuple[str, ...]:
    try:
        archs = json.loads(config.read_text(encoding="utf-8")).get("architectures") or []
    except (OSError, ValueError):
        archs = []
    arch = " ".join(archs)
    if "SequenceClassification" in arch:
        return ("classify", "nli")
    if "ConditionalGeneration" in arch:
        return ("summarize", "generate")
    return ("generate", "summarize")
