"""Stance machinery on hand-written records, a hashing embedder and tiny random models."""

from __future__ import annotations

import json
import zlib
from pathlib import Path

import numpy as np
import pytest
from tiny_models import byte_bpe_tokenizer

from stance.classify import (
    get_classifier,
    load_head,
    load_labelset,
    rollup_speakers,
    train_head,
)
from stance.classify import head as head_module
from stance.classify.evaluate import evaluate_stance
from stance.classify.head import fit_head
from stance.errors import InputError, ModelError
from stance.types import Quote, SpeakerStance, Stance


class HashEmbedder:
    """Bag of hashed words: deterministic, instant, and enough to separate toy labels."""

    dim = 64

    def get_sentence_embedding_dimension(self) -> int:
        return self.dim

    def encode(self, texts, batch_size=64, normalize_embeddings=True, convert_to_numpy=True):
        rows = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            for word in text.lower().replace(".", " ").split():
                rows[i, zlib.crc32(word.encode()) % self.dim] += 1.0
        norms = np.linalg.norm(rows, axis=1, keepdims=True)
        return rows / np.maximum(norms, 1e-8)


PHRASES = {
    "open": ["we welcome and support this plan", "a great step we fully back", "we support it"],
    "cautious": ["we doubt it and warn of risks", "serious doubts remain, we warn", "risky, doubt"],
    "neutral": ["the meeting was held on tuesday", "the report was released tuesday", "held"],
}


def toy_records() -> list[dict]:
    records = []
    for doc in ("a1", "a2", "a3", "a4"):
        for label, phrases in PHRASES.items():
            for text in phrases:
                records.append(
                    {"doc": doc, "text": text, "speaker": f"S-{doc}", "target": "the plan",
                     "context": "Officials spoke.", "label": label}
                )
    return records


@pytest.fixture
def hash_embedder(monkeypatch: pytest.MonkeyPatch) -> HashEmbedder:
    embedder = HashEmbedder()
    monkeypatch.setattr(head_module, "get_embedder", lambda name="minilm": embedder)
    return embedder


# --- label sets -------------------------------------------------------------------------


def test_load_labelset_bundled_sets() -> None:
    assert load_labelset().names == ["open", "cautious", "neutral"]
    assert load_labelset().neutral == "neutral"
    assert load_labelset("favor-against-none").names == ["favor", "against", "none"]


