"""Tiny models built offline: a byte-level BPE tokenizer, a 2-layer Llama folder and its GGUF."""

from __future__ import annotations

import hashlib
import textwrap
from pathlib import Path
from types import SimpleNamespace

import pytest
from tiny_models import byte_bpe_tokenizer

from stance.backends import specs

CHAT_TEMPLATE = (
    "{% for m in messages %}<|im_start|>{{ m['role'] }}\n{{ m['content'] }}<|im_end|>\n"
    "{% endfor %}{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}"
)
SPECIALS = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]
CORPUS = [
    "the mayor said the plan is a disaster for taxpayers",
    "critics called the plan reckless and the mayor disagreed",
    "user assistant system hello world stance quote speaker",
]


def build_tokenizer():
    fast = byte_bpe_tokenizer(CORPUS, SPECIALS, eos_token="<|im_end|>",
                              pad_token="<|endoftext|>", bos_token="<|endoftext|>")
    fast.chat_template = CHAT_TEMPLATE
    return fast


def tiny_config(vocab_size: int):
    from transformers import LlamaConfig

    return LlamaConfig(
        vocab_size=vocab_size, hidden_size=32, intermediate_size=64, num_hidden_layers=2,
        num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=128,
        tie_word_embeddings=False, bos_token_id=0, eos_token_id=2, pad_token_id=0,
    )


@pytest.fixture(scope="session")
def tiny_llama_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A random 2-layer Llama with a chat template, saved as safetensors."""
    import torch
    from transformers import LlamaForCausalLM

    torch.manual_seed(0)
    tokenizer = build_tokenizer()
    model = LlamaForCausalLM(tiny_config(len(tokenizer)))
    folder = tmp_path_factory.mktemp("tiny-llama")
    model.save_pretrained(folder, safe_serialization=True)
    tokenizer.save_pretrained(folder)
    return folder


def write_tiny_gguf(path: Path) -> str:
    """Write a llama-architecture GGUF (Q8_0 linear weights, gpt2 tokenizer); return its sha256."""
    import json

    import numpy as np
    from gguf import GGMLQuantizationType, GGUFWriter, TokenType
    from gguf.quants import quantize

    tokenizer = build_tokenizer()
    state = json.loads(tokenizer.backend_tokenizer.to_str())
    vocab = sorted(state["model"]["vocab"].items(), key=lambda kv: kv[1])
    tokens = [t for t, _ in vocab]
    merges = [m if isinstance(m, str) else " ".join(m) for m in state["model"]["merges"]]
    n_vocab, hidden, ffn, layers = len(tokens), 32, 64, 2
    writer = GGUFWriter(str(path), "llama")
    writer.add_block_count(layers)
    writer.add_context_length(128)
    writer.add_embedding_length(hidden)
    writer.add_feed_forward_length(ffn)
    writer.add_head_count(4)
    writer.add_head_count_kv(2)
    writer.add_rope_dimension_count(hidden // 4)
    writer.add_layer_norm_rms_eps(1e-5)
    writer.add_rope_freq_base(10000.0)
    writer.add_vocab_size(n_vocab)
    writer.add_tokenizer_model("gpt2")
    writer.add_tokenizer_pre("default")
    writer.add_token_list(tokens)
    writer.add_token_types(
        [TokenType.CONTROL if t in SPECIALS else TokenType.NORMAL for t in tokens]
    )
    writer.add_token_merges(merges)
    writer.add_bos_token_id(tokens.index("<|endoftext|>"))
    writer.add_eos_token_id(tokens.index("<|im_end|>"))
    writer.add_pad_token_id(tokens.index("<|endoftext|>"))
    writer.add_chat_template(CHAT_TEMPLATE)
    rng = np.random.default_rng(0)

    def dense(rows: int, cols: int) -> np.ndarray:
        return (rng.standard_normal((rows, cols)) * 0.05).astype(np.float32)

    def add_q8(name: str, weight: np.ndarray) -> None:
        packed = quantize(weight, GGMLQuantizationType.Q8_0)
        writer.add_tensor(name, packed, raw_shape=packed.shape, raw_dtype=GGMLQuantizationType.Q8_0)

    writer.add_tensor("token_embd.weight", dense(n_vocab, hidden))
    for i in range(layers):
        writer.add_tensor(f"blk.{i}.attn_norm.weight", np.ones(hidden, dtype=np.float32))
        writer.add_tensor(f"blk.{i}.ffn_norm.weight", np.ones(hidden, dtype=np.float32))
        add_q8(f"blk.{i}.attn_q.weight", dense(hidden, hidden))
        add_q8(f"blk.{i}.attn_k.weight", dense(hidden // 2, hidden))
        add_q8(f"blk.{i}.attn_v.weight", dense(hidden // 2, hidden))
        add_q8(f"blk.{i}.attn_output.weight", dense(hidden, hidden))
        add_q8(f"blk.{i}.ffn_gate.weight", dense(ffn, hidden))
        add_q8(f"blk.{i}.ffn_up.weight", dense(ffn, hidden))
        add_q8(f"blk.{i}.ffn_down.weight", dense(hidden, ffn))
    writer.add_tensor("output_norm.weight", np.ones(hidden, dtype=np.float32))
    writer.add_tensor("output.weight", dense(n_vocab, hidden))
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="session")
def tiny_gguf(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    path = tmp_path_factory.mktemp("tiny-gguf") / "tiny.gguf"
    return path, write_tiny_gguf(path)


@pytest.fixture
def models_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, tiny_gguf: tuple[Path, str]):
    """A models/ folder whose spec 'tiny' splits the tiny GGUF across two installed packages."""
    gguf_path, digest = tiny_gguf
    data = gguf_path.read_bytes()
    site = tmp_path / "site"
    half = len(data) // 2
    for i, chunk in enumerate((data[:half], data[half:]), start=1):
        package = site / f"stance_test_part{i}"
        (package / "data").mkdir(parents=True)
        (package / "__init__.py").write_text("")
        (package / "data" / f"part{i}.bin").write_bytes(chunk)
    monkeypatch.syspath_prepend(str(site))
    folder = tmp_path / "models"
    folder.mkdir()
    write_spec(folder, "tiny", digest)
    monkeypatch.setattr(specs, "models_dir", lambda: folder)
    monkeypatch.setenv("STANCE_CACHE", str(tmp_path / "cache"))
    return folder


def write_spec(folder: Path, name: str, sha256: str) -> Path:
    """A wheel-parts spec over the packages made by ``models_folder``."""
    path = folder / f"{name}.yaml"
    path.write_text(textwrap.dedent(f"""\
        name: {name}
        aliases: [{name}-alias]
        tasks: [generate]
        backend: gguf
        default: true
        base_model: none/tiny
        size: tiny
        license: Apache-2.0
        sha256: "{sha256}"
        source:
          kind: wheel-parts
          file: {name}.gguf
          parts:
            - {{package: stance_test_part1, file: data/part1.bin}}
            - {{package: stance_test_part2, file: data/part2.bin}}
        """))
    return path


@pytest.fixture
def kit() -> SimpleNamespace:
    """The helpers above, for tests that build their own tiny models or specs."""
    return SimpleNamespace(
        build_tokenizer=build_tokenizer, tiny_config=tiny_config, write_spec=write_spec
    )
