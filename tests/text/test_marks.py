"""Quotation-mark scanning within one paragraph. All texts are invented."""

from stance.text.marks import scan_paragraph


def _spans(text: str) -> list[str]:
    return [text[s.inner[0]:s.inner[1]] for s in scan_paragraph(text, 0, len(text))]


def test_a_stray_closer_ends_a_continuation_paragraph_whose_opener_was_left_out() -> None:
    assert _spans("We will keep going until the job is done.” She left.") == [
        "We will keep going until the job is done."]


def test_a_doubled_single_closer_after_a_single_quotation_is_no_continuation() -> None:
    text = ("Ann Lee said the plan was sound. " * 3 + "'On the contrary, he said they include "
            "'top people with skills.'' The ministry said nothing more.")
    assert all(not span.startswith("Ann Lee") for span in _spans(text))


def test_a_stray_closer_never_takes_a_whole_flattened_article() -> None:
    text = "The council met on Monday. " * 60 + "The end.” Then nothing."
    assert _spans(text) == []


def test_a_paragraph_of_stray_openers_has_no_spans_and_a_later_quote_is_still_found() -> None:
    assert _spans("‘a " * 2000 + "”") == []
    assert _spans("He said ‘we will win’ and left.") == ["we will win"]


def test_a_single_quotation_holding_a_double_one_is_one_span() -> None:
    text = ("Ada runs a choir. 'I know the old line \"act your age\" but I don't "
            "believe a word of it.' Ada is seventy.")
    assert _spans(text) == [
        "I know the old line \"act your age\" but I don't believe a word of it."]


def test_a_double_quotation_holding_a_single_one_is_still_one_span() -> None:
    assert _spans("He said \"I was 'shocked' by it\" and left.") == ["I was 'shocked' by it"]


def test_a_stray_apostrophe_does_not_pair_with_a_possessive_across_a_quotation() -> None:
    text = ("The coach said he would 'let 'em play. \"We are ready for this game,\" Smith said "
            "after the Giants' loss.")
    assert _spans(text) == ["We are ready for this game,"]