def test_load_labelset_custom_file(tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text(
        "neutral: meh\nlabels:\n  yay: {description: likes it, examples: [great]}\n"
        "  nay: dislikes it\n  meh: {}\n",
        encoding="utf-8",
    )
    labels = load_labelset(path)
    assert labels.name == "mine"
    assert labels.names == ["yay", "nay", "meh"]
    assert labels.labels[0].examples == ("great",)
    assert labels.labels[1].description == "dislikes it"
    assert "{target}" in labels.labels[2].hypothesis


def test_load_labelset_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not found"):
        load_labelset("no-such-set")
    bad = tmp_path / "bad.yaml"
    bad.write_text("neutral: zzz\nlabels: {a: x, b: y}\n", encoding="utf-8")
    with pytest.raises(InputError, match="neutral label"):
        load_labelset(bad)


# --- head ---------------------------------------------------------------------------------


def test_train_head_round_trip_without_pickle(tmp_path: Path, hash_embedder) -> None:
    records = toy_records()
    out = train_head(records, tmp_path / "head", features=("quote", "target", "labels"))
    assert sorted(p.name for p in out.iterdir()) == ["head.json", "head.safetensors"]
    for path in out.iterdir():
        data = path.read_bytes()
        assert not data.startswith(b"\x80"), f"{path.name} looks like a pickle"
        assert not data.startswith(b"PK"), f"{path.name} looks like a torch zip archive"
        assert b"torch._utils" not in data and b"c__builtin__" not in data
    meta = json.loads((out / "head.json").read_text())
    assert meta["labels"] == ["open", "cautious", "neutral"]
    assert meta["embedder"] == "minilm"
    assert meta["training"]["records"] == len(records)
    assert len(meta["training"]["sha256"]) == 64

    clf = get_classifier("head", model=str(out))
    assert clf.name == "head"
    assert clf.labels == ["open", "cautious", "neutral"]
    queries = [
        {"text": "we fully support and welcome it", "speaker": "X", "target": "the plan"},
        {"text": "I doubt it, and I warn you", "speaker": "Y", "target": "the plan"},
        {"text": "it was released on tuesday", "speaker": "Z"},
    ]
    stances = clf.predict(queries)
    assert [s.label for s in stances] == ["open", "cautious", "neutral"]
    for stance in stances:
        assert sum(stance.scores.values()) == pytest.approx(1.0, abs=1e-5)
        assert stance.confidence == max(stance.scores.values())
    fresh = fit_head(records, features=("quote", "target", "labels"))
    loaded = load_head(out / "head.json")
    assert loaded.temperature == fresh.temperature
    np.testing.assert_allclose(loaded.coef, fresh.coef, rtol=1e-5, atol=1e-6)


def test_fit_head_learns_from_weighted_pseudo_labels(hash_embedder) -> None:
    """Pseudo-labelled records join the fit with their weight and are recorded apart from
    the gold ones; the temperature is fit on the gold records alone."""
    from stance.classify.head import records_hash

    gold = toy_records()
    # a teacher that swaps 'open' and 'cautious', in articles of its own (the classes stay
    # balanced, as class_weight="balanced" weighs them by their total sample weight)
    swap = {"open": "cautious", "cautious": "open"}
    pseudo = [dict(r, doc=f"u{i}", label=swap[r["label"]]) for i, r in enumerate(gold)
              if r["label"] in swap]
    query = [{"text": "we welcome and support this plan", "speaker": "X", "target": "the plan"}]
    plain = fit_head(gold, features=("quote",))
    light = fit_head(gold, features=("quote",), pseudo=pseudo, pseudo_weight=0.01)
    heavy = fit_head(gold, features=("quote",), pseudo=pseudo, pseudo_weight=20.0,
                     teacher="qwen-1.5b")
    labels = {name: model.labels[int(model.probabilities(
        head_module.featurize(query, ("quote",), None, hash_embedder)).argmax())]
        for name, model in (("plain", plain), ("light", light), ("heavy", heavy))}
    assert labels == {"plain": "open", "light": "open", "heavy": "cautious"}
    assert "pseudo" not in plain.training
    assert heavy.training["records"] == len(gold)
    assert heavy.training["sha256"] == plain.training["sha256"]
    assert heavy.training["pseudo"] == {
        "records": len(pseudo), "articles": len(pseudo), "sha256": records_hash(pseudo),
        "label_counts": {"cautious": 12, "open": 12}, "weight": 20.0, "teacher": "qwen-1.5b"}
    with pytest.raises(InputError):
        fit_head(gold, pseudo=[{"text": "x", "label": "maybe"}])


def test_featurize_encodes_all_blocks_in_one_call(hash_embedder) -> None:
    from stance.classify.embed import _cache, encode
    from stance.classify.head import featurize, framed_text

    _cache.clear()  # a new embedder may reuse a freed one's id, and the memo is keyed by id
    records = toy_records()[:5]
    calls = []
    real_encode = hash_embedder.encode
    hash_embedder.encode = lambda texts, **kw: calls.append(len(texts)) or real_encode(texts, **kw)
    prototypes = np.eye(3, hash_embedder.dim, dtype=np.float32)
    x = featurize(records, ("quote", "target", "framed", "context", "labels"), prototypes,
                  hash_embedder)
    assert len(calls) == 1
    quotes = encode([r["text"] for r in records], hash_embedder)
    targets = encode([r["target"] for r in records], hash_embedder)
    framed = encode([framed_text(r) for r in records], hash_embedder)
    context = encode([r["context"] for r in records], hash_embedder)
    expected = np.concatenate([quotes, quotes * targets, (quotes * targets).sum(1, keepdims=True),
                               framed, context, quotes @ prototypes.T], axis=1)
    np.testing.assert_allclose(x, expected, atol=1e-6)


def test_train_head_rejects_labels_outside_the_set(tmp_path: Path, hash_embedder) -> None:
    records = toy_records()
    records[0]["label"] = "furious"
    with pytest.raises(InputError, match="furious"):
        train_head(records, tmp_path / "head")


def test_head_with_other_labelset_is_refused(tmp_path: Path, hash_embedder) -> None:
    out = train_head(toy_records(), tmp_path / "head")
    with pytest.raises(InputError, match="label set"):
        get_classifier("head", model=str(out), labelset="favor-against-none")


def test_shipped_head_uses_the_cross_validated_config() -> None:
    from stance.classify import default_head_path
    from stance.classify.distill import DEFAULT_PSEUDO_WEIGHT, DEFAULT_TEACHER
    from stance.classify.evaluate import load_labelled, shipped_teacher
    from stance.classify.head import DEFAULT_C, DEFAULT_FEATURES, records_hash

    shipped = load_head(default_head_path(load_labelset(None)))
    assert shipped.features == DEFAULT_FEATURES
    assert shipped.training["c"] == DEFAULT_C
    pool = [r for r in load_labelled() if r["split"] in ("train", "dev")]
    assert shipped.training["sha256"] == records_hash(pool)  # the test split stays unseen
    assert shipped.training["pseudo"]["teacher"] == DEFAULT_TEACHER
    assert shipped.training["pseudo"]["weight"] == DEFAULT_PSEUDO_WEIGHT
    assert shipped_teacher() == DEFAULT_TEACHER  # what the evaluation refits by default


@pytest.mark.slow
def test_shipped_head_was_distilled_on_quotes_from_unlabelled_articles_only() -> None:
    """The extractor still finds the quotes the shipped head's teacher labelled, and none of
    them comes from an article of the labelled set."""
    from stance.classify import default_head_path
    from stance.classify.distill import quotes_to_label, unlabelled_benchmark_articles
    from stance.classify.evaluate import load_labelled
    from stance.harness.tasks import benchmarks_root

    if not (benchmarks_root() / "quotes").is_dir():
        pytest.skip("needs the quote benchmarks in ../shared/benchmarks")
    labelled = {r["doc"] for r in load_labelled()}
    quotes = quotes_to_label(unlabelled_benchmark_articles(exclude=labelled))
    pseudo = load_head(default_head_path(load_labelset(None))).training["pseudo"]
    assert (len(quotes), len({q["doc"] for q in quotes})) == (pseudo["records"],
                                                               pseudo["articles"])
    assert not labelled & {q["doc"] for q in quotes}


def test_load_head_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="no stance head"):
        load_head(tmp_path)


