"""The joined-GGUF cache and the llama.cpp generator, on the tiny GGUF split across two packages."""

from pathlib import Path

import pytest

from stance.backends.cache import gguf_file
from stance.backends.registry import resolve
from stance.errors import InputError, ModelError


def test_gguf_file_joins_verifies_once_and_reuses(models_folder: Path, tiny_gguf):
    original, digest = tiny_gguf
    stages = []
    path = gguf_file("tiny", progress=lambda stage, done, total: stages.append(stage))
    assert "join" in stages
    assert path.read_bytes() == original.read_bytes()
    assert path.with_suffix(".sha256").read_text().strip() == digest
    stamp = path.stat().st_mtime_ns
    assert gguf_file("tiny-alias") == path
    assert path.stat().st_mtime_ns == stamp, "second call reuses the verified file"


def test_gguf_file_refuses_a_checksum_mismatch(models_folder: Path, kit):
    kit.write_spec(models_folder, "tiny", "0" * 64)
    from stance.backends import specs

    specs._load_all.cache_clear()
    with pytest.raises(ModelError, match="checksum mismatch"):
        gguf_file("tiny")
    assert not list((Path(models_folder).parent / "cache").rglob("*.gguf"))


def test_runtime_choice(models_folder: Path, monkeypatch: pytest.MonkeyPatch):
    from stance.backends import llamacpp

    spec = resolve("tiny")
    monkeypatch.setattr(llamacpp, "available", lambda: False)
    assert not llamacpp.use_llamacpp(spec, "auto")
    with pytest.raises(ModelError, match="pip install"):
        llamacpp.use_llamacpp(spec, "llama.cpp")
    monkeypatch.setattr(llamacpp, "available", lambda: True)
    assert llamacpp.use_llamacpp(spec, "auto")
    assert not llamacpp.use_llamacpp(spec, "transformers")
    with pytest.raises(InputError, match="choose one of"):
        llamacpp.use_llamacpp(spec, "onnx")


def test_llamacpp_generates_greedily_and_streams(models_folder: Path):
    pytest.importorskip("llama_cpp")
    from stance.backends.llamacpp import load_llamacpp

    generator = load_llamacpp("tiny")
    assert generator.context_window == 128  # the model's trained context caps the allocation
    messages = [{"role": "user", "content": "the mayor said the plan"}]
    prompt = generator.prompt_text(messages)
    assert prompt.endswith("<|im_start|>assistant\n") and "the mayor said" in prompt
    assert generator.count_tokens(prompt) < 40
    pieces: list[str] = []
    first = generator.generate(messages, max_new_tokens=12, on_token=pieces.append)
    assert "".join(pieces) == first
    assert generator.generate(messages, max_new_tokens=12) == first, "greedy: deterministic"
    with pytest.raises(InputError, match="split the text into chunks"):
        generator.generate(messages, max_new_tokens=200)
