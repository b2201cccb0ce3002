"""The dependency-parse layer (``use_nlp=True``): reported speech the rules miss, and
speaker mentions taken from the parsed subject. All sentences are invented."""

import pytest

from stance.text.quotes import extract_quotes
from stance.types import Article


def _article(sentence: str) -> Article:
    return Article("t", "Intro.\n\n" + sentence + "\n")


def _found(sentence: str, **kwargs) -> list[tuple[str, str | None]]:
    return [(q.text, q.speaker_mention) for q in extract_quotes(_article(sentence), **kwargs)]


@pytest.mark.parametrize(("sentence", "expected"), [
    # a long subject with a relative clause between it and the cue
    ("The union, which represents some 4,000 nurses across the province, argued that "
     "staffing levels were unsafe.",
     [("staffing levels were unsafe", "The union")]),
    # a conjunct cue shares the subject of the first verb
    ("The mayor praised the volunteers on Sunday and said the shelter would stay open all "
     "winter.",
     [("the shelter would stay open all winter", "The mayor")]),
])
def test_parse_finds_reported_speech_the_rules_miss(sentence, expected):
    assert _found(sentence, use_nlp=False) == []
    quotes = extract_quotes(_article(sentence))
    assert [(q.text, q.speaker_mention) for q in quotes] == expected
    assert all(q.kind == "indirect" and q.text == _article(sentence).text[q.start:q.end]
               for q in quotes)


def test_parse_replaces_a_description_taken_from_the_subjects_modifiers():
    sentence = ("Residents of the lakeside village, many of them retired teachers, told the "
                "inquiry that the water had been unsafe for months.")
    assert _found(sentence) == [("the water had been unsafe for months", "Residents")]


@pytest.mark.parametrize("sentence", [
    # a document is not a speaker for the parse layer
    "The annual report released by the agency argued that prices would keep rising.",
    # a first-person subject is the writer
    "I said in my last column that the council would regret the vote.",
    # a clause describing the speech, not reporting it
    "The mayor recalled how the old bridge had collapsed during the flood.",
])
def test_parse_layer_skips_non_reports(sentence):
    assert _found(sentence) == _found(sentence, use_nlp=False)


def test_pipeline_without_parser_gives_the_rule_spans():
    spacy = pytest.importorskip("spacy")
    sentence = "The union, which represents many nurses, argued that staffing levels were unsafe."
    assert _found(sentence, nlp=spacy.blank("en")) == _found(sentence, use_nlp=False)


def test_parse_takes_the_name_in_apposition_to_a_described_subject():
    sentence = ("Ray's lawyer, Dina Morales, made a frank admission at the hearing on Thursday "
                "that her client had thrown the rock that hit Omar but added the girl was "
                "'foolish' and had only wanted to 'warn the boys'.")
    assert _found(sentence)[-1][1] == "Dina Morales"


@pytest.mark.parametrize("use_nlp", [True, False])
@pytest.mark.parametrize(("text", "mention", "speaker"), [
    # a relative clause's antecedent speaks, not the noun after the cue
    ("Ann Roe is being sued by a Polish wannabe actor who claims the Hollywood singer 'took his "
     "pet goat' when they were children. Piotr Nowak alleges that the two were friends at "
     "school.", "a Polish wannabe actor", "Piotr Nowak"),
    # a kin noun heads the description, before its home town
    ("A cheerful widow from Derby who still goes dancing every weekend admits her habits "
     "would have shocked her parents. Rose Quill, 71, remembers her mother knitting by the "
     "stove.", "A cheerful widow from Derby", "Rose Quill"),
])
def test_a_lede_description_is_the_person_named_next(use_nlp, text, mention, speaker):
    first = extract_quotes(Article("t", text), use_nlp=use_nlp)[0]
    assert (first.speaker_mention, first.speaker) == (mention, speaker)


def test_a_conjunct_cue_after_a_passive_or_copular_head_shares_its_subject():
    sentence = ("Rossi was beaten, but said that the final could go quite differently from "
                "the heats.")
    assert _found(sentence) == [("the final could go quite differently from the heats", "Rossi")]


@pytest.mark.parametrize("use_nlp", [True, False])
def test_a_name_after_with_speaks_through_a_participle(use_nlp):
    sentence = ("They play Rovers on Friday with Hatton admitting he lacks the squad to win "
                "ugly games.")
    assert _found(sentence, use_nlp=use_nlp) == [("he lacks the squad to win ugly games", "Hatton")]


@pytest.mark.parametrize("use_nlp", [True, False])
def test_a_letter_with_no_named_writer_is_the_organisation_that_just_spoke(use_nlp):
    text = ("Bristol City have said sorry. Now the club has admitted that the coaches left too "
            "late. The letter, seen by reporters, reads: 'We laid on the buses so that every fan "
            "could get there.' It went out on Monday, a week after the Premier League game.")
    quotes = extract_quotes(Article("t", text), use_nlp=use_nlp)
    assert [q.speaker for q in quotes] == ["Bristol City", "Bristol City"]


@pytest.mark.parametrize("use_nlp", [True, False])
def test_a_person_the_story_never_names_keeps_the_description_it_opened_with(use_nlp):
    text = ("A college undergraduate has claimed that rent in the city left her no choice. "
            "Speaking through the Union of Renters', the woman said that she had tried three "
            "jobs. She said: 'None of them paid enough to cover the rent.' The student added "
            "that she would finish her degree.")
    quotes = extract_quotes(Article("t", text), use_nlp=use_nlp)
    assert len(quotes) == 4
    assert {q.speaker for q in quotes} == {"A college undergraduate"}
