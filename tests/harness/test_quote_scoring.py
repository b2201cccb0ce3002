import json
from pathlib import Path

import pytest

from stance.errors import DatasetError
from stance.harness.quote_scoring import (
    HELDOUT_FILES,
    GoldQuote,
    as_relations,
    load_dataset,
    load_heldout,
    match,
    names_agree,
    span_digest,
)
from stance.harness.tasks import benchmarks_root
from stance.summarize.evaluate import FRANK_FILE

ARTICLE = '"We will rebuild," Mayor Ana Ruiz said. She added that the road opens in May.'


def _write(root: Path, rows: list[dict]) -> Path:
    articles = root / FRANK_FILE
    articles.parent.mkdir(parents=True)
    row = {"id": "a1", "article": ARTICLE, "reference_sentences_clean": [], "system_summaries": {}}
    articles.write_text(json.dumps(row) + "\n", encoding="utf-8")
    annotations = root / "heldout.jsonl"
    annotations.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return annotations


def _row(text: str, speaker: str, mention: str | None, marks: bool) -> dict:
    start = ARTICLE.index(text)
    m_s = ARTICLE.index(mention) if mention is not None else None
    return {
        "article_id": "a1", "start": start, "end": start + len(text),
        "span_sha1": span_digest(text), "speaker": speaker, "mention_start": m_s,
        "mention_end": None if mention is None else m_s + len(mention), "has_marks": marks,
    }


def test_held_out_annotations_become_gold_quotes_with_names(tmp_path: Path) -> None:
    rows = [
        _row('"We will rebuild,"', "Ana Ruiz", "Ana Ruiz", True),
        _row("that the road opens in May", "Ana Ruiz", "She", False),
    ]
    docs = load_heldout(tmp_path, _write(tmp_path, rows))
    assert [d.doc for d in docs] == ["a1"]
    spans = [ARTICLE[s:e] for q in docs[0].quotes for s, e in q.segments]
    assert spans == ["We will rebuild", "the road opens in May"]  # marks, comma, "that" trimmed
    assert [(q.speaker, q.mention, q.has_marks) for q in docs[0].quotes] == [
        ("Ana Ruiz", "Ana Ruiz", True), ("Ana Ruiz", "She", False),
    ]


def test_a_held_out_span_outside_its_article_is_an_error(tmp_path: Path) -> None:
    bad = {**_row("We will", "Ana Ruiz", None, True), "end": len(ARTICLE) + 5}
    with pytest.raises(DatasetError, match="no such article or span"):
        load_heldout(tmp_path, _write(tmp_path, [bad]))


def test_a_held_out_span_whose_text_changed_is_an_error(tmp_path: Path) -> None:
    moved = {**_row("We will rebuild", "Ana Ruiz", None, True), "span_sha1": "000000000000"}
    with pytest.raises(DatasetError, match="no longer matches"):
        load_heldout(tmp_path, _write(tmp_path, [moved]))


@pytest.mark.parametrize(("name", "articles", "quotes"), [
    ("frank-heldout", 15, 161), ("frank-heldout-b", 15, 151), ("frank-heldout-c", 13, 159),
    ("frank-heldout-d", 14, 171), ("frank-heldout-e", 9, 81), ("polnear-heldout", 7, 50),
    ("polnear-heldout-f", 12, 196), ("polnear-heldout-g", 13, 174),
    ("polnear-heldout-h", 12, 151), ("polnear-heldout-i", 12, 169), ("polnear-heldout-j", 9, 116),
    ("polnear-heldout-k", 3, 44), ("polnear-heldout-l", 3, 110), ("polnear-heldout-m", 3, 114),
])
def test_bundled_held_out_sets_load_with_their_documented_counts(name, articles, quotes) -> None:
    if not (benchmarks_root() / FRANK_FILE).is_file():
        pytest.skip("needs the FRANK articles in ../shared/benchmarks")
    docs = load_dataset(name)
    assert (len(docs), sum(len(d.quotes) for d in docs)) == (articles, quotes)
    texts = {d.doc: d.text for d in docs}
    for line in HELDOUT_FILES[name].read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        span = texts[row["article_id"]][row["start"]:row["end"]]
        assert span_digest(span) == row["span_sha1"], row


@pytest.mark.parametrize(("pred", "gold", "alias", "strict"), [
    ("Milley", "Gen. Mark Milley", True, True),
    ("Mark Milley", "Milley", True, True),
    ("Frank Jordan", "Louis Jordan", True, False),  # a relative shares only the surname
    ("Jordan", "Louis Jordan", True, True),
    ("Frank Jordan", "Ann Smith", False, False),
    (None, "Ann Smith", False, False),
])
def test_names_agree_alias_and_strict(pred, gold, alias, strict) -> None:
    assert names_agree(pred, gold) is alias
    assert names_agree(pred, gold, strict=True) is strict


def test_quote_parts_around_their_attribution_score_as_one_polnear_relation() -> None:
    from stance.text.quotes import extract_quotes
    from stance.types import Article

    text = (
        '"We will rebuild the bridge," Mayor Ana Ruiz said on Monday. "It will take two years."'
        '\n\n"Nobody asked us," said Tom Hale.\n\n"Not once."'
    )
    parts = extract_quotes(Article("a", text), use_nlp=False)
    assert [p.text for p in parts] == [
        "We will rebuild the bridge", "It will take two years.", "Nobody asked us", "Not once."
    ]
    relations = as_relations(parts, text)
    # the floating quote after a paragraph break is a quote of its own
    assert [len(r.segments) for r in relations] == [2, 1, 1]
    assert relations[0].mention_start == text.index("Mayor")
    first, second = (text.index(p) for p in ("We will", "It will"))
    gold = [GoldQuote([(first, first + 26), (second, second + 23)], True)]
    assert match(gold, parts, 0.8) == []  # each part alone is too short a share of the gold
    assert match(gold, relations, 0.8) == [(0, 0)]
