"""Reported speech without quotation marks: subordinate clauses, advice, openers."""

import pytest

from stance.text.quotes import extract_quotes
from stance.types import Article


def _found(sentence: str) -> list[tuple[str, str | None]]:
    quotes = extract_quotes(Article("t", "Intro.\n\n" + sentence + "\n"), use_nlp=False)
    return [(q.text, q.speaker_mention) for q in quotes]


@pytest.mark.parametrize(("sentence", "expected"), [
    ("While critics say the plan is too costly, Smith says it will pay for itself soon.",
     [("the plan is too costly", "critics"), ("it will pay for itself soon", "Smith")]),
    ("Although officials said the bridge was safe, engineers warned that it needed repairs.",
     [("the bridge was safe", "officials"), ("it needed repairs", "engineers")]),
    ("Though Justice Harrow said he was reluctant to intervene, he believed that the council "
     "erred.",
     [("he was reluctant to intervene", "Justice Harrow"), ("the council erred", "he")]),
    ("While critics say the city should not pay a “middle man” for care, Ode says the fee "
     "makes everyone work harder.",
     [("the city should not pay a “middle man” for care", "critics"),
      ("the fee makes everyone work harder", "Ode")]),
])
def test_reported_subordinate_clause_ends_at_the_main_clause(sentence, expected):
    assert _found(sentence) == expected


@pytest.mark.parametrize(("sentence", "content", "mention"), [
    ("Police advised drivers to avoid the highway during the storm.",
     "to avoid the highway during the storm", "Police"),
    ("Mayor Jane Doe urged the council to approve the budget this month.",
     "to approve the budget this month", "Mayor Jane Doe"),
    ("It advised campers never to light a stove inside a tent.",
     "never to light a stove inside a tent", "It"),
])
def test_reported_urged_to_is_reported_advice(sentence, content, mention):
    assert _found(sentence) == [(content, mention)]


@pytest.mark.parametrize(("sentence", "expected"), [
    ("Still, Okonkwo said debt can strain a friendship.",
     ("debt can strain a friendship", "Okonkwo")),
    ("Trudeau's office said about 1,300 people attended the event.",
     ("about 1,300 people attended the event", "Trudeau's office")),
    ("Prices rose in March but economists say hiring is weak.",
     ("hiring is weak", "economists")),
    ("On Tuesday, Ms. Hale said a compromise could be reached.",
     ("a compromise could be reached", "Ms. Hale")),
])
def test_reported_openers_possessives_and_bare_plurals(sentence, expected):
    assert _found(sentence) == [expected]


@pytest.mark.parametrize(("sentence", "expected"), [
    ("The former chair of the Harbour Board said Monday he is weighing a run for mayor.",
     ("he is weighing a run for mayor", "The former chair of the Harbour Board")),
    ("The spokesperson for Tally Foods said the recall covers three plants.",
     ("the recall covers three plants", "The spokesperson for Tally Foods")),
])
def test_reported_speaker_is_the_role_not_the_organisation_after_it(sentence, expected):
    assert _found(sentence) == [expected]


def test_quotation_after_saying_is_attributed_to_the_clause_subject():
    sentence = (
        "The hospital issued a notice on Friday, saying an “outside audit” will examine "
        "the billing."
    )
    assert [m for _, m in _found(sentence)] == ["The hospital"]


def test_saying_subject_runs_through_a_role_to_the_name():
    sentence = (
        "Tellurian trade ministry spokeswoman Ana Vey hit back on Friday, saying rivals "
        "should “read the rules” first."
    )
    assert [m for _, m in _found(sentence)] == ["Tellurian trade ministry spokeswoman Ana Vey"]


