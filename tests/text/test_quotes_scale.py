"""Long articles: speaker resolution stays linear-ish, NER runs in paragraph chunks."""

import re

from stance.text import speakers
from stance.text.nlp import chunks, entities
from stance.text.quotes import extract_quotes
from stance.types import Article

FIRST = ["Ann", "Raj", "Maria", "Tom", "Lena", "Kofi", "Ines", "Paul", "Yuki", "Omar"]
LAST = ["Lee", "Patel", "Garcia", "Brown", "Novak", "Mensah", "Silva", "Wright", "Sato"]


def _article(paragraphs: int) -> tuple[str, list[str]]:
    """A wire story of ``paragraphs`` paragraphs; each quotes a new person, then their
    surname, then a pronoun. Returns the text and the expected speaker of every quote."""
    parts, expected = [], []
    for i in range(paragraphs):
        name = f"{FIRST[i % len(FIRST)]} {LAST[i // len(FIRST) % len(LAST)]}{i // 90 or ''}"
        surname = name.split()[-1]
        parts.append(
            f'"We will look at item {i} again," said {name}, a councillor. '
            f"{surname} told reporters the budget for item {i} was sound. "
            f'"It is a fair plan," {surname} said.'
        )
        expected += [name] * 3
    return "\n\n".join(parts) + "\n", expected


def _check(text: str, expected: list[str], **kwargs) -> None:
    quotes = extract_quotes(Article("big", text), **kwargs)
    assert [q.speaker for q in quotes] == expected
    for q in quotes:
        assert text[q.start:q.end] == q.text
        assert text[q.mention_start:q.mention_end] == q.speaker_mention


def test_scale_two_megabyte_article_resolves_every_speaker(monkeypatch):
    calls = {"n": 0}
    real = speakers.SpeakerResolver._full_name

    def counting(self, mention, pos):
        calls["n"] += 1
        return real(self, mention, pos)

    monkeypatch.setattr(speakers.SpeakerResolver, "_full_name", counting)
    work = []
    for paragraphs in (1000, 14000):
        text, expected = _article(paragraphs)
        calls["n"] = 0
        _check(text, expected, use_nlp=False)
        work.append(calls["n"] / paragraphs)
    assert len(text) > 2_000_000
    # name lookups per paragraph do not grow with the article
    assert work[1] <= work[0] * 1.2


class _FakeNER:
    """Stands in for a spaCy pipeline: tags ``First Last`` pairs, refuses long texts."""

    max_length = 30_000
    pipe_names = ["ner"]

    def __init__(self):
        self.seen: list[int] = []

    def select_pipes(self, enable):
        import contextlib

        assert enable == ["ner"]
        return contextlib.nullcontext()

    def pipe(self, texts, batch_size=1):
        from types import SimpleNamespace

        pattern = re.compile(r"\b(?:" + "|".join(FIRST) + r") [A-Z][a-z]+\d*")
        for t in texts:
            assert len(t) <= self.max_length
            self.seen.append(len(t))
            ents = [SimpleNamespace(start_char=m.start(), end_char=m.end(), label_="PERSON")
                    for m in pattern.finditer(t)]
            yield SimpleNamespace(ents=ents)


def test_scale_ner_runs_in_paragraph_chunks_with_article_offsets():
    text, expected = _article(3000)
    nlp = _FakeNER()
    _check(text, expected, nlp=nlp)
    assert len(nlp.seen) > 1 and sum(nlp.seen) < len(text)
    paras = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)]
    ents, ner_end = entities(text, nlp, paras)
    assert ner_end == len(text)
    assert all(re.fullmatch(r"[A-Z][a-z]+ [A-Z][a-z]+\d*", text[e.start_char:e.end_char])
               for e in ents)
    assert len(ents) == 3000


def test_scale_ner_budget_leaves_the_rest_to_rules():
    text, expected = _article(3000)
    paras = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)]
    ents, ner_end = entities(text, _FakeNER(), paras, budget=50_000)
    assert 0 < ner_end < len(text) and all(e.end_char <= ner_end for e in ents)


def test_scale_chunks_cover_paragraphs_and_split_overlong_ones():
    text = "a" * 10 + "\n\n" + "word " * 5000 + "\n\n" + "b" * 10
    paras = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)]
    spans = chunks(text, paras, size=4000)
    assert all(hi - lo <= 4000 for lo, hi in spans)
    assert spans[0][0] == 0 and spans[-1][1] == len(text)
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:], strict=False))
    covered = "".join(text[lo:hi] for lo, hi in spans)
    assert covered.replace("\n", "") == text.replace("\n", "")
