"""GGUF chat models run by llama.cpp (the ``llamacpp`` extra: ``llama-cpp-python``).

llama.cpp computes on the quantized GGUF weights directly, so a Q4_K_M model reads about a
sixth of the bytes per token that its float32 conversion does, and decodes several times
faster on CPU (eval/results/decode-speed.md). The generator has the interface of
:class:`stance.backends.hf.Generator` that the summarisers use (``generate``,
``count_tokens``, ``prompt_text``, ``context_window``); classifiers that read hidden states
keep the transformers backend.
"""

from __future__ import annotations

import atexit
import importlib.util
import os
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from stance.backends.copying import DEFAULT_COPY_BIAS, CopyBias
from stance.backends.registry import resolve
from stance.backends.specs import ModelSpec
from stance.errors import InputError, ModelError

Messages = list[dict[str, str]]
RUNTIMES = ("auto", "transformers", "llama.cpp")
# Tokens of context llama.cpp allocates for (its KV cache is sized up front); longer articles
# are cut into chunks of this size and summarised map-reduce, which small models also do better.
DEFAULT_CONTEXT = 8192


def available() -> bool:
    """Whether llama-cpp-python is installed."""
    return importlib.util.find_spec("llama_cpp") is not None


def use_llamacpp(spec: ModelSpec, runtime: str = "auto") -> bool:
    """Whether ``runtime`` means llama.cpp for ``spec``: asked for, or ``auto`` with a GGUF
    spec and llama-cpp-python installed."""
    if runtime not in RUNTIMES:
        raise InputError(f"unknown runtime {runtime!r}; choose one of {', '.join(RUNTIMES)}")
    if runtime == "llama.cpp":
        if spec.backend != "gguf":
            raise InputError(f"llama.cpp runs GGUF models; {spec.name!r} is not one")
        if not available():
            raise ModelError('llama.cpp is not installed: pip install -e ".[llamacpp]"')
        return True
    return runtime == "auto" and spec.backend == "gguf" and available()


class LlamaCppGenerator:
    """A chat model: messages in, text out, greedy, streamed to ``on_token`` if given."""

    runtime = "llama.cpp"

    def __init__(self, llama: Any, name: str) -> None:
        from llama_cpp.llama_chat_format import Jinja2ChatFormatter

        self.llama = llama
        self.name = name
        template = llama.metadata.get("tokenizer.chat_template")
        if not template:
            raise ModelError(f"GGUF model {name!r} has no chat template in its metadata")
        vocab = llama._model  # token ids to text for the template's special tokens

        def token_text(token: int) -> str:
            return vocab.token_get_text(token) if token >= 0 else ""

        self._formatter = Jinja2ChatFormatter(
            template, eos_token=token_text(llama.token_eos()), bos_token=token_text(
                llama.token_bos()),
            add_generation_prompt=True,
        )

    @property
    def context_window(self) -> int:
        """Tokens the model reads at once: the context allocated, capped by its training."""
        return min(int(self.llama.n_ctx()), int(self.llama._model.n_ctx_train()))

    def _tokens(self, text: str) -> list[int]:
        return self.llama.tokenize(text.encode("utf-8"), add_bos=False, special=True)

    def count_tokens(self, text: str) -> int:
        return len(self._tokens(text))

    def prompt_text(self, messages: Messages | str) -> str:
        """The exact prompt string the model sees (the GGUF's chat template applied)."""
        if isinstance(messages, str):
            messages = [{"role": "user", "content": messages}]
        return self._formatter(messages=messages).prompt

    def generate(
        self,
        messages: Messages | str,
        max_new_tokens: int = 256,
        on_token: Callable[[str], None] | None = None,
        copy_from: str | None = None,
        copy_bias: float = DEFAULT_COPY_BIAS,
    ) -> str:
        """Reply to ``messages`` greedily, nudged by ``copy_bias`` toward the wording of
        ``copy_from`` when it is given. A prompt that leaves no room for ``max_new_tokens``
        raises InputError: chunk it first."""
        from stance.backends.hf import check_room

        tokens = self._tokens(self.prompt_text(messages))
        n_prompt = len(tokens)
        check_room(n_prompt, max_new_tokens, self.context_window, self.name)
        processors = None
        if copy_from is not None and copy_bias:
            from llama_cpp import LogitsProcessorList

            bias = CopyBias(self._tokens(copy_from), copy_bias)

            def nudge(input_ids: Any, scores: Any) -> Any:
                return bias.apply(input_ids[n_prompt:], scores)

            processors = LogitsProcessorList([nudge])
        pieces = []
        for part in self.llama.create_completion(
            tokens, max_tokens=max_new_tokens, temperature=0.0, top_k=1, top_p=1.0,
            repeat_penalty=1.0, stream=True, logits_processor=processors,
        ):
            piece = part["choices"][0]["text"]
            pieces.append(piece)
            if on_token is not None and piece:
                on_token(piece)
        return "".join(pieces)


def load_llamacpp(name_or_path: str, context: int = DEFAULT_CONTEXT) -> LlamaCppGenerator:
    """A GGUF spec by name or alias, run by llama.cpp on this machine's cores."""
    return _llamacpp(resolve(name_or_path), context)


@lru_cache(maxsize=2)
def _llamacpp(spec: ModelSpec, context: int) -> LlamaCppGenerator:
    from llama_cpp import Llama

    from stance.backends.cache import gguf_file

    path = gguf_file(spec)
    threads = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    llama = Llama(
        model_path=str(path), n_ctx=context, n_threads=threads, n_threads_batch=threads,
        seed=0, verbose=False,
    )
    # freed while the interpreter still works: at teardown llama-cpp-python's finaliser
    # finds its C bindings already gone and prints a traceback
    atexit.register(llama.close)
    return LlamaCppGenerator(llama, spec.name)