@pytest.mark.parametrize(("sentence", "expected"), [
    ("Ada Lin said in a statement on Monday, “The plan is sound and we will see it through.”",
     ("The plan is sound and we will see it through.", "Ada Lin")),
    ("Rival candidate Bo Hale joked in his turn at the microphone, “It was only a dream then.”",
     ("It was only a dream then.", "Bo Hale")),
    ("“Our rivals are mocking our town,” said pulp and paper worker Dale Rourke.",
     ("Our rivals are mocking our town", "Dale Rourke")),
    ("“I was stunned by the verdict,” he was quoted as saying on the radio.",
     ("I was stunned by the verdict", "he")),
])
def test_direct_quote_attribution_variants(sentence, expected):
    assert _found(sentence)[:1] == [expected]


def test_mixed_quote_ends_where_its_quotation_closes_the_sentence():
    sentence = (
        'In a statement, Corvex said it is "working hard to restore every account." The '
        "company noted that the glitch had not touched any savings accounts."
    )
    assert _found(sentence) == [
        ('it is "working hard to restore every account."', "Corvex"),
        ("the glitch had not touched any savings accounts", "The company"),
    ]


@pytest.mark.parametrize(("sentence", "expected"), [
    ("The student union stated in March it opposed the tuition increase.",
     ("it opposed the tuition increase", "The student union")),
    ("He also noted several times that he wanted to coach again.",
     ("he wanted to coach again", "He")),
    ("She states however, that the problem has less to do with money.",
     ("the problem has less to do with money", "She")),
    ("Okafor admits in this case, there were several delays.",
     ("there were several delays", "Okafor")),
])
def test_reported_speech_after_an_adverbial(sentence, expected):
    assert _found(sentence) == [expected]


@pytest.mark.parametrize("sentence", [
    "Corvex did not say whether it accepted any terms for the merger.",
    "The firm declined to say whether the plant would close next year.",
    "Halvorsen is said to have two willing buyers for the ferries.",
    "Besides, the referee has the final say over disputed goals.",
    "In the end the league has the last say on every transfer.",
    "When the Greens first announced their ferry plans in 2019, few complained.",
])
def test_cues_that_report_no_speech(sentence):
    assert _found(sentence) == []


def test_content_with_a_leading_adverbial_before_a_final_attribution():
    sentence = "Since 2016, road spending in the province rose only 8 per cent, the audit said."
    assert _found(sentence) == [
        ("Since 2016, road spending in the province rose only 8 per cent", "the audit")
    ]


def test_reported_speech_of_a_relative_clause_subject():
    sentence = (
        "An inspector with the port authority who was at the hearing told reporters the "
        "cranes had failed twice."
    )
    assert _found(sentence) == [
        ("the cranes had failed twice", "An inspector with the port authority")
    ]


def test_sentence_with_a_short_quotation_and_a_final_attribution_is_mixed():
    sentence = "Most of the help comes through the “Activate” website and an app, says Kim Ode."
    quotes = extract_quotes(Article("t", "Intro.\n\n" + sentence + "\n"), use_nlp=False)
    assert [(q.kind, q.text, q.speaker_mention) for q in quotes] == [
        ("mixed", "Most of the help comes through the “Activate” website and an app", "Kim Ode")
    ]


@pytest.mark.parametrize(("sentence", "expected"), [
    ("The mill will close in March, according to sources close to the talks.",
     [("The mill will close in March", "sources")]),
    ("Democrats are preparing three options to keep the government running, aides said.",
     [("Democrats are preparing three options to keep the government running", "aides")]),
    ("They had two goals, Ruiz writes; to change how the mines were run, and to share the "
     "profits.",
     [("They had two goals", "Ruiz"), ("to change how the mines were run, and to share the "
                                        "profits", "Ruiz")]),
])
def test_reported_speech_with_unnamed_plural_sources_and_semicolons(sentence, expected):
    assert _found(sentence) == expected


@pytest.mark.parametrize(("sentence", "mention"), [
    ("Another member of the public said the trial was long overdue.",
     "Another member of the public"),
    ("The head of the union said talks would resume next week.", "The head of the union"),
])
def test_lowercase_description_keeps_its_head_before_a_prepositional_phrase(sentence, mention):
    quotes = extract_quotes(Article("t", "Intro.\n\n" + sentence + "\n"), use_nlp=False)
    assert [(q.speaker_mention, q.speaker) for q in quotes] == [(mention, mention)]


