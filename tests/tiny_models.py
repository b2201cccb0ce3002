"""Offline building blocks for tests that need a real (tiny, random) transformer."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def byte_bpe_tokenizer(corpus: Sequence[str], specials: Sequence[str] = (), **tokens: str) -> Any:
    """A byte-level BPE tokenizer (vocabulary 300) trained on ``corpus`` in memory."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=300, special_tokens=list(specials), show_progress=False,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
    )
    tok.train_from_iterator(list(corpus), trainer)
    return PreTrainedTokenizerFast(tokenizer_object=tok, **tokens)
