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


@pytest.mark.slow
def test_real_qwen_on_llamacpp_answers_like_transformers_and_summarises_the_seed():
    pytest.importorskip("llama_cpp")
    from seed import SEED_ARTICLE

    from stance.backends.llamacpp import load_llamacpp
    from stance.summarize import get_summarizer
    from stance.types import Article

    gen = load_llamacpp("qwen-0.5b")
    assert gen.runtime == "llama.cpp" and gen.context_window == 8192
    text = gen.generate([{"role": "user", "content": "Who wrote Hamlet?"}], max_new_tokens=12)
    assert "Shakespeare" in text
    summarizer = get_summarizer("llm", model="qwen-0.5b", runtime="llama.cpp")
    article = Article(doc="milley-taliban", text=SEED_ARTICLE.read_text(encoding="utf-8"))
    summary = summarizer.summarize(article)
    assert summarizer.runtime_used == "llama.cpp"
    assert "Milley" in summary.text and summary.unsupported == []
    assert summary == summarizer.summarize(article), "greedy decoding is deterministic"