def test_possessive_owner_further_back_in_the_speaker_phrase():
    sentence = "Corvex Corp’s fraud unit said on Monday that the scams came from one gang."
    assert _found(sentence) == [
        ("the scams came from one gang", "Corvex Corp’s fraud unit")
    ]


@pytest.mark.parametrize(("sentence", "expected"), [
    ("“We will not sell the farm.” Jones writes that the family kept the land for a century.",
     [("We will not sell the farm.", None),
      ("the family kept the land for a century", "Jones")]),
    ("“And that is the point.” Most of the money comes from a “Start” grant and private "
     "donors, says Lee.",
     [("And that is the point.", None),
      ("Most of the money comes from a “Start” grant and private donors", "Lee")]),
    ("“Why me?” Smith asked.", [("Why me?", "Smith")]),
    ("“It is over.” Smith said, looking away.", [("It is over.", "Smith")]),
    ("“Are there prizes?” Lin asked before teeing off.", [("Are there prizes?", "Lin")]),
])
def test_a_quotation_ending_its_sentence_is_cut_from_the_next_sentence(sentence, expected):
    assert _found(sentence) == expected


@pytest.mark.parametrize(("sentence", "expected"), [
    ("Too often, she says, patients leave without help.",
     [("Too often", "she"), ("patients leave without help", "she")]),
    ("Local farmers, according to the survey, are selling fewer cattle this year.",
     [("Local farmers", "the survey"), ("are selling fewer cattle this year", "the survey")]),
    ("Still, he said, the plan would go ahead.", [("the plan would go ahead", "he")]),
])
def test_opening_before_an_attribution_set_off_by_commas_is_reported_too(sentence, expected):
    assert _found(sentence) == expected


@pytest.mark.parametrize("sentence", [
    "A claim the county's deficit is larger than stated could justify new fees.",
    "Some were so angry when the levy was announced they marched to city hall.",
    "He was told the office would close in the spring.",
    "Halvorsen is said to have two bidders for the shipyard.",
])
def test_noun_and_passive_cue_words_report_no_speech(sentence):
    assert _found(sentence) == []


@pytest.mark.parametrize(("sentence", "expected"), [
    ("The survey suggested that farm incomes fell sharply last year.", []),
    ("The new study estimated the cleanup would cost $2 billion.", []),
    ("The minister suggested the cleanup would cost $2 billion.",
     [("the cleanup would cost $2 billion", "The minister")]),
])
def test_a_document_that_suggests_or_estimates_reports_a_finding(sentence, expected):
    assert _found(sentence) == expected


def test_a_longer_quoted_subhead_is_a_heading_not_a_quote():
    text = ("Intro.\n\n'Hard to share such a small room with the same five people every night'\n\n"
            "“We will keep fighting for this park and for our kids,” she said\n")
    quotes = extract_quotes(Article("t", text), use_nlp=False)
    assert [q.text for q in quotes] == ["We will keep fighting for this park and for our kids"]


@pytest.mark.parametrize(("paragraph", "expected"), [
    ("Our crews are out in force tonight. Expect delays on the bridge. #storm #yvr "
     "pic.twitter.com/abc123 — City Works (@cityworks) March 3, 2020",
     [("Our crews are out in force tonight. Expect delays on the bridge.", "City Works")]),
    ("I had no job and no family (here). But I never gave up. Maria J. Lopez",
     [("I had no job and no family (here). But I never gave up.", "Maria J. Lopez")]),
    ("The ministers will meet in Geneva ahead of talks with U.S. President Joe Biden.", []),
    ("A jogger passes boarded-up shops on the north shore in this photo from 2017. Tess Moreau",
     []),
    ("The storm knocked out power to thousands of homes overnight. The Canadian Press", []),
])
def test_a_paragraph_signed_with_a_name_is_the_signer_s_quote(paragraph, expected):
    assert _found(paragraph) == expected


