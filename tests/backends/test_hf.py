from pathlib import Path

import pytest

from stance.errors import InputError, ModelError


def test_generate_from_local_folder(tiny_llama_dir: Path):
    from stance.backends.hf import load_generator

    gen = load_generator(str(tiny_llama_dir), dtype="float32")
    assert load_generator(str(tiny_llama_dir), dtype="float32") is gen, "loaded once per process"
    pieces: list[str] = []
    messages = [{"role": "user", "content": "the mayor said"}]
    text = gen.generate(messages, max_new_tokens=5, on_token=pieces.append)
    assert isinstance(text, str)
    assert "".join(pieces).strip() == text.strip()
    assert gen.generate(messages, max_new_tokens=5) == text, "greedy decoding is deterministic"
    assert gen.count_tokens("the mayor") > 0
    assert gen.context_window == 128


def test_generate_int8_runs(tiny_llama_dir: Path):
    from stance.backends.hf import load_generator

    gen = load_generator(str(tiny_llama_dir), dtype="int8")
    assert isinstance(gen.generate("hello", max_new_tokens=3), str)


def test_generate_rejects_prompt_over_context(tiny_llama_dir: Path):
    from stance.backends.hf import load_generator

    gen = load_generator(str(tiny_llama_dir), dtype="float32")
    with pytest.raises(InputError, match="context"):
        gen.generate("the mayor said " * 40, max_new_tokens=10)


def test_generator_from_prepared_gguf(models_folder: Path):
    from stance.backends.hf import load_generator

    gen = load_generator("tiny", dtype="float32")
    assert gen.name == "tiny"
    assert isinstance(gen.generate("hello", max_new_tokens=3), str)


def test_trust_remote_code_defaults_false(tiny_llama_dir: Path, monkeypatch: pytest.MonkeyPatch):
    import inspect

    from transformers import AutoModelForCausalLM

    from stance.backends import hf

    for loader in (hf.load_generator, hf.load_seq2seq, hf.load_sequence_classifier):
        assert inspect.signature(loader).parameters["trust_remote_code"].default is False
    seen = {}
    original = AutoModelForCausalLM.from_pretrained

    def spy(*args, **kwargs):
        seen.update(kwargs)
        return original(*args, **kwargs)

    monkeypatch.setattr(AutoModelForCausalLM, "from_pretrained", spy)
    hf._generator.cache_clear()
    hf.load_generator(str(tiny_llama_dir), dtype="float32")
    assert seen["trust_remote_code"] is False and seen["use_safetensors"] is True


def test_unknown_dtype_is_refused(tiny_llama_dir: Path):
    from stance.backends.hf import load_generator

    with pytest.raises(ModelError, match="dtype"):
        load_generator(str(tiny_llama_dir), dtype="int3")


def test_sequence_classifier_exposes_labels(tmp_path: Path, kit):
    import torch
    from transformers import LlamaForSequenceClassification

    from stance.backends.hf import load_sequence_classifier

    torch.manual_seed(0)
    tokenizer = kit.build_tokenizer()
    config = kit.tiny_config(len(tokenizer))
    config.num_labels = 3
    config.id2label = {0: "entailment", 1: "neutral", 2: "contradiction"}
    config.label2id = {v: k for k, v in config.id2label.items()}
    LlamaForSequenceClassification(config).save_pretrained(tmp_path)
    tokenizer.save_pretrained(tmp_path)
    clf = load_sequence_classifier(str(tmp_path))
    assert clf.id2label == config.id2label
    (probs,) = clf.predict(["the mayor said"], ["the plan is a disaster"])
    assert set(probs) == {"entailment", "neutral", "contradiction"}
    assert abs(sum(probs.values()) - 1) < 1e-4


def test_seq2seq_generates(tmp_path: Path, kit):
    import torch
    from transformers import BartConfig, BartForConditionalGeneration

    from stance.backends.hf import load_seq2seq

    torch.manual_seed(0)
    tokenizer = kit.build_tokenizer()
    config = BartConfig(
        vocab_size=len(tokenizer), d_model=32, encoder_layers=1, decoder_layers=1,
        encoder_attention_heads=2, decoder_attention_heads=2, encoder_ffn_dim=64,
        decoder_ffn_dim=64, max_position_embeddings=64, pad_token_id=0, bos_token_id=0,
        eos_token_id=2, decoder_start_token_id=2, forced_eos_token_id=2,
    )
    BartForConditionalGeneration(config).save_pretrained(tmp_path)
    tokenizer.save_pretrained(tmp_path)
    model = load_seq2seq(str(tmp_path))
    assert isinstance(model.generate("the mayor said", max_new_tokens=4), str)
    assert model.context_window == 64


def test_hub_id_offline_gives_model_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    from stance.backends.hf import load_seq2seq

    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path))
    with pytest.raises(ModelError, match="hub"):
        load_seq2seq("stance-test/does-not-exist")
