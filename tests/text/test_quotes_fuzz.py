"""Property tests: extraction never raises and every offset is an exact slice.

Set STANCE_FUZZ_EXAMPLES to run more examples (default 200).
"""

import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stance.text.quotes import extract_quotes
from stance.types import Article

EXAMPLES = int(os.environ.get("STANCE_FUZZ_EXAMPLES", "200"))

FRAGMENTS = [
    '"', "“", "”", "‘", "’", "'", "«", "»", "„", "‹", "›",
    " he said", " she said.", ", said Jane Doe", " Smith told reporters", " according to CNBC",
    "Gen. Mark Milley, chairman of the board, said that ", " noted that ", ", they warned.",
    "The company said ", " don’t ", " Taliban’s ", " '90s ", "\n\n", "\n", ". ", ", ", ": ",
    "Dr. ", "U.S. ", "it", "We will win", "Mr. Lee", "—", "…", " ", "\u00a0", "\u200b",
]
pieces = st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=12))


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(st.lists(pieces, max_size=40).map("".join))
def test_extract_quotes_fuzz_offsets_exact(text: str) -> None:
    quotes = extract_quotes(Article(doc="fuzz", text=text), use_nlp=False)
    previous_end = 0
    for q in quotes:
        assert 0 <= q.start < q.end <= len(text)
        assert text[q.start:q.end] == q.text
        assert q.start >= previous_end
        previous_end = q.end
        assert q.kind in {"direct", "indirect", "mixed"}
        if q.mention_start is not None:
            assert text[q.mention_start:q.mention_end] == q.speaker_mention