def test_get_classifier_unknown_method() -> None:
    with pytest.raises(InputError, match="unknown stance method"):
        get_classifier("telepathy")


def test_predict_rejects_record_without_text(tmp_path: Path, hash_embedder) -> None:
    clf = get_classifier("head", model=str(train_head(toy_records(), tmp_path / "h")))
    with pytest.raises(InputError, match="record 1"):
        clf.predict([{"text": "fine"}, {"speaker": "nobody"}])


def _toy_stance_file(tmp_path: Path) -> Path:
    """The toy records as a labelled file: a1-a3 train, a4 dev, copies of all four as test."""
    rows = []
    records = toy_records() + [dict(r, doc="t" + r["doc"]) for r in toy_records()]
    for i, record in enumerate(records):
        doc = record["doc"]
        split = "test" if doc.startswith("t") else ("dev" if doc == "a4" else "train")
        rows.append({"id": str(i), "article": record["doc"], "quote": record["text"],
                     "speaker": record["speaker"], "target": record["target"],
                     "context": record["context"], "label": record["label"], "split": split})
    data = tmp_path / "quotes.jsonl"
    data.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return data


def test_evaluate_stance_head_on_toy_set(tmp_path: Path, hash_embedder) -> None:
    result = evaluate_stance("head", data=_toy_stance_file(tmp_path), folds=2,
                             features=("quote",))
    assert result["n_test"] == 36
    assert result["test"]["macro_f1"]["value"] > 0.9
    assert result["test"]["macro_f1"]["low"] <= result["test"]["macro_f1"]["value"]
    assert result["cv"]["folds"] == 2
    assert result["test"]["speaker_rollup"]["speakers"] == 4


# --- roll-up --------------------------------------------------------------------------------


def _quote(speaker: str | None, text: str, label: str | None, confidence: float = 0.9) -> Quote:
    stance = Stance(label, confidence, {}) if label else None
    return Quote(doc="d", text=text, start=0, end=len(text), speaker=speaker, stance=stance)


