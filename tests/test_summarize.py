"""Summaries: lead-k and extractive selection, faithfulness check and repair, map-reduce
chunking with a fake generator, and the seq2seq path on a tiny random model."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import numpy as np
import pytest
from seed import SEED_ARTICLE

from stance.errors import InputError
from stance.summarize import DEFAULT_METHOD, faithfulness, get_summarizer, summarize
from stance.summarize.abstractive import chunk_by_tokens, clean_output
from stance.types import Article

ARTICLE = Article(
    doc="council",
    text=(
        "The city council approved a budget of 2,400 dollars for the new library on Monday. "
        "The city council approved a 2,400 dollar budget for the new library on Monday. "
        "Mayor Jane Alvarez said the library would open in thirteen months. "
        "Construction will begin in the spring, according to the council. "
        "Residents had asked for a library since the old one closed in 2015. "
        "The council also discussed road repairs. "
        "Alvarez thanked the volunteers who had raised money for books."
    ),
)
SEED = SEED_ARTICLE


class HashEmbedder:
    """Bag-of-words vectors hashed into 64 dimensions: a deterministic MiniLM stand-in."""

    def encode(self, texts, **_):
        rows = np.zeros((len(texts), 64))
        for i, text in enumerate(texts):
            for word in re.findall(r"\w+", text.lower()):
                rows[i, int(hashlib.md5(word.encode()).hexdigest(), 16) % 64] += 1.0
        norms = np.linalg.norm(rows, axis=1, keepdims=True)
        return rows / np.where(norms > 0, norms, 1.0)


class FakeGenerator:
    """Answers with the first sentence of each text it is given; counts words as tokens."""

    def __init__(self, context_window: int = 4096, reply: str | None = None):
        self.context_window = context_window
        self.reply = reply
        self.prompts: list[str] = []
        self.copy_calls: list[tuple[str | None, float]] = []

    def prompt_text(self, messages):
        return "\n".join(m["content"] for m in messages)

    def count_tokens(self, text: str) -> int:
        return len(text.split())

    def generate(self, messages, max_new_tokens=256, on_token=None, copy_from=None, copy_bias=0.0):
        text = messages[-1]["content"].split("Article:\n", 1)[1].rsplit("\n\n", 1)[0]
        self.prompts.append(text)
        self.copy_calls.append((copy_from, copy_bias))
        assert self.count_tokens(self.prompt_text(messages)) + max_new_tokens <= self.context_window
        answer = self.reply if self.reply is not None else text.split(". ")[0].rstrip(".") + "."
        if on_token is not None:
            for piece in answer.split(" "):
                on_token(piece + " ")
        return answer


def test_lead_takes_opening_sentences_and_skips_near_duplicates():
    summary = get_summarizer("lead").summarize(ARTICLE, sentences=2)
    lines = summary.text.split("\n")
    assert lines == [
        "The city council approved a budget of 2,400 dollars for the new library on Monday.",
        "Mayor Jane Alvarez said the library would open in thirteen months.",
    ]
    assert summary.method == "lead" and summary.unsupported == [] and summary.repaired == 0


def test_lead_word_budget_keeps_whole_sentences():
    text = get_summarizer("lead").summarize(ARTICLE, words=30).text
    assert len(text.split()) <= 30
    assert all(line in ARTICLE.text for line in text.split("\n"))
    # The first sentence is kept even when it alone is over the budget.
    assert get_summarizer("lead").summarize(ARTICLE, words=3).text.count("\n") == 0


LONG_LEAD = Article(
    doc="long-lead",
    text=(
        "The city council on Monday approved a budget of 2,400 dollars for a new public library "
        "on the corner of Main Street and Oak Avenue, ending a dispute that lasted a decade. "
        "Mayor Jane Alvarez, who had promised the library during her campaign, said the doors "
        "would open in thirteen months if construction kept to schedule. "
        "Construction will begin in the spring. "
        "The council also discussed road repairs."
    ),
)


def test_default_length_stops_once_two_long_sentences_make_a_full_summary():
    lines = get_summarizer("lead").summarize(LONG_LEAD).text.split("\n")
    assert len(lines) == 2 and len(" ".join(lines).split()) >= 50
    # Short opening sentences still give three; an explicit count is taken as asked.
    assert len(get_summarizer("lead").summarize(ARTICLE).text.split("\n")) == 3
    assert len(get_summarizer("lead").summarize(LONG_LEAD, sentences=3).text.split("\n")) == 3


def test_take_within_budget_enough_words_keeps_the_sentence_that_reaches_it():
    from stance.summarize.sentences import take_within_budget

    ranked = ["one two three.", "four five six seven.", "eight nine.", "ten eleven."]
    assert take_within_budget(ranked, sentences=3, enough_words=5) == ranked[:2]
    assert take_within_budget(ranked, sentences=3, enough_words=50) == ranked[:3]


def test_wire_furniture_is_not_copied_into_summaries():
    article = Article(
        doc="wire",
        text="(CNN) -- Rescuers in Lisbon found the missing sailor alive on Tuesday. "
        "Scroll down for video He had been at sea for nine days. "
        "His family thanked the coastguard.",
    )
    assert get_summarizer("lead").summarize(article).text.split("\n") == [
        "Rescuers in Lisbon found the missing sailor alive on Tuesday.",
        "He had been at sea for nine days.",
        "His family thanked the coastguard.",
    ]


def test_extractive_is_deterministic_length_controlled_and_repeat_free():
    summarizer = get_summarizer("extractive", embedder=HashEmbedder())
    first = summarizer.summarize(ARTICLE, sentences=3)
    again = summarizer.summarize(ARTICLE, sentences=3)
    lines = first.text.split("\n")
    assert first == again
    assert len(lines) == 3 and len(set(lines)) == 3
    assert all(line in ARTICLE.text for line in lines)
    positions = [ARTICLE.text.index(line) for line in lines]
    assert positions == sorted(positions)
    assert not any(
        "2,400 dollars" in a and "2,400 dollar budget" in b for a in lines for b in lines
    )


@pytest.mark.parametrize("centrality", ["pagerank", "degree", "centroid", "pacsum"])
def test_extractive_centralities_all_pick_within_budget(centrality):
    from stance.summarize.extractive import RankOptions

    summarizer = get_summarizer(
        "extractive", embedder=HashEmbedder(), options=RankOptions(centrality=centrality)
    )
    assert len(summarizer.summarize(ARTICLE, sentences=2).text.split("\n")) == 2


def test_summarize_rejects_unknown_method_and_empty_text():
    with pytest.raises(InputError, match="unknown summary method"):
        summarize(ARTICLE, method="abstractive-magic")
    with pytest.raises(InputError, match="no text"):
        get_summarizer("lead").summarize(Article(doc="empty", text="  \n"))
    with pytest.raises(InputError, match="positive"):
        get_summarizer("lead").summarize(ARTICLE, sentences=0)
    with pytest.raises(InputError, match="uses no model"):
        get_summarizer("lead", model="qwen-0.5b")


def test_number_mentions_normalise_commas_words_and_scales():
    found = dict(faithfulness.number_mentions("2,400 and thirteen and £2.5million and 13%"))
    assert found["2,400"] == {2400.0}
    assert found["thirteen"] == {13.0}
    assert found["2.5million"] == {2.5, 2_500_000.0}
    assert found["13"] == {13.0}


def test_check_accepts_variants_and_flags_wrong_number_and_invented_name():
    source = faithfulness.Source(ARTICLE.text)
    good = faithfulness.check(
        "Alvarez's library will open in 13 months after a 2400 dollar budget.", source
    )
    assert good.unsupported == [] and good.numbers == 2 and good.entities >= 1
    bad = faithfulness.check(
        "Mayor Jane Alvarez said the library cost 9,999 dollars. "
        "Governor Peter Okafor opposed it.",
        source,
    )
    assert "9,999" in bad.unsupported_numbers
    assert any("Okafor" in entity for entity in bad.unsupported_entities)


QUOTED = Article(
    doc="quoted",
    text=(
        "The mayor spoke on Monday. \"We don't know when it will open, but we will do what we "
        "must,\" Mayor Jane Alvarez said of the library. She called the delay ‘regrettable.’"
    ),
)


@pytest.mark.parametrize(
    "summary, misquoted",
    [
        ("Alvarez said “we will do what we must.”", []),
        ("Alvarez said “We do n't know when it will open , but ...  we must . ''", []),
        ("Alvarez called the delay 'regrettable'.", []),
        ("Alvarez said “we will do whatever it takes.”", ["we will do whatever it takes."]),
        ("Alvarez called the delay ‘unacceptable’.", ["unacceptable"]),
    ],
)
def test_words_in_quotation_marks_must_be_the_sources_own(summary, misquoted):
    found = faithfulness.check(summary, QUOTED.text)
    assert found.unsupported_quotations == misquoted
    assert found.quotations == 1


def test_llm_misquote_is_repaired_with_the_source_sentence():
    reply = "Alvarez said “we will do whatever it takes” to open the library."
    summarizer = get_summarizer("llm", generator=FakeGenerator(reply=reply),
                                embedder=HashEmbedder())
    assert summarizer.summarize(QUOTED, repair=False).unsupported == [
        "“we will do whatever it takes”"
    ]
    summary = summarizer.summarize(QUOTED)
    assert summary.repaired == 1 and summary.unsupported == []
    assert "whatever" not in summary.text and "do what we must" in summary.text


def test_summary_carries_the_check_of_its_final_sentences():
    from stance.summarize.evaluate import check_lines

    reply = "Alvarez said “we will do whatever it takes.”\nThe library opens in 99 days."
    summarizer = get_summarizer("llm", generator=FakeGenerator(reply=reply),
                                embedder=HashEmbedder())
    draft = summarizer.summarize(QUOTED, repair=False)
    assert (draft.check.quotations, draft.check.numbers) == (1, 1)
    assert draft.check.unsupported_quotations == ["we will do whatever it takes."]
    assert draft.check.unsupported_numbers == ["99"]
    final = summarizer.summarize(QUOTED)
    assert final.unsupported == [] and final.check == check_lines(final.text, QUOTED.text)
    record = final.to_dict()
    assert record["unsupported"] == [] and record["check"]["quotations"] == final.check.quotations


def test_llm_is_not_shown_the_headline():
    generator = FakeGenerator()
    get_summarizer("llm", generator=generator, embedder=HashEmbedder()).summarize(HEADLINED)
    assert generator.prompts and "Council Backs" not in generator.prompts[0]


def test_llm_decodes_with_a_copy_bias_toward_each_chunk():
    generator = FakeGenerator(context_window=300)
    sentences = [f"Fact number {i} concerns the harbour project in Lisbon." for i in range(60)]
    article = Article(doc="long", text=" ".join(sentences))
    get_summarizer("llm", generator=generator, embedder=HashEmbedder(),
                   max_new_tokens=40).summarize(article)
    assert len(generator.prompts) > 1
    assert generator.copy_calls == [(prompt, 3.0) for prompt in generator.prompts]
    plain = FakeGenerator()
    get_summarizer("llm", generator=plain, embedder=HashEmbedder(), copy_bias=0).summarize(ARTICLE)
    assert [bias for _, bias in plain.copy_calls] == [0]
    with pytest.raises(InputError, match="copy_bias"):
        get_summarizer("llm", generator=plain, copy_bias=-1)


def test_llm_summary_with_unsupported_facts_is_repaired():
    generator = FakeGenerator(
        reply="Mayor Jane Alvarez said the library would open in 14 months.\n"
        "Governor Peter Okafor praised the council.\n"
        "Construction will begin in the spring."
    )
    summarizer = get_summarizer("llm", generator=generator, embedder=HashEmbedder())
    unrepaired = summarizer.summarize(ARTICLE, repair=False)
    assert "14" in unrepaired.unsupported and unrepaired.repaired == 0
    summary = summarizer.summarize(ARTICLE)
    lines = summary.text.split("\n")
    assert summary.repaired == 2 and summary.unsupported == []
    assert "Mayor Jane Alvarez said the library would open in thirteen months." in lines
    assert "Okafor" not in summary.text
    assert lines[-1] == "Construction will begin in the spring."


def test_llm_streams_tokens_and_cleans_bullets():
    pieces: list[str] = []
    reply = "Here is the summary:\n- Construction will begin in the spring."
    generator = FakeGenerator(reply=reply)
    summary = get_summarizer("llm", generator=generator, embedder=HashEmbedder()).summarize(
        ARTICLE, on_token=pieces.append
    )
    assert summary.text == "Construction will begin in the spring."
    assert "".join(pieces).strip().endswith("spring.")
    assert clean_output("1. A fact.\n2. A fact.\n3. Another one.") == ["A fact.", "Another one."]


def test_long_article_is_chunked_and_map_reduced_without_dropping_text():
    sentences = [f"Fact number {i} concerns the harbour project in Lisbon." for i in range(60)]
    article = Article(doc="long", text=" ".join(sentences))
    generator = FakeGenerator(context_window=300)
    summarizer = get_summarizer(
        "llm", generator=generator, embedder=HashEmbedder(), max_new_tokens=40
    )
    summary = summarizer.summarize(article, sentences=2)
    assert summary.chunks > 1
    seen = " ".join(generator.prompts[: summary.chunks])
    assert all(sentence[:-1] in seen for sentence in sentences)
    assert 1 <= len(summary.text.split("\n")) <= 2


def test_chunk_by_tokens_splits_an_overlong_sentence_between_words():
    chunks = chunk_by_tokens(["one two three four five six seven"], lambda t: len(t.split()), 3)
    assert " ".join(chunks).split() == "one two three four five six seven".split()
    assert all(len(chunk.split()) <= 3 for chunk in chunks)


def _tiny_seq2seq(folder: Path, kind: str, window: int) -> Path:
    """Build and save a randomly initialised BART or T5 with a word-level tokenizer."""
    from tokenizers import Tokenizer, models, pre_tokenizers
    from transformers import (
        BartConfig,
        BartForConditionalGeneration,
        PreTrainedTokenizerFast,
        T5Config,
        T5ForConditionalGeneration,
    )

    specials = ["<pad>", "</s>", "<unk>", "<s>"]
    words = sorted(set(re.findall(r"\w+|[^\w\s]", ARTICLE.text.lower())))
    vocab = {token: i for i, token in enumerate(specials + words)}
    backend = Tokenizer(models.WordLevel(vocab=vocab, unk_token="<unk>"))
    backend.pre_tokenizer = pre_tokenizers.Whitespace()
    tokenizer = PreTrainedTokenizerFast(
        tokenizer_object=backend, pad_token="<pad>", eos_token="</s>", unk_token="<unk>",
        bos_token="<s>", model_max_length=window,
    )
    sizes = dict(vocab_size=len(vocab), pad_token_id=0, eos_token_id=1, decoder_start_token_id=0)
    if kind == "bart":
        config = BartConfig(
            d_model=16, encoder_layers=1, decoder_layers=1, encoder_attention_heads=2,
            decoder_attention_heads=2, encoder_ffn_dim=32, decoder_ffn_dim=32,
            max_position_embeddings=window, bos_token_id=3, forced_eos_token_id=None, **sizes,
        )
        model = BartForConditionalGeneration(config)
    else:
        config = T5Config(d_model=16, d_kv=8, d_ff=32, num_layers=1, num_heads=2, **sizes)
        model = T5ForConditionalGeneration(config)
    model.generation_config.min_new_tokens = 6
    model.generation_config.num_beams = 1
    model.save_pretrained(folder, safe_serialization=True)
    tokenizer.save_pretrained(folder)
    return folder


@pytest.mark.parametrize("kind", ["bart", "t5"])
def test_seq2seq_tiny_random_model_map_reduces_and_is_deterministic(tmp_path, kind):
    import torch

    torch.manual_seed(0)
    folder = _tiny_seq2seq(tmp_path / kind, kind, window=48)
    long_article = Article(doc="long", text=" ".join([ARTICLE.text] * 3))
    summarizer = get_summarizer(
        "seq2seq", model=str(folder), embedder=HashEmbedder(), max_new_tokens=12
    )
    first = summarizer.summarize(long_article, repair=False)
    assert first.chunks > 1
    assert first == summarizer.summarize(long_article, repair=False)
    streamed: list[str] = []
    repaired = summarizer.summarize(ARTICLE, on_token=streamed.append)
    assert streamed and repaired.text
    assert repaired.unsupported == []


def test_seq2seq_needs_a_model():
    with pytest.raises(InputError, match="needs a model"):
        get_summarizer("seq2seq")


@pytest.mark.slow
def test_default_method_summarises_seed_article():
    article = Article(doc="milley-taliban", text=SEED.read_text(encoding="utf-8"))
    summary = summarize(article)
    lines = summary.text.split("\n")
    assert summary.method == DEFAULT_METHOD
    assert 1 <= len(lines) <= 3 and len(set(lines)) == len(lines)
    assert len(" ".join(lines[:-1]).split()) < 50
    assert "Milley" in summary.text
    assert summary.unsupported == []
    assert summary == summarize(article)


HEADLINED = Article(doc="headlined", text="Council Backs New Library\n\n" + ARTICLE.text)


@pytest.mark.parametrize("method", ["lead", "extractive"])
def test_headline_first_line_is_not_a_summary_sentence(method):
    summarizer = get_summarizer(method, embedder=HashEmbedder())
    summary = summarizer.summarize(HEADLINED, sentences=2)
    assert "Council Backs" not in summary.text
    assert summary.text == summarizer.summarize(ARTICLE, sentences=2).text


@pytest.mark.parametrize(
    "text, title",
    [
        ("Council Backs New Library\n\nThe council met.", "Council Backs New Library"),
        ("\nMilley: ‘You Do What You Must’\n\nHe spoke.", "Milley: ‘You Do What You Must’"),
        ("The council met on Monday.\n\nIt voted.", None),  # a sentence, not a title
        ("Council Backs New Library\nThe council met.", None),  # no blank line after it
        (" ".join(["word"] * 25) + "\n\nThe council met.", None),  # too long for a title
        ("Council said “yes.”\n\nIt voted.", None),
    ],
)
def test_headline_detection(text, title):
    from stance.summarize.sentences import headline

    assert headline(text) == title


def test_headline_only_text_is_still_summarised():
    summary = get_summarizer("lead").summarize(Article(doc="t", text="Council Backs Library\n\n"))
    assert summary.text == "Council Backs Library"
