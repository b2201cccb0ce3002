"""The article's main stance target: a short noun phrase from the title and lead.

Candidates are spaCy noun chunks of the title and first paragraphs, also joined with a
following prepositional chunk ("cooperation" + "with" + "the Taliban"); bare person or
place names are dropped. Each is scored by
embedding similarity to the whole article (mean of paragraph embeddings), to the title,
and to its three nearest fellow candidates: the target is what the lead keeps rephrasing.
"""

from __future__ import annotations

from typing import Any

from stance.classify.embed import DEFAULT_EMBEDDER, encode, get_embedder
from stance.types import Article

LEAD_PARAGRAPHS = 3
SKIP_ENTITIES = {"DATE", "TIME", "CARDINAL", "ORDINAL", "PERCENT", "MONEY", "QUANTITY"}
# A bare name is who takes a side, rarely what the sides are about.
NAME_ENTITIES = {"PERSON", "GPE", "NORP"}


def detect_target(article: Article, embedder: Any = None, nlp: Any = None) -> str:
    """Best-scoring candidate phrase; the title (or '') when the lead has no noun phrase."""
    import numpy as np

    paragraphs = [p.strip() for p in article.text.split("\n") if p.strip()]
    title = (article.title or (paragraphs[0] if paragraphs else "")).strip()
    lead = [title] + [p for p in paragraphs[:LEAD_PARAGRAPHS] if p != title]
    if nlp is None:
        from stance.text.nlp import load_nlp

        nlp = load_nlp()
    candidates: dict[str, str] = {}
    for doc in nlp.pipe(lead):
        for phrase in _candidates(doc):
            candidates.setdefault(phrase.lower(), phrase)
    if not candidates:
        return title
    phrases = list(candidates.values())
    encoder = embedder if embedder is not None else get_embedder(DEFAULT_EMBEDDER)
    vectors = encode(phrases, encoder)
    whole = encode(paragraphs, encoder).mean(axis=0)
    whole /= max(float(np.linalg.norm(whole)), 1e-8)
    score = vectors @ whole + vectors @ encode([title], encoder)[0]
    if len(phrases) > 1:
        sims = vectors @ vectors.T
        np.fill_diagonal(sims, -1.0)
        k = min(3, len(phrases) - 1)
        score += np.sort(sims, axis=1)[:, -k:].mean(axis=1)
    return phrases[int(np.argmax(score))]


def _candidates(doc: Any) -> list[str]:
    chunks = [
        c
        for c in doc.noun_chunks
        if c.root.pos_ != "PRON" and c.root.ent_type_ not in SKIP_ENTITIES
    ]
    out = []
    for i, chunk in enumerate(chunks):
        if not _bare_name(chunk):
            out.append(_phrase(chunk))
        after = chunk.end
        if (
            i + 1 < len(chunks)
            and after < len(doc)
            and doc[after].pos_ == "ADP"
            and chunks[i + 1].start == after + 1
        ):
            out.append(_phrase(doc[chunk.start : chunks[i + 1].end]))
    return [p for p in out if p]


def _bare_name(span: Any) -> bool:
    """Only a person or place name (with determiners/titles), e.g. 'Flynn', 'Mrs. Clinton'."""
    content = [t for t in span if t.pos_ not in ("DET", "PUNCT", "PART")]
    return bool(content) and (
        all(t.ent_type_ in NAME_ENTITIES or t.pos_ == "PROPN" for t in content)
        and any(t.ent_type_ in NAME_ENTITIES for t in content)
    )


def _phrase(span: Any) -> str:
    """Span text with a leading non-name word lower-cased ('Cooperation with' -> 'cooperation').

    Title case makes spaCy tag common nouns as proper nouns, so names are told by entity type.
    """
    text = span.text.strip(" \t\n\"'“”‘’:;,.")
    if text and not span[0].ent_type_ and span[0].pos_ != "PROPN" and not span[0].text.isupper():
        text = text[0].lower() + text[1:]
    return text