def test_rollup_speakers_prefers_stance_bearing_quotes() -> None:
    quotes = [
        _quote("Ann", "It happened on Monday.", "neutral", 0.95),
        _quote("Ann", "We might consider it.", "open", 0.55),
        _quote("Ann", "I have real doubts.", "cautious", 0.8),
        _quote("Ann", "Risky, very risky.", "cautious", 0.6),
        _quote("Bob", "The vote is Thursday.", "neutral", 0.7),
        _quote("Bob", "Turnout was high.", "neutral", 0.9),
        _quote(None, "Unattributed.", "open", 0.99),
        _quote("Cy", "No stance yet.", None),
    ]
    ann, bob = rollup_speakers(quotes)
    assert ann == SpeakerStance(
        speaker="Ann", stance="cautious", confidence=pytest.approx((0.8 + 0.6) / 3), quotes=4,
        label_counts={"neutral": 1, "open": 1, "cautious": 2}, evidence="I have real doubts.",
    )
    assert bob.stance == "neutral"
    assert bob.confidence == pytest.approx(0.8)
    assert bob.evidence == "Turnout was high."
    assert bob.label_counts == {"neutral": 2}


def test_rollup_speakers_weights_by_confidence() -> None:
    quotes = [
        _quote("Dee", "Yes!", "open", 0.95),
        _quote("Dee", "Hmm.", "cautious", 0.4),
        _quote("Dee", "Well.", "cautious", 0.4),
    ]
    (dee,) = rollup_speakers(quotes)
    assert dee.stance == "open"
    assert dee.evidence == "Yes!"


def test_rollup_evidence_carries_the_overall_label() -> None:
    quotes = [
        _quote("Fay", "Absolutely not.", "cautious", 0.9),
        _quote("Fay", "Worth a try.", "open", 0.6),
        _quote("Fay", "Could work.", "open", 0.5),
    ]
    (fay,) = rollup_speakers(quotes)
    assert fay.stance == "open"
    assert fay.evidence == "Worth a try."


def test_rollup_speakers_custom_neutral_label() -> None:
    quotes = [_quote("Eve", "Fact.", "none", 0.99), _quote("Eve", "Boo.", "against", 0.5)]
    assert rollup_speakers(quotes)[0].stance == "against"
    assert rollup_speakers(quotes, neutral=())[0].stance == "none"


# --- tiny random transformers ------------------------------------------------------------------


def _bpe_tokenizer():
    return byte_bpe_tokenizer(["The speaker is open to the plan", "cautious neutral stance"])


@pytest.fixture(scope="module")
def tiny_lm():
    import torch
    from transformers import Qwen2Config, Qwen2ForCausalLM

    tokenizer = _bpe_tokenizer()
    torch.manual_seed(0)
    config = Qwen2Config(
        vocab_size=len(tokenizer), hidden_size=32, intermediate_size=64, num_hidden_layers=2,
        num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=4096,
    )
    return Qwen2ForCausalLM(config), tokenizer


ZS_RECORDS = [
    {"doc": "d1", "text": "We will see.", "speaker": "A", "target": "the plan", "context": "Late."},
    {"doc": "d1", "text": "Yes, gladly.", "speaker": "B", "target": "the plan"},
    {"doc": "d2", "text": "No."},
    {"doc": "d1", "text": "Perhaps.", "speaker": "C", "target": "the plan"},
]


def test_zeroshot_cached_prefix_matches_full_forward(tiny_lm) -> None:
    import torch

    from stance.classify.zeroshot import ZeroShotClassifier

    model, tokenizer = tiny_lm
    clf = ZeroShotClassifier(model, tokenizer, load_labelset())
    assert any(len(ids) > 1 for ids in clf.label_ids)  # exercises the multi-token path
    stances = clf.predict(ZS_RECORDS)
    assert [s.label in clf.labels for s in stances] == [True] * 4

    record = ZS_RECORDS[0]
    ids = list(tokenizer(clf.prefix("the plan"))["input_ids"]) + clf._ids(
        clf.suffix(record, "the plan")
    )
    full = []
    for label_ids in clf.label_ids:
        with torch.no_grad():
            logits = model(input_ids=torch.tensor([ids + label_ids])).logits[0]
        log_probs = torch.log_softmax(logits.float(), dim=-1)
        full.append(sum(float(log_probs[len(ids) - 1 + j, t]) for j, t in enumerate(label_ids)))
    expected = np.exp(np.array(full) - np.logaddexp.reduce(full))
    got = [stances[0].scores[label] for label in clf.labels]
    np.testing.assert_allclose(got, expected, rtol=1e-4, atol=1e-6)


