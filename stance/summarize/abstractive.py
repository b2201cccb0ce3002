"""Model-written summaries: a chat causal LM or a seq2seq model, map-reduced over long input.

An article longer than the model's window is cut by tokens at sentence boundaries, each
chunk is summarised (map), and the partial summaries are summarised together (reduce),
recursively until they fit; ``Summary.chunks`` reports the number of chunks. Decoding
is greedy, so the same input gives the same summary.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from stance.backends.copying import DEFAULT_COPY_BIAS
from stance.errors import InputError
from stance.summarize import sentences as units
from stance.summarize.base import DEFAULT_SENTENCES, Summarizer, TokenCallback
from stance.types import Article

DEFAULT_LLM = "qwen-0.5b"
DEFAULT_MAX_NEW_TOKENS = 160
# Tokens kept free beside the prompt and the answer, for chat-template markup.
WINDOW_MARGIN = 64

SYSTEM_PROMPT = (
    "You are a careful news editor. Summarise the article for a reporter in plain sentences. "
    "State only facts written in the article; copy names and numbers exactly as written. "
    "No preamble, no bullet points, no opinions."
)
_BULLET = re.compile(r"^\s*(?:[-*•]+|\d+[.)])\s+")
_PREAMBLE = re.compile(r"^\s*(?:here is|here's|summary)\b[^:\n]*:\s*", re.IGNORECASE)
# Summarises one chunk that fits the window; streams to the callback when one is given.
Writer = Callable[[str, TokenCallback | None], str]


def length_instruction(sentences: int | None, words: int | None) -> str:
    if words is not None:
        return f"in at most {words} words"
    count = sentences or DEFAULT_SENTENCES
    return f"in {count} sentence{'s' if count != 1 else ''}"


def clean_output(text: str) -> list[str]:
    """Generated text -> sentences, without preambles, bullets or repeats."""
    text = _PREAMBLE.sub("", text.strip())
    lines = [_BULLET.sub("", line).strip() for line in text.splitlines()]
    return units.dedupe([s for line in lines if line for s in units.split(line)])


def chunk_by_tokens(
    source_sentences: list[str], count_tokens: Callable[[str], int], budget: int
) -> list[str]:
    """Consecutive sentences grouped into chunks of at most ``budget`` tokens.

    A single sentence over the budget is cut between words rather than dropped.
    """
    if budget < 1:
        raise InputError(f"no room for text in the model window (budget {budget} tokens)")
    pieces: list[str] = []
    for sentence in source_sentences:
        pieces.extend(_split_long(sentence, count_tokens, budget))
    chunks: list[str] = []
    current: list[str] = []
    for piece in pieces:
        candidate = " ".join([*current, piece])
        if current and count_tokens(candidate) > budget:
            chunks.append(" ".join(current))
            current = [piece]
        else:
            current.append(piece)
    if current:
        chunks.append(" ".join(current))
    return chunks


def _split_long(sentence: str, count_tokens: Callable[[str], int], budget: int) -> list[str]:
    if count_tokens(sentence) <= budget:
        return [sentence]
    tokens = sentence.split()
    if len(tokens) == 1:
        raise InputError(f"a single word is longer than the model window ({budget} tokens)")
    half = len(tokens) // 2
    return _split_long(" ".join(tokens[:half]), count_tokens, budget) + _split_long(
        " ".join(tokens[half:]), count_tokens, budget
    )


def map_reduce(
    source_sentences: list[str],
    write: Writer,
    count_tokens: Callable[[str], int],
    budget: int,
    on_token: TokenCallback | None = None,
) -> tuple[list[str], int]:
    """Summarise text that may exceed the window; returns sentences and the first chunk count.

    ``write(text, on_token)`` summarises text that fits; only the final call streams.
    """
    chunks = chunk_by_tokens(source_sentences, count_tokens, budget)
    if len(chunks) == 1:
        return clean_output(write(chunks[0], on_token)), 1
    partial = [s for chunk in chunks for s in clean_output(write(chunk, None))]
    reduced, _ = map_reduce(partial, write, count_tokens, budget, on_token)
    return reduced, len(chunks)


class ModelSummarizer(Summarizer):
    """A summariser around a generator from :mod:`stance.backends.hf`, map-reduced over chunks.

    ``generator`` may be passed ready-made (tests use a fake); otherwise ``loader`` (the name
    of an ``hf`` loader) loads ``model`` (or ``default_model``) once. Subclasses say how one
    chunk is summarised.
    """

    generative = True
    loader = ""
    default_model: str | None = None

    def __init__(
        self,
        model: str | None = None,
        generator: Any = None,
        max_new_tokens: int = DEFAULT_MAX_NEW_TOKENS,
        **kwargs: Any,
    ):
        if model is None and generator is None and self.default_model is None:
            raise InputError(
                f"the {self.method} method needs a model: pass a spec name or a local folder "
                "(e.g. a BART-large-CNN checkout)"
            )
        model = model or self.default_model or getattr(generator, "name", None)
        super().__init__(model=model, **kwargs)
        self._generator = generator
        self.max_new_tokens = max_new_tokens

    @property
    def generator(self) -> Any:
        if self._generator is None:
            from stance.backends import hf

            self._generator = getattr(hf, self.loader)(self.model)
        return self._generator

    @property
    def runtime_used(self) -> str | None:
        """The library running the loaded model (``llama.cpp`` or ``transformers``); None
        before a model is loaded (a resumed evaluation may never load one)."""
        if self._generator is None:
            return None
        return getattr(self._generator, "runtime", "transformers")

    def writer(self, sentences: int | None, words: int | None) -> tuple[Writer, int]:
        """``write(text, on_token)`` for a chunk that fits, and the chunk budget in tokens."""
        raise NotImplementedError

    def draft(
        self,
        article: Article,
        source_sentences: list[str],
        sentences: int | None,
        words: int | None,
        on_token: TokenCallback | None,
    ) -> tuple[list[str], int]:
        write, budget = self.writer(sentences, words)
        count = self.generator.count_tokens
        # a headline is not article text: models copy it as their first sentence
        body = units.without_headline(article.text, source_sentences)
        return map_reduce(body, write, count, budget, on_token)


class LLMSummarizer(ModelSummarizer):
    """A chat causal LM prompted for a factual summary (bundled default or any HF chat model).

    ``runtime``: ``auto`` runs GGUF models with llama.cpp when llama-cpp-python is installed
    (the ``llamacpp`` extra; several times faster on CPU) and everything else with
    transformers; ``transformers`` or ``llama.cpp`` force one. ``copy_bias`` nudges decoding
    toward the chunk's own wording (:mod:`stance.backends.copying`; 0 turns it off).
    """

    method = "llm"
    loader = "load_generator"
    default_model = DEFAULT_LLM

    def __init__(
        self,
        model: str | None = None,
        runtime: str = "auto",
        copy_bias: float = DEFAULT_COPY_BIAS,
        **kwargs: Any,
    ):
        super().__init__(model=model, **kwargs)
        if copy_bias < 0:
            raise InputError(f"copy_bias must be 0 or more, not {copy_bias}")
        self.runtime = runtime
        self.copy_bias = copy_bias

    @property
    def generator(self) -> Any:
        if self._generator is None:
            from stance.backends import llamacpp
            from stance.backends.registry import resolve

            if llamacpp.use_llamacpp(resolve(self.model), self.runtime):
                self._generator = llamacpp.load_llamacpp(self.model)
        return super().generator

    def messages(self, text: str, sentences: int | None, words: int | None) -> list[dict]:
        ask = f"Summarise this news article {length_instruction(sentences, words)}."
        return [
            {"role": "system", "content": SYSTEM_PROMPT},
            {"role": "user", "content": f"{ask}\n\nArticle:\n{text}\n\n{ask}"},
        ]

    def writer(self, sentences: int | None, words: int | None) -> tuple[Writer, int]:
        generator = self.generator

        def write(text: str, stream: TokenCallback | None) -> str:
            return generator.generate(
                self.messages(text, sentences, words),
                max_new_tokens=self.max_new_tokens,
                on_token=stream,
                copy_from=text,
                copy_bias=self.copy_bias,
            )

        empty = generator.prompt_text(self.messages("", sentences, words))
        overhead = generator.count_tokens(empty)
        return write, generator.context_window - self.max_new_tokens - overhead - WINDOW_MARGIN


class Seq2SeqSummarizer(ModelSummarizer):
    """An encoder-decoder summariser (BART, PEGASUS, T5) by spec name or local folder.

    Decoding follows the model's own generation config (e.g. beam search for BART-CNN, which
    is deterministic); streaming forces one beam, since streamers need a single hypothesis.
    """

    method = "seq2seq"
    loader = "load_seq2seq"

    def __init__(
        self,
        model: str | None = None,
        generator: Any = None,
        max_new_tokens: int = DEFAULT_MAX_NEW_TOKENS,
        prefix: str | None = None,
        **kwargs: Any,
    ):
        super().__init__(model, generator, max_new_tokens, **kwargs)
        self.prefix = prefix

    def writer(self, sentences: int | None, words: int | None) -> tuple[Writer, int]:
        generator = self.generator
        prefix = self.prefix
        if prefix is None:
            # T5 checkpoints are trained with a task prefix; BART and PEGASUS take raw text.
            prefix = "summarize: " if generator.model.config.model_type in ("t5", "mt5") else ""

        # BART-style decoders have learned positions, so the answer must fit the window too.
        max_new_tokens = min(self.max_new_tokens, generator.context_window - 2)

        def write(text: str, stream: TokenCallback | None) -> str:
            extra = {"num_beams": 1} if stream is not None else {}
            return generator.generate(
                prefix + text, max_new_tokens=max_new_tokens, on_token=stream, **extra
            )

        return write, generator.context_window - generator.count_tokens(prefix) - 2
