"""The real bundled models (slow: runs with --slow locally, always in CI)."""

import pytest


@pytest.mark.slow
def test_real_qwen_prepares_and_generates():
    from stance.backends.cache import check_prepared, prepare
    from stance.backends.hf import load_generator
    from stance.backends.registry import resolve

    folder = prepare("qwen-0.5b")
    assert check_prepared(resolve("qwen-0.5b")) is None
    assert (folder / "model.safetensors").is_file()
    gen = load_generator("qwen-0.5b")
    text = gen.generate([{"role": "user", "content": "Who wrote Hamlet?"}], max_new_tokens=12)
    assert "Shakespeare" in text
    assert gen.context_window >= 4096


@pytest.mark.slow
def test_real_minilm_embeds():
    from stance.backends.hf import load_embedder

    model = load_embedder("minilm")
    vectors = model.encode(["The mayor backed the plan.", "The mayor supported the plan."])
    assert vectors.shape == (2, 384)
