"""Copy bias: which tokens it raises, and that both runtimes follow it."""

from pathlib import Path

import numpy as np
import pytest

from stance.backends.copying import CopyBias

SOURCE = "the mayor said the library would open in thirteen months"


def test_boost_follows_two_tokens_then_one():
    bias = CopyBias([1, 2, 3, 1, 4, 2, 3, 5], strength=4.0)
    ids, amount = bias.boost([9, 2, 3])
    assert ids.tolist() == [1, 5] and amount == 4.0, "after the pair (2, 3)"
    ids, amount = bias.boost([9, 1])
    assert ids.tolist() == [2, 4] and amount == 2.0, "after the single token 1: half strength"
    assert bias.boost([5]) is None, "5 ends the source: nothing follows it"
    assert bias.boost([]) is None
    assert CopyBias([1, 2, 3], strength=0.0).boost([1]) is None
    scores = np.zeros(6)
    assert bias.apply([9, 2, 3], scores) is scores
    assert scores.tolist() == [0, 4, 0, 0, 0, 4], "raised in place"


def _source_pairs(ids: list[int]) -> set[tuple[int, int]]:
    return set(zip(ids, ids[1:], strict=False))


def _assert_copies(generated: list[int], source: list[int]) -> None:
    """Under a huge bias, every token after one that occurs mid-source continues the source."""
    pairs = _source_pairs(source)
    followed = {first for first, _ in pairs}
    checked = [(a, b) for a, b in zip(generated, generated[1:], strict=False) if a in followed]
    assert checked, "the reply never reached a source token; the check would be empty"
    assert all(pair in pairs for pair in checked)


def test_transformers_generator_copies_under_a_strong_bias(tiny_llama_dir: Path):
    from stance.backends.hf import load_generator

    gen = load_generator(str(tiny_llama_dir), dtype="float32")
    messages = [{"role": "user", "content": "summarise: " + SOURCE}]
    plain = gen.generate(messages, max_new_tokens=12)
    # the first token is never biased: open the source with the model's own first word
    source = plain.split()[0] + " " + SOURCE
    assert gen.generate(messages, max_new_tokens=12, copy_from=source, copy_bias=0.0) == plain
    copied = gen.generate(messages, max_new_tokens=12, copy_from=source, copy_bias=1000.0)
    assert copied != plain, "the random model does not follow the source by itself"
    tokens = gen.tokenizer(source, add_special_tokens=False)["input_ids"]
    _assert_copies(gen.tokenizer(copied, add_special_tokens=False)["input_ids"], tokens)


def test_llamacpp_generator_copies_under_a_strong_bias(models_folder: Path):
    pytest.importorskip("llama_cpp")
    from stance.backends.llamacpp import load_llamacpp

    gen = load_llamacpp("tiny")
    messages = [{"role": "user", "content": "summarise: " + SOURCE}]
    plain = gen.generate(messages, max_new_tokens=12)
    first = gen.llama.detokenize(gen._tokens(plain)[:1]).decode("utf-8")
    source = first + " " + SOURCE
    assert gen.generate(messages, max_new_tokens=12, copy_from=source, copy_bias=0.0) == plain
    pieces: list[str] = []
    copied = gen.generate(
        messages, max_new_tokens=12, copy_from=source, copy_bias=1000.0, on_token=pieces.append
    )
    assert "".join(pieces) == copied and copied != plain
    _assert_copies(gen._tokens(copied), gen._tokens(source))
