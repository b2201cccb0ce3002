from stance.analyze import quote_context
from stance.types import Article, Quote


def test_quote_context_starts_at_previous_paragraph():
    text = "Old paragraph.\nThe minister spoke.\nLater, “We agree,” she said."
    start = text.index("“")
    quote = Quote(doc="d", text="“We agree,”", start=start, end=start + 11)
    assert quote_context(Article("d", text), quote) == "The minister spoke. Later,"


def test_quote_context_is_limited_at_a_word():
    text = "alpha beta gamma delta\n“Quote,” he said."
    start = text.index("“")
    quote = Quote(doc="d", text="“Quote,”", start=start, end=start + 8)
    assert quote_context(Article("d", text), quote, limit=10) == "delta"