def test_attribution_closing_the_sentence_wins_over_a_one_word_opener():
    assert _found("Somehow, the crew will pull through, adds Omar Zidan.") == [
        ("Somehow, the crew will pull through", "Omar Zidan")
    ]


@pytest.mark.parametrize(("sentence", "expected"), [
    ("But she says she never liked cooking much: she notes that her father mostly used the "
     "stove for storage.",
     [("she never liked cooking much", "she"),
      ("her father mostly used the stove for storage", "she")]),
    ("He said the plan has three parts: roads, bridges and a new rail line.",
     [("the plan has three parts: roads, bridges and a new rail line", "He")]),
])
def test_reported_clause_ends_at_a_colon_that_opens_a_new_attribution(sentence, expected):
    assert _found(sentence) == expected


@pytest.mark.parametrize(("sentence", "expected"), [
    ("Many shelter users report they feel unsafe in large dormitories.",
     [("they feel unsafe in large dormitories", "Many shelter users")]),
    ("Officials will report to the council next week.", []),
])
def test_plural_report_introduces_a_reported_clause(sentence, expected):
    assert _found(sentence) == expected


@pytest.mark.parametrize(("sentence", "expected"), [
    ("They called it a stopgap that will not create jobs.",
     [("a stopgap that will not create jobs", "They")]),
    ("His fear rests on what he calls the city's quiet sale of parkland.",
     [("the city's quiet sale of parkland", "he")]),
    ("She called the police after midnight.", []),
    ("Neighbours called it a day and went home.", []),
])
def test_naming_without_quotation_marks_is_reported_speech(sentence, expected):
    assert _found(sentence) == expected


@pytest.mark.parametrize(("sentence", "expected"), [
    ("“The Girl Who Sailed Home” is a gentle film for older kids.", []),
    ("“Build That Wall,” they chanted.", [("Build That Wall", "they")]),
    ("“Stop the cuts” was painted on every sign.", [("Stop the cuts", None)]),
])
def test_a_quoted_title_in_title_case_is_not_speech(sentence, expected):
    assert _found(sentence) == expected


@pytest.mark.parametrize(("sentence", "expected"), [
    ('Other nominees were "ghosting," "crusty," "fully booked" and "accoutrements."', []),
    ('"We will win," he said, "no matter what the polls say."',
     [("We will win", "he"), ("no matter what the polls say.", None)]),
])
def test_short_items_of_a_quoted_list_are_not_quotes(sentence, expected):
    assert _found(sentence) == expected


@pytest.mark.parametrize(("sentence", "expected"), [
    ('A "flip tax" is when a city tells a seller to pay a fee on a quick resale.', []),
    ('"We are ready," Carolina coach Rod Brindle said.', [("We are ready", "Rod Brindle")]),
])
def test_a_clause_after_a_quotation_is_no_role_before_the_speaker(sentence, expected):
    assert _found(sentence) == expected


@pytest.mark.parametrize(("sentence", "expected"), [
    ("“Our aim is to keep our word,” she said, noting that voters have “real sway over what "
     "happens” in the capital.",
     [("Our aim is to keep our word", "she"),
      ("voters have “real sway over what happens” in the capital", "she")]),
    ("Smith said he is a “long way from deciding,” noting that he has served for nearly 40 "
     "years.",
     [("he is a “long way from deciding,”", "Smith"),
      ("he has served for nearly 40 years", "Smith")]),
])
def test_same_speaker_clause_after_a_quotation_may_quote_again(sentence, expected):
    assert _found(sentence) == expected


def test_reported_content_after_an_opening_according_to_may_hold_quotations():
    sentence = ("According to Brandt, the new app was a “refinement” of last year’s "
                "“tap-to-pay” design, and it will keep improving.")
    assert _found(sentence) == [(
        "the new app was a “refinement” of last year’s “tap-to-pay” design, and it will "
        "keep improving", "Brandt",
    )]