def test_zeroshot_calibrations(tiny_lm) -> None:
    from stance.classify.zeroshot import CALIBRATIONS, ZeroShotClassifier

    model, tokenizer = tiny_lm
    clf = ZeroShotClassifier(model, tokenizer, load_labelset("favor-against-none"), shots=False)
    variants = clf.predict_calibrations(ZS_RECORDS)
    assert set(variants) == set(CALIBRATIONS)
    for stances in variants.values():
        for stance in stances:
            assert sum(stance.scores.values()) == pytest.approx(1.0, abs=1e-6)
            assert stance.label in ("favor", "against", "none")
    with pytest.raises(InputError, match="calibration"):
        ZeroShotClassifier(model, tokenizer, load_labelset(), calibration="magic")


def test_nli_with_tiny_random_model(tmp_path: Path) -> None:
    import torch
    from transformers import BertConfig, BertForSequenceClassification, BertTokenizerFast

    words = "[PAD] [UNK] [CLS] [SEP] [MASK] the speaker is open to cautious about said plan we"
    vocab = tmp_path / "vocab.txt"
    vocab.write_text("\n".join(words.split()) + "\n", encoding="utf-8")
    tokenizer = BertTokenizerFast(vocab_file=str(vocab))
    torch.manual_seed(0)
    config = BertConfig(
        vocab_size=len(tokenizer), hidden_size=16, num_hidden_layers=1, num_attention_heads=2,
        intermediate_size=32, num_labels=3,
        id2label={0: "contradiction", 1: "neutral", 2: "entailment"},
        label2id={"contradiction": 0, "neutral": 1, "entailment": 2},
    )
    folder = tmp_path / "tiny-nli"
    BertForSequenceClassification(config).save_pretrained(folder)
    tokenizer.save_pretrained(folder)

    clf = get_classifier("nli", model=str(folder))
    assert clf.entailment == 2
    stances = clf.predict(ZS_RECORDS)
    assert len(stances) == 4
    for stance in stances:
        assert stance.label in ("open", "cautious", "neutral")
        assert sum(stance.scores.values()) == pytest.approx(1.0, abs=1e-5)
    assert "the plan" in clf.hypotheses(ZS_RECORDS[0])[0]


def test_default_for_labelset_without_shipped_head() -> None:
    with pytest.raises(ModelError, match="no shipped head"):
        get_classifier("default", labelset="favor-against-none")


def test_nli_needs_a_model_path() -> None:
    with pytest.raises(ModelError, match="no NLI model"):
        get_classifier("nli")


# --- ensemble -------------------------------------------------------------------------------


def test_combine_is_the_weighted_geometric_mean() -> None:
    from stance.classify.ensemble import combine

    first = np.array([[0.8, 0.1, 0.1], [0.2, 0.2, 0.6]])
    second = np.array([[0.2, 0.6, 0.2], [0.2, 0.2, 0.6]])
    expected = np.sqrt(first[0] * second[0])
    np.testing.assert_allclose(combine([first, second])[0], expected / expected.sum())
    np.testing.assert_allclose(combine([first, second])[1], first[1])
    np.testing.assert_allclose(combine([first, second], [1.0, 0.0]), first)
    tilted = first[0] ** 0.75 * second[0] ** 0.25
    np.testing.assert_allclose(combine([first, second], [3, 1])[0], tilted / tilted.sum())
    for bad in ([1.0], [1.0, -1.0], [0.0, 0.0]):
        with pytest.raises(InputError, match="weight"):
            combine([first, second], bad)


class FixedClassifier:
    def __init__(self, labels: list[str], rows: list[list[float]]) -> None:
        self.labels, self.rows, self.name = labels, rows, "fixed"

    def predict(self, records):
        from stance.classify.records import stance_from_scores

        return [stance_from_scores(dict(zip(self.labels, row, strict=True)))
                for row, _ in zip(self.rows, records, strict=True)]


