"""Sentence embeddings for the head and for target detection, one loaded embedder per name."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

DEFAULT_EMBEDDER = "minilm"


@lru_cache(maxsize=4)
def get_embedder(name: str = DEFAULT_EMBEDDER) -> Any:
    from stance.backends.hf import load_embedder

    return load_embedder(name)


def encode(texts: Sequence[str], embedder: Any) -> Any:
    """Unit-normalised float32 embeddings (n x d); duplicate texts are encoded once."""
    import numpy as np

    unique = list(dict.fromkeys(texts))
    if not unique:
        return np.zeros((0, embedder.get_sentence_embedding_dimension()), dtype=np.float32)
    vectors = embedder.encode(
        unique, batch_size=64, normalize_embeddings=True, convert_to_numpy=True
    )
    index = {text: i for i, text in enumerate(unique)}
    return np.asarray(vectors, dtype=np.float32)[[index[text] for text in texts]]
