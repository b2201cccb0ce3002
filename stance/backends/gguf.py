"""GGUF -> safetensors conversion through transformers' GGUF reader (heavy imports live here).

transformers rebuilds the config and the tokenizer from the GGUF metadata, so no hub access
is needed. Weights are dequantized to dense tensors (``GgufConfig(dequantize=True)``): the
packed-kernel path is neither available for every architecture nor serialisable.
"""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

from stance.errors import ModelError


def read_architecture(gguf_path: Path) -> str:
    """The ``general.architecture`` field of a GGUF file (e.g. ``qwen2``, ``llama``)."""
    from gguf import GGUFReader

    try:
        field = GGUFReader(str(gguf_path)).fields["general.architecture"]
        return bytes(field.parts[field.data[0]]).decode("utf-8")
    except (KeyError, OSError, ValueError) as exc:
        raise ModelError(f"{gguf_path} is not a readable GGUF file: {exc}") from exc


def convert_gguf(gguf_path: Path, out_dir: Path, dtype: str = "float32") -> None:
    """Write config, tokenizer and ``model.safetensors`` for ``gguf_path`` into ``out_dir``."""
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer
    from transformers.utils import logging as hf_logging

    try:  # transformers >= 5 may keep GGUF blocks packed (not saveable) unless told otherwise
        from transformers import GgufConfig

        unpack = {"quantization_config": GgufConfig(dequantize=True)}
    except ImportError:
        unpack = {}

    folder, name = str(gguf_path.parent), gguf_path.name
    bars = hf_logging.is_progress_bar_enabled()
    hf_logging.disable_progress_bar()
    try:
        # the GGUF reader draws its own tqdm bar on stderr; the caller reports progress instead
        with contextlib.redirect_stderr(io.StringIO()):
            tokenizer = AutoTokenizer.from_pretrained(folder, gguf_file=name)
            model = AutoModelForCausalLM.from_pretrained(
                folder,
                gguf_file=name,
                dtype=getattr(torch, dtype),
                **unpack,
            )
            model.save_pretrained(out_dir, safe_serialization=True)
            tokenizer.save_pretrained(out_dir)
    except (OSError, ValueError, KeyError, RuntimeError) as exc:
        arch = read_architecture(gguf_path)
        raise ModelError(
            f"transformers could not convert {gguf_path} (architecture {arch!r}): {exc}"
        ) from exc
    finally:
        if bars:
            hf_logging.enable_progress_bar()