def test_ensemble_outvotes_a_lukewarm_member() -> None:
    from stance.classify.ensemble import EnsembleClassifier

    labels = ["open", "cautious", "neutral"]
    lukewarm = FixedClassifier(labels, [[0.40, 0.35, 0.25]])
    firm = FixedClassifier(labels, [[0.10, 0.70, 0.20]])
    (stance,) = EnsembleClassifier([lukewarm, firm]).predict([{"text": "We shall see."}])
    assert stance.label == "cautious"
    assert sum(stance.scores.values()) == pytest.approx(1.0)
    with pytest.raises(InputError, match="different labels"):
        EnsembleClassifier([lukewarm, FixedClassifier(["favor", "against", "none"], [])])


def _fake_generators(monkeypatch: pytest.MonkeyPatch, tiny_lm) -> list[str]:
    """Every generator name loads the tiny model; returns the names asked for."""
    from types import SimpleNamespace

    from stance.backends import hf

    model, tokenizer = tiny_lm
    asked: list[str] = []
    monkeypatch.setattr(hf, "load_generator", lambda name: asked.append(name)
                        or SimpleNamespace(model=model, tokenizer=tokenizer))
    return asked


def _tiny_probe(folder: Path, tiny_lm, records: list[dict]) -> Path:
    from types import SimpleNamespace

    from stance.classify.probe import train_probe

    model, tokenizer = tiny_lm
    return train_probe(records, folder, model="qwen-1.5b", layer=1, c=1.0,
                       generator=SimpleNamespace(model=model, tokenizer=tokenizer))


def test_get_classifier_ensemble_multiplies_head_probe_and_article_prior_zeroshot(
    tmp_path: Path, hash_embedder, tiny_lm, monkeypatch: pytest.MonkeyPatch
) -> None:
    from stance.classify.ensemble import combine, probability_rows
    from stance.classify.probe import ProbeClassifier
    from stance.classify.zeroshot import ZeroShotClassifier

    train_head(toy_records(), tmp_path / "open-cautious-neutral")
    monkeypatch.setenv("STANCE_HEADS", str(tmp_path))
    asked = _fake_generators(monkeypatch, tiny_lm)
    # no probe shipped for the generator: the head and the zero-shot member
    head, language_model = get_classifier("ensemble").members
    assert asked == ["qwen-1.5b"]
    assert isinstance(language_model, ZeroShotClassifier)
    assert language_model.calibration == "article_prior"

    _tiny_probe(tmp_path / "probe-qwen-1.5b", tiny_lm, toy_records())
    ensemble = get_classifier("ensemble")
    head, probe, language_model = ensemble.members
    assert isinstance(probe, ProbeClassifier) and probe.probe.model_name == "qwen-1.5b"
    labels = ensemble.labels
    expected = combine([probability_rows(member.predict(ZS_RECORDS), labels)
                        for member in (head, probe, language_model)])
    got = probability_rows(ensemble.predict(ZS_RECORDS), labels)
    np.testing.assert_allclose(got, expected, rtol=1e-6)
    assert len(get_classifier("ensemble", model="qwen-0.5b").members) == 2
    assert asked[-1] == "qwen-0.5b"