def test_a_long_opening_before_a_parenthetical_according_to_is_reported_too():
    sentence = ("But the new library will replace the old branch, which has three floors, "
                "according to the county, and that branch will shut in June.")
    assert _found(sentence) == [
        ("But the new library will replace the old branch, which has three floors",
         "the county"),
        ("and that branch will shut in June", "the county"),
    ]


@pytest.mark.parametrize(("sentence", "expected"), [
    ("The narrator tells us about a rising fear of deep water.", []),
    ("She said about half of the beds were empty.",
     [("about half of the beds were empty", "She")]),
    ("He points to the harbour ferry as a model that other towns could follow.", []),
    ("She pointed out that the clinic was full.", [("the clinic was full", "She")]),
    ("The longer the rain continues, the higher the river will rise.", []),
])
def test_topics_and_pointing_are_no_reported_speech(sentence, expected):
    assert _found(sentence) == expected


@pytest.mark.parametrize(("sentence", "expected"), [
    ("He also accused the council of ignoring renters, adding that the new rules favoured "
     "landlords.", [("the new rules favoured landlords", "He")]),
    ("In a letter last week, he lamented that parents had stopped coming to meetings.",
     [("parents had stopped coming to meetings", "he")]),
    ("He walked home, noting the late hour.", []),
])
def test_more_speech_verbs_and_participles_with_that(sentence, expected):
    assert _found(sentence) == expected


@pytest.mark.parametrize(("sentence", "expected"), [
    ("The adviser denied reports by two news outlets saying the talks had been called off.",
     [("the talks had been called off", "two news outlets")]),
    ("The clinic posted a notice saying the doors would close at noon.",
     [("the doors would close at noon", "a notice")]),
    ("He was seen saying goodbye to his family.", []),
])
def test_saying_right_after_a_noun_phrase_gives_its_words(sentence, expected):
    assert _found(sentence) == expected


@pytest.mark.parametrize(("sentence", "expected"), [
    # a relative clause or an apposition about the source is not more of what was said
    ("Prices fell sharply, according to Statistics Canada, which tracks them.",
     [("Prices fell sharply", "Statistics Canada")]),
    ("According to Statistics Canada, which tracks them, prices fell sharply.",
     [("prices fell sharply", "Statistics Canada")]),
    ("Sales fell for small breweries, said Mark Garth, executive director of the guild.",
     [("Sales fell for small breweries", "Mark Garth")]),
    # but a continuation after the attribution still is
    ("There is a quiet pleasure, insists Nell Ford, in seeing a plan through.",
     [("There is a quiet pleasure", "Nell Ford"), ("in seeing a plan through", "Nell Ford")]),
])
def test_what_follows_the_source_is_content_only_when_it_continues_the_sentence(
    sentence, expected
):
    assert _found(sentence) == expected


def test_an_attribution_closing_the_sentence_reports_the_reports_inside_it() -> None:
    sentence = ("Ross had told the guards that she wanted no escort at the gala, but the city "
                "turned that request down, the source added.")
    assert _found(sentence) == [(sentence[:sentence.index(", the source")], "the source")]


@pytest.mark.parametrize(("sentence", "mention"), [
    ("Some complained that the speeches had run on far too long.", "Some"),
    ("Many said that the coaches set off far too late.", "Many"),
    ("Some 200 people said the plan would fail.", "Some 200 people"),
])
def test_a_quantifier_alone_can_speak_for_a_group(sentence, mention):
    assert [m for _, m in _found(sentence)] == [mention]


# Cases from the session-5 review of the new rules: each failed on the reviewed commit.
@pytest.mark.parametrize(("sentence", "expected"), [
    ("The plan will fail, said Mark Garth, unless the city finds more money.",
     [("The plan will fail", "Mark Garth"), ("unless the city finds more money", "Mark Garth")]),
    ("All told, crews saved more than 200 homes.", []),
    ("All said and done, the project cost more than planned.", []),
    ("The minister said the talks would resume next week, he added.",
     [("the talks would resume next week", "The minister")]),
])
def test_review_cases_for_attributions(sentence, expected):
    assert _found(sentence) == expected
