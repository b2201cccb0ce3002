"""The hidden-state probe on a tiny random Qwen2 model, and the shipped probe (slow)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
from tiny_models import byte_bpe_tokenizer

from stance.classify.probe import (
    FeatureSpec,
    ProbeClassifier,
    build_prompt,
    extract_features,
    load_probe,
    train_probe,
)
from stance.errors import InputError, ModelError

LABELS = ["open", "cautious", "neutral"]
RECORDS = [
    {"doc": "d1", "text": "We welcome the plan.", "speaker": "A", "target": "the plan",
     "context": "On Monday,", "label": "open"},
    {"doc": "d1", "text": "It is far too risky and we oppose it.", "speaker": "B",
     "target": "the plan", "label": "cautious"},
    {"doc": "d2", "text": "The vote is on Tuesday.", "speaker": "C", "target": "the tax",
     "label": "neutral"},
    {"doc": "d2", "text": "Yes, gladly.", "target": "the tax", "label": "open"},
    {"doc": "d3", "text": "Perhaps later, with conditions.", "speaker": "D",
     "target": "the deal", "label": "cautious"},
    {"doc": "d3", "text": "No comment.", "speaker": "E", "target": "the deal", "label": "neutral"},
]


def _tokenizer():
    return byte_bpe_tokenizer(["The speaker is open to the plan", "cautious neutral Quote"])


@pytest.fixture(scope="module")
def tiny() -> SimpleNamespace:
    import torch
    from transformers import Qwen2Config, Qwen2ForCausalLM

    tokenizer = _tokenizer()
    torch.manual_seed(0)
    config = Qwen2Config(
        vocab_size=len(tokenizer), hidden_size=32, intermediate_size=64, num_hidden_layers=3,
        num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=4096,
    )
    return SimpleNamespace(model=Qwen2ForCausalLM(config).eval(), tokenizer=tokenizer)


def test_prompt_marks_the_quote_span(tiny) -> None:
    for prompt in ("v1", "v1-short"):
        text, start, end = build_prompt(RECORDS[0], tiny.tokenizer, FeatureSpec(prompt=prompt))
        assert text[start:end] == RECORDS[0]["text"]
        assert ("Context:" in text) == (prompt == "v1")
        assert text.endswith("The speaker is")


def test_features_match_a_full_forward_and_ignore_padding(tiny) -> None:
    import torch

    spec = FeatureSpec(layers=(1, 3), pooling="last+mean", label_scores=True)
    batched = extract_features(tiny.model, tiny.tokenizer, RECORDS, spec, LABELS, batch_size=4)
    alone = extract_features(tiny.model, tiny.tokenizer, RECORDS[3:4], spec, LABELS)
    np.testing.assert_allclose(batched[3], alone[0], rtol=1e-4, atol=1e-5)

    text, _, _ = build_prompt(RECORDS[3], tiny.tokenizer, spec)
    ids = torch.tensor([tiny.tokenizer(text, add_special_tokens=False)["input_ids"]])
    with torch.inference_mode():
        out = tiny.model(input_ids=ids, output_hidden_states=True)
    d = tiny.model.config.hidden_size
    np.testing.assert_allclose(alone[0, :d], out.hidden_states[1][0, -1].numpy(), atol=1e-5)
    label_ids = [tiny.tokenizer(" " + label)["input_ids"][0] for label in LABELS]
    expected = torch.log_softmax(out.logits[0, -1], dim=-1)[label_ids].numpy()
    np.testing.assert_allclose(alone[0, -3:], expected, rtol=1e-4, atol=1e-5)
    assert batched.shape == (len(RECORDS), 4 * d + 3)


def test_train_probe_round_trip_without_pickle(tmp_path: Path, tiny) -> None:
    from safetensors.numpy import load_file

    folder = train_probe(RECORDS, tmp_path / "probe", model="tiny", layer=2, c=1.0,
                         generator=tiny)
    assert sorted(p.name for p in folder.iterdir()) == ["probe.json", "probe.safetensors"]
    assert set(load_file(str(folder / "probe.safetensors"))) == {
        "coef", "intercept", "mean", "scale"
    }
    probe = load_probe(folder / "probe.json")
    assert probe.labels == LABELS
    assert probe.model_name == "tiny" and probe.spec.layers == (2,)
    assert len(probe.training["sha256"]) == 64

    classifier = ProbeClassifier(folder, generator=tiny)
    assert classifier.name == "probe" and classifier.labels == LABELS
    stances = classifier.predict([{k: v for k, v in r.items() if k != "label"} for r in RECORDS])
    assert len(stances) == len(RECORDS)
    for stance in stances:
        assert stance.label in LABELS
        assert set(stance.scores) == set(LABELS)
        assert abs(sum(stance.scores.values()) - 1.0) < 1e-5
        assert stance.confidence == max(stance.scores.values())
    assert classifier.predict([]) == []


def test_probe_errors(tmp_path: Path, tiny) -> None:
    with pytest.raises(ModelError):
        load_probe(tmp_path)
    with pytest.raises(InputError):
        extract_features(tiny.model, tiny.tokenizer, RECORDS, FeatureSpec(layers=(9,)))
    with pytest.raises(InputError):
        extract_features(tiny.model, tiny.tokenizer, RECORDS, FeatureSpec(prompt="v0"))
    with pytest.raises(InputError):
        ProbeClassifier(train_probe(RECORDS, tmp_path / "p", layer=1, generator=tiny),
                        generator=tiny).predict([{"text": ""}])


@pytest.mark.slow
def test_shipped_probe_predicts_valid_labels() -> None:
    folder = Path(__file__).resolve().parents[1] / "models" / "heads" / "probe-qwen-0.5b"
    classifier = ProbeClassifier(folder)
    records = [
        {"text": "We fully support this agreement.", "speaker": "The minister",
         "target": "the trade agreement", "context": ""},
        {"text": "This deal is dangerous and premature.", "speaker": "An MP",
         "target": "the trade agreement"},
    ]
    stances = classifier.predict(records)
    assert [s.label in classifier.labels for s in stances] == [True, True]


@pytest.mark.parametrize(("generator", "layer", "hidden"), [("qwen-0.5b", 12, 896),
                                                           ("qwen-1.5b", 20, 1536)])
def test_shipped_probes_hold_the_cross_validated_configuration(
    generator: str, layer: int, hidden: int
) -> None:
    """Each shipped probe reads its generator's chosen layer (last token and quote mean) and
    was trained on train+dev only, so the test split's figures apply to it."""
    from stance.classify import shipped_probe
    from stance.classify.evaluate import load_labelled
    from stance.classify.head import records_hash

    folder = shipped_probe(generator)
    assert folder is not None
    probe = load_probe(folder)
    assert probe.model_name == generator
    assert probe.spec == FeatureSpec(layers=(layer,), pooling="last+mean", prompt="v1-short")
    assert probe.coef.shape == (3, 2 * hidden) and probe.training["c"] == 0.001
    pool = [r for r in load_labelled() if r["split"] in ("train", "dev")]
    assert probe.training["sha256"] == records_hash(pool)