def test_evaluate_stance_ensemble_refits_head_and_probe_per_fold(
    tmp_path: Path, hash_embedder, tiny_lm, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STANCE_HEADS", str(tmp_path))
    monkeypatch.setenv("STANCE_CACHE", str(tmp_path / "cache"))
    _fake_generators(monkeypatch, tiny_lm)
    data = _toy_stance_file(tmp_path)
    head = evaluate_stance("head", data=data, folds=2, features=("quote",))
    pair = evaluate_stance("ensemble", data=data, folds=2, features=("quote",))
    assert pair["model"] == "qwen-1.5b" and list(pair["members"]) == ["head", "zeroshot"]
    assert pair["n_test"] == head["n_test"] == 36
    assert pair["cv"]["folds"] == 2 and len(pair["cv"]["fold_macro_f1"]) == 2
    # the random language model moves the scores but cannot outweigh a confident head
    assert pair["test"]["macro_f1"]["value"] > 0.8
    assert pair["test"]["calibration"] != head["test"]["calibration"]
    assert pair["members"]["head"]["test"] == head["test"]
    assert pair["members"]["zeroshot"]["cv"]["folds"] == 2

    _tiny_probe(tmp_path / "probe-qwen-1.5b", tiny_lm, toy_records())
    triple = evaluate_stance("ensemble", data=data, folds=2, features=("quote",))
    assert list(triple["members"]) == ["head", "probe", "zeroshot"]
    assert triple["probe"]["model"] == "qwen-1.5b" and triple["probe"]["layers"] == [1]
    assert triple["members"]["head"]["test"] == head["test"]
    assert triple["members"]["probe"]["cv"]["folds"] == 2
    assert triple["test"]["calibration"] != pair["test"]["calibration"]


def test_evaluate_stance_probe_refits_the_saved_configuration(
    tmp_path: Path, tiny_lm, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The test split is scored by the probe's configuration fit on train+dev (as the training
    script does), and CV refits it without each fold, whatever the saved weights are."""
    from stance.classify.evaluate import load_labelled
    from stance.classify.probe import ProbeClassifier

    monkeypatch.setenv("STANCE_CACHE", str(tmp_path / "cache"))
    _fake_generators(monkeypatch, tiny_lm)
    data = _toy_stance_file(tmp_path)
    rows = load_labelled(data)
    pool = [r for r in rows if r["split"] != "test"]
    test = [r for r in rows if r["split"] == "test"]
    # saved weights fit on the test copies only; evaluation must not use them
    saved = _tiny_probe(tmp_path / "probe", tiny_lm, test[:12])
    refit = _tiny_probe(tmp_path / "refit", tiny_lm, pool)
    result = evaluate_stance("probe", model=str(saved), data=data, folds=2)
    expected = ProbeClassifier(refit).predict(test)
    assert result["test"]["accuracy"]["value"] == pytest.approx(
        np.mean([s.label == r["label"] for s, r in zip(expected, test, strict=True)]))
    assert result["probe"]["c"] == 1.0
    assert result["cv"]["folds"] == 2 and "members" not in result


def test_evaluate_stance_head_distils_from_a_teacher_refit_per_fold(
    tmp_path: Path, hash_embedder, tiny_lm, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each head (the final one and one per fold) learns from pseudo-labels given by the
    teacher probe's configuration refit on that head's own training rows."""
    from stance.classify import distill
    from stance.classify.evaluate import load_labelled
    from stance.classify.probe import ProbeClassifier

    monkeypatch.setenv("STANCE_CACHE", str(tmp_path / "cache"))
    _fake_generators(monkeypatch, tiny_lm)
    data = _toy_stance_file(tmp_path)
    rows = load_labelled(data)
    pool = [r for r in rows if r["split"] != "test"]
    unlabelled = [{"doc": f"u{i}", "text": r["text"], "speaker": "U", "target": "the plan"}
                  for i, r in enumerate(toy_records()[:12])]
    asked: list[set[str]] = []
    monkeypatch.setattr(distill, "unlabelled_benchmark_articles",
                        lambda exclude: asked.append(exclude) or ["articles"])
    monkeypatch.setattr(distill, "quotes_to_label", lambda articles: unlabelled)
    fits: list[tuple[set[str], list[str]]] = []
    real_fit = head_module.fit_head

    def spy(records, **options):
        fits.append(({r["doc"] for r in records}, [r["label"] for r in options["pseudo"]]))
        return real_fit(records, **options)

    monkeypatch.setattr("stance.classify.evaluate.fit_head", spy)
    teacher = _tiny_probe(tmp_path / "teacher", tiny_lm, pool)
    result = evaluate_stance("head", data=data, folds=2, features=("quote",),
                             teacher=str(teacher))
    assert asked == [{r["doc"] for r in rows}]  # labelled articles are never pseudo-labelled
    assert result["teacher"]["unlabelled_quotes"] == 12
    assert result["cv"]["folds"] == 2
    assert len(fits) == 3 and fits[0][0] == {"a1", "a2", "a3", "a4"}
    expected = [s.label for s in ProbeClassifier(teacher).predict(unlabelled)]
    assert fits[0][1] == expected
    for docs, pseudo_labels in fits[1:]:
        fold_teacher = _tiny_probe(tmp_path / "fold", tiny_lm,
                                   [r for r in pool if r["doc"] in docs])
        assert pseudo_labels == [s.label for s in ProbeClassifier(fold_teacher).predict(unlabelled)]


UNLABELLED_ARTICLE = (
    '"We will welcome the new plan with open arms and real support," Mayor Ana Ruiz said.\n\n'
    '"The plan carries serious risks that we must warn everyone about," said Tom Baker, '
    'a council member.\n\n'
    '"The meeting on the plan was held on Tuesday in the council chamber," said Mia Jones, '
    'the clerk.\n'
)


def test_cli_train_distils_from_a_teacher_on_unlabelled_articles(
    tmp_path: Path, hash_embedder, tiny_lm, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from stance.classify import target
    from stance.cli import app

    monkeypatch.setenv("STANCE_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(target, "get_embedder", lambda name="minilm": hash_embedder)
    _fake_generators(monkeypatch, tiny_lm)
    data = tmp_path / "labelled.jsonl"
    data.write_text("\n".join(json.dumps(r) for r in toy_records()) + "\n", encoding="utf-8")
    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "council.txt").write_text(UNLABELLED_ARTICLE, encoding="utf-8")
    (articles / "a1.txt").write_text(UNLABELLED_ARTICLE, encoding="utf-8")  # a labelled doc
    teacher = _tiny_probe(tmp_path / "teacher", tiny_lm, toy_records())
    runner = CliRunner()

    plain = runner.invoke(app, ["train", str(data), "--out", str(tmp_path / "plain")])
    assert plain.exit_code == 0, plain.output
    assert "pseudo" not in load_head(tmp_path / "plain").training

    result = runner.invoke(app, ["train", str(data), "--out", str(tmp_path / "distilled"),
                                 "--teacher", str(teacher), "--unlabelled", str(articles)])
    assert result.exit_code == 0, result.output
    assert "and 3 quotes labelled by" in result.output
    pseudo = load_head(tmp_path / "distilled").training["pseudo"]
    assert (pseudo["records"], pseudo["articles"], pseudo["teacher"]) == (3, 1, str(teacher))

    alone = runner.invoke(app, ["train", str(data), "--out", str(tmp_path / "x"),
                                "--teacher", str(teacher)])
    assert alone.exit_code != 0 and "go together" in alone.output
    other_labels = runner.invoke(app, ["train", str(data), "--out", str(tmp_path / "y"),
                                       "--labels", "favor-against-none", "--teacher",
                                       str(teacher), "--unlabelled", str(articles)])
    assert other_labels.exit_code != 0 and "not ['favor', 'against', 'none']" in other_labels.output


def test_probe_features_are_cached_per_record(
    tmp_path: Path, tiny_lm, monkeypatch: pytest.MonkeyPatch
) -> None:
    from types import SimpleNamespace

    from stance.classify import distill
    from stance.classify.probe import load_probe

    monkeypatch.setenv("STANCE_CACHE", str(tmp_path / "cache"))
    model, tokenizer = tiny_lm
    generator = SimpleNamespace(model=model, tokenizer=tokenizer)
    probe = load_probe(_tiny_probe(tmp_path / "probe", tiny_lm, toy_records()))
    records = toy_records()[:5]
    first = distill.probe_features(probe, records, generator)
    assert len(list((tmp_path / "cache" / "features").glob("*/*.npy"))) == 5

    computed = []
    extract = distill.extract_features

    def counting(model, tokenizer, batch, *args, **kwargs):
        computed.extend(r["text"] for r in batch)
        return extract(model, tokenizer, batch, *args, **kwargs)

    monkeypatch.setattr(distill, "extract_features", counting)
    np.testing.assert_array_equal(distill.probe_features(probe, records, generator), first)
    np.testing.assert_array_equal(distill.probe_features(probe, records[3:0:-1], generator),
                                  first[3:0:-1])  # any subset, in any order
    assert computed == []
    relabelled = [dict(r, label="neutral") for r in records]  # labels are not prompt input
    np.testing.assert_array_equal(distill.probe_features(probe, relabelled, generator), first)
    grown = [*records, toy_records()[5]]
    assert distill.probe_features(probe, grown, generator).shape[0] == 6
    assert computed == [toy_records()[5]["text"]]  # only the new record is computed


def test_article_batches_end_where_the_article_changes() -> None:
    from stance.classify.records import article_batches

    records = [{"doc": d, "text": "x"} for d in ["a"] * 40 + ["b"] * 5 + ["c"] * 30]
    sizes = [[r["doc"] for r in batch] for batch in article_batches(records)]
    assert sizes == [["a"] * 40, ["b"] * 5 + ["c"] * 30]
    long = [{"doc": "a", "text": "x"}] * 300
    assert [len(b) for b in article_batches(long)] == [256, 44]
    assert list(article_batches([])) == []
