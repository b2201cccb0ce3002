"""Decode speed of the default generator (qwen-0.5b) on CPU, every variant in one run.

Measures prefill and decode tokens/s with plain ``model.generate`` (greedy) for float32 (the
baseline), bfloat16, torch's dynamic int8, stance's weight-only int8, thread counts, the OpenMP
wait policy and a static KV cache, and llama.cpp on the shipped GGUF and on that GGUF
re-quantized to other formats, next to the machine's memory-bandwidth bound (bandwidth /
bytes of weights read per decoded token). Each variant runs in its own process, because thread
and OpenMP settings only take effect before torch starts; quality is scored against the float32
baseline's next-token distribution over the same prompt.

    python scripts/bench_decode.py [--model qwen-0.5b] [--new-tokens 32] [--repeats 2]

Writes eval/results/decode-speed.json and eval/results/decode-speed.md.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PROMPT_FILE = ROOT.parent / "shared" / "seed" / "milley-taliban.txt"  # read, never copied


def memory_bandwidth(size_mb: int = 512, repeats: int = 5) -> dict[str, float]:
    """Best-of-N bandwidths in GB/s: copies (which read and write every byte), and two
    read-only streams, a sum and a matrix-vector product (decoding reads weights, as they do)."""
    import numpy as np
    import torch

    src = np.ones(size_mb * 2**20 // 8, dtype=np.float64)
    dst = np.empty_like(src)
    best_np = min(_timed(lambda: np.copyto(dst, src)) for _ in range(repeats))
    tsrc = torch.ones(size_mb * 2**20 // 4, dtype=torch.float32)
    tdst = torch.empty_like(tsrc)
    best_torch = min(_timed(lambda: tdst.copy_(tsrc)) for _ in range(repeats))
    best_sum = min(_timed(lambda: tsrc.sum()) for _ in range(repeats))
    matrix = tsrc.view(-1, 4096)
    vector = torch.ones(4096)
    best_matvec = min(_timed(lambda: matrix @ vector) for _ in range(repeats))
    nbytes = 2 * src.nbytes
    return {
        "numpy_copy_gbs": nbytes / best_np / 1e9,
        "torch_copy_gbs": nbytes / best_torch / 1e9,
        "torch_sum_read_gbs": tsrc.nbytes / best_sum / 1e9,
        "torch_matvec_read_gbs": tsrc.nbytes / best_matvec / 1e9,
    }


def _timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def weight_bytes_per_token(model, bytes_per_weight: float) -> int:
    """Bytes read per decode step: every Linear (incl. lm_head) plus norms; one embedding row."""
    import torch

    linear = sum(m.weight.numel() for m in model.modules() if isinstance(m, torch.nn.Linear))
    other = sum(
        p.numel() for n, p in model.named_parameters()
        if "embed_tokens" not in n and p.dim() == 1
    )
    return int(linear * bytes_per_weight + other * 4)


class TokenClock:
    """A streamer that timestamps every ``put``: the first is the prompt, then one per token."""

    def __init__(self) -> None:
        self.times: list[float] = []

    def put(self, value) -> None:
        self.times.append(time.perf_counter())

    def end(self) -> None:
        pass


class Reference:
    """The float32 baseline's next-token log-probabilities over the prompt, kept in a file."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def score(self, logits) -> dict:
        import torch

        logprobs = logits.log_softmax(-1)
        if not self.path.exists():
            torch.save(logprobs, self.path)
        ref = torch.load(self.path)
        top1 = (logprobs.argmax(-1) == ref.argmax(-1)).float().mean().item()
        kl = (ref.exp() * (ref - logprobs)).sum(-1).mean().item()
        return {"top1_vs_fp32": top1, "kl_vs_fp32": kl}


def quantize_dynamic_int8(model):
    """torch.ao dynamic int8 (per-channel weights, activations quantised per call)."""
    import warnings

    import torch
    from torch.ao.quantization import per_channel_dynamic_qconfig, quantize_dynamic

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return quantize_dynamic(model, {torch.nn.Linear: per_channel_dynamic_qconfig})


def run_variant(folder: str, variant: dict, prompt_ids, new_tokens: int, repeats: int,
                reference: Reference) -> dict:
    import torch
    from transformers import AutoModelForCausalLM

    from stance.backends.hf import quantize_int8

    torch.set_num_threads(variant["threads"])
    start = time.perf_counter()
    dense = variant["dtype"] in ("float32", "bfloat16", "float16")
    load_dtype = getattr(torch, variant["dtype"]) if dense else torch.float32
    model = AutoModelForCausalLM.from_pretrained(folder, dtype=load_dtype, use_safetensors=True)
    model.eval()
    bytes_per_weight = {"float32": 4, "bfloat16": 2, "float16": 2}.get(variant["dtype"], 1)
    # int8 weight-only keeps norms and embeddings in bfloat16; dynamic int8 keeps them float32
    bytes_token = weight_bytes_per_token(model, bytes_per_weight)
    if variant["dtype"] == "int8":
        model = quantize_int8(model)
    elif variant["dtype"] == "int8-dynamic":
        model = quantize_dynamic_int8(model)
    load_s = time.perf_counter() - start
    options = {
        "max_new_tokens": new_tokens, "min_new_tokens": new_tokens, "do_sample": False,
        "temperature": None, "top_p": None, "top_k": None, "pad_token_id": 0,
    }
    if variant.get("cache"):
        options["cache_implementation"] = variant["cache"]
    runs = []
    try:
        with torch.inference_mode():
            logits = model(prompt_ids).logits[0].float()
            quality = reference.score(logits)
            del logits
            model.generate(prompt_ids, **{**options, "max_new_tokens": 2, "min_new_tokens": 2})
            for _ in range(repeats):
                clock = TokenClock()
                t0 = time.perf_counter()
                out = model.generate(prompt_ids, streamer=clock, **options)
                first, last = clock.times[1], clock.times[-1]
                runs.append({
                    "prefill_s": first - t0,
                    "decode_s": last - first,
                    "tokens": out[0, prompt_ids.shape[1]:].tolist(),
                })
    except Exception as exc:  # a variant that does not run is reported, not fatal
        return {**variant, "error": f"{type(exc).__name__}: {exc}"[:300], "load_s": load_s}
    finally:
        del model
        gc.collect()
    best_prefill = min(r["prefill_s"] for r in runs)
    best_decode = min(r["decode_s"] for r in runs)
    return {
        **variant,
        "load_s": round(load_s, 2),
        "prefill_tok_s": prompt_ids.shape[1] / best_prefill,
        "decode_tok_s": (new_tokens - 1) / best_decode,
        "decode_runs_tok_s": [(new_tokens - 1) / r["decode_s"] for r in runs],
        "bytes_per_token": bytes_token,
        "tokens": runs[0]["tokens"],
        **quality,
    }


def agreement(tokens: list[int], reference: list[int]) -> float:
    """Share of greedy tokens equal to the float32 baseline's, up to the first difference."""
    same = 0
    for a, b in zip(tokens, reference, strict=False):
        if a != b:
            break
        same += 1
    return same / max(len(reference), 1)


PASSIVE = {"OMP_WAIT_POLICY": "PASSIVE"}
VARIANTS = [  # the first is the float32 baseline and the quality reference
    {"label": "float32 (baseline)", "dtype": "float32", "threads": 2, "env": {}},
    {"label": "float32, passive OpenMP wait", "dtype": "float32", "threads": 2, "env": PASSIVE},
    {"label": "float32, 1 thread", "dtype": "float32", "threads": 1, "env": {}},
    {"label": "bfloat16", "dtype": "bfloat16", "threads": 2, "env": {}},
    {"label": "bfloat16, passive", "dtype": "bfloat16", "threads": 2, "env": PASSIVE},
    {"label": "bfloat16, 1 thread", "dtype": "bfloat16", "threads": 1, "env": {}},
    {"label": "int8 dynamic (torch.ao), passive", "dtype": "int8-dynamic", "threads": 2,
     "env": PASSIVE},
    {"label": "int8 weight-only, passive", "dtype": "int8", "threads": 2, "env": PASSIVE},
    {"label": "int8 weight-only, 1 thread", "dtype": "int8", "threads": 1, "env": {}},
    {"label": "int8 weight-only, passive, static KV cache", "dtype": "int8", "threads": 2,
     "env": PASSIVE, "cache": "static"},
    {"label": "bfloat16, passive, static KV cache", "dtype": "bfloat16", "threads": 2,
     "env": PASSIVE, "cache": "static"},
    # another runtime on the same weights: llama.cpp computes on the GGUF's quantized blocks
    {"label": "llama.cpp, GGUF as shipped", "dtype": "gguf", "threads": 2, "env": {}},
    # the shipped Q4_K_M weights re-quantized by llama.cpp; the 4-bit formats with 32-weight
    # blocks have repacked CPU kernels
    {"label": "llama.cpp, re-quantized to Q8_0", "dtype": "gguf:Q8_0", "threads": 2, "env": {}},
    {"label": "llama.cpp, re-quantized to IQ4_NL", "dtype": "gguf:IQ4_NL", "threads": 2,
     "env": {}},
    {"label": "llama.cpp, re-quantized to Q4_0", "dtype": "gguf:Q4_0", "threads": 2, "env": {}},
]


def gguf_bytes_per_token(path: Path) -> int:
    """Bytes of GGUF tensors read per decoded token: all of them but the input embedding, of
    which one row is read (unless it doubles as the output layer)."""
    from gguf import GGUFReader

    tensors = {t.name: int(t.n_bytes) for t in GGUFReader(str(path)).tensors}
    if "output.weight" in tensors:
        tensors.pop("token_embd.weight", None)
    return sum(tensors.values())


def requantized(path: Path, quant: str) -> Path:
    """``path`` re-quantized by llama.cpp to ``quant`` (a LLAMA_FTYPE_MOSTLY_* suffix), once."""
    import ctypes
    import logging

    import llama_cpp

    target = path.with_name(f"{path.stem}.{quant.lower()}.gguf")
    if not target.is_file():
        logging.getLogger("llama-cpp-python").setLevel(logging.ERROR)
        params = llama_cpp.llama_model_quantize_default_params()
        params.ftype = getattr(llama_cpp, f"LLAMA_FTYPE_MOSTLY_{quant}")
        params.allow_requantize = True
        tmp = target.with_name(f".tmp-{target.name}")
        if llama_cpp.llama_model_quantize(str(path).encode(), str(tmp).encode(),
                                          ctypes.byref(params)) != 0:
            raise RuntimeError(f"llama.cpp could not re-quantize {path} to {quant}")
        tmp.replace(target)
    return target


def run_llamacpp(model: str, variant: dict, prompt_ids, new_tokens: int, repeats: int,
                 reference: Reference) -> dict:
    import torch
    from llama_cpp import Llama

    from stance.backends.cache import gguf_file

    path = gguf_file(model)
    if ":" in variant["dtype"]:
        path = requantized(path, variant["dtype"].split(":", 1)[1])
    threads = {"n_threads": variant["threads"], "n_threads_batch": variant["threads"]}
    prompt = prompt_ids[0].tolist()
    # the prompt's logits at every position, for the comparison with float32, need
    # logits_all, which slows decoding by about a tenth; speed is timed as stance runs it
    scorer = Llama(model_path=str(path), n_ctx=1024, logits_all=True, verbose=False, **threads)
    scorer.eval(prompt)
    quality = reference.score(torch.tensor(scorer.scores[: len(prompt)]))
    scorer.close()
    start = time.perf_counter()
    llama = Llama(model_path=str(path), n_ctx=1024, verbose=False, **threads)
    load_s = time.perf_counter() - start
    runs = []
    for _ in range(repeats):
        times, tokens = [], []
        llama.reset()  # forget the cached prompt, so that every run prefills it again
        t0 = time.perf_counter()
        for token in llama.generate(prompt, top_k=1, top_p=1.0, temp=0.0, repeat_penalty=1.0,
                                    reset=True):
            times.append(time.perf_counter())
            tokens.append(token)
            if len(tokens) >= new_tokens:
                break
        runs.append({"prefill_s": times[0] - t0, "decode_s": times[-1] - times[0],
                     "tokens": tokens})
    best = min(runs, key=lambda r: r["decode_s"])
    return {
        **variant,
        "load_s": round(load_s, 2),
        "prefill_tok_s": len(prompt) / min(r["prefill_s"] for r in runs),
        "decode_tok_s": (len(best["tokens"]) - 1) / best["decode_s"],
        "decode_runs_tok_s": [(len(r["tokens"]) - 1) / r["decode_s"] for r in runs],
        "bytes_per_token": gguf_bytes_per_token(path),
        "tokens": runs[0]["tokens"],
        **quality,
    }


def prompt_for(tokenizer, prompt_tokens: int):
    article = PROMPT_FILE.read_text(encoding="utf-8")
    body_ids = tokenizer(article, add_special_tokens=False)["input_ids"][:prompt_tokens]
    messages = [{"role": "user", "content": "Summarise in two sentences:\n\n"
                 + tokenizer.decode(body_ids)}]
    return tokenizer.apply_chat_template(
        messages, add_generation_prompt=True, return_tensors="pt", return_dict=True
    )["input_ids"]


def child(args: argparse.Namespace) -> None:
    """Run one variant (``--child N``) and write its row as JSON to ``--child-out``."""
    from transformers import AutoTokenizer

    variant = VARIANTS[args.child]
    folder = args.folder
    prompt_ids = prompt_for(AutoTokenizer.from_pretrained(folder), args.prompt_tokens)
    reference = Reference(Path(args.reference))
    if variant["dtype"].startswith("gguf"):
        row = run_llamacpp(args.model, variant, prompt_ids, args.new_tokens, args.repeats,
                           reference)
    else:
        row = run_variant(folder, variant, prompt_ids, args.new_tokens, args.repeats, reference)
    Path(args.child_out).write_text(json.dumps(row), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="qwen-0.5b")
    parser.add_argument("--new-tokens", type=int, default=32)
    parser.add_argument("--prompt-tokens", type=int, default=256)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--only", nargs="*", help="labels to run (default: all)")
    parser.add_argument("--out", default=str(ROOT / "eval" / "results" / "decode-speed"))
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--child-out", help=argparse.SUPPRESS)
    parser.add_argument("--folder", help=argparse.SUPPRESS)
    parser.add_argument("--reference", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child is not None:
        child(args)
        return
    import subprocess
    import tempfile

    import torch
    from transformers import AutoTokenizer

    from stance.backends.cache import prepare

    folder = str(prepare(args.model))
    tokenizer = AutoTokenizer.from_pretrained(folder)
    prompt_ids = prompt_for(tokenizer, args.prompt_tokens)
    load_before = os.getloadavg()
    bandwidth = memory_bandwidth()
    gbs = max(bandwidth.values())
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for index, variant in enumerate(VARIANTS):
            if args.only and variant["label"] not in args.only:
                continue
            out_file = Path(tmp) / f"{index}.json"
            command = [
                sys.executable, __file__, "--child", str(index), "--child-out", str(out_file),
                "--folder", folder, "--reference", str(Path(tmp) / "reference.pt"),
                "--new-tokens", str(args.new_tokens), "--prompt-tokens", str(args.prompt_tokens),
                "--repeats", str(args.repeats), "--model", args.model,
            ]
            env = {**os.environ, **variant["env"]}
            done = subprocess.run(command, env=env, capture_output=True, text=True)
            if done.returncode != 0 or not out_file.exists():
                row = {**variant, "error": done.stderr.strip().splitlines()[-1:]}
                row["error"] = f"exit {done.returncode}: {' '.join(row['error'])}"[:300]
            else:
                row = json.loads(out_file.read_text(encoding="utf-8"))
            results.append(row)
            print(_line(row), flush=True)
    base = next((r for r in results if r["label"].startswith("float32 (baseline)")), None)
    base_ok = base is not None and "error" not in base
    base_tokens = list(base["tokens"]) if base_ok else []
    for row in results:
        if "error" in row:
            continue
        row["bound_tok_s"] = gbs * 1e9 / row["bytes_per_token"]
        row["pct_of_bound"] = 100 * row["decode_tok_s"] / row["bound_tok_s"]
        if base_ok:
            row["decode_vs_baseline"] = row["decode_tok_s"] / base["decode_tok_s"]
            row["prefill_vs_baseline"] = row["prefill_tok_s"] / base["prefill_tok_s"]
            row["agreement_vs_fp32"] = agreement(row["tokens"], base_tokens)
        # only the agreement is kept: the greedy text would copy the seed article's opening
        del row["tokens"]
    report = {
        "command": "python scripts/bench_decode.py " + " ".join(sys.argv[1:]),
        "model": args.model,
        "prompt_tokens": int(prompt_ids.shape[1]),
        "new_tokens": args.new_tokens,
        "repeats": args.repeats,
        "machine": {
            "cpu": platform.processor() or platform.machine(), "cores": os.cpu_count(),
            "torch": torch.__version__, "loadavg_before": load_before,
            "loadavg_after": os.getloadavg(),
        },
        "bandwidth_gbs": bandwidth,
        "results": results,
    }
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.with_suffix(".json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    out.with_suffix(".md").write_text(_markdown(report), encoding="utf-8")
    print(_markdown(report))


def _line(row: dict) -> str:
    if "error" in row:
        return f"{row['label']}: failed: {row['error']}"
    return (f"{row['label']}: load {row['load_s']:.1f}s prefill {row['prefill_tok_s']:.1f} tok/s "
            f"decode {row['decode_tok_s']:.2f} tok/s")


def _markdown(report: dict) -> str:
    machine, bandwidth = report["machine"], report["bandwidth_gbs"]
    lines = [
        f"# Decode speed: {report['model']} on CPU",
        "",
        f"Command: `{report['command']}`  ",
        f"Prompt {report['prompt_tokens']} tokens, {report['new_tokens']} new tokens (greedy), "
        f"best of {report['repeats']} runs. torch {machine['torch']}, {machine['cores']} cores; "
        f"load average before/after: {machine['loadavg_before'][0]:.1f} / "
        f"{machine['loadavg_after'][0]:.1f} (other jobs shared the machine when > 0.5).",
        "Memory bandwidth: " + ", ".join(
            f"{name.removesuffix('_gbs').replace('_', ' ')} {value:.1f} GB/s"
            for name, value in bandwidth.items()
        ) + " (copies count the bytes read and written); the bound is the best of these"
        " divided by the weight bytes read per token.",
        "",
        "| variant | load s | prefill tok/s | decode tok/s | decode x fp32 | prefill x fp32 "
        "| bound tok/s | % of bound | top-1 = fp32 | KL vs fp32 | greedy prefix = fp32 |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for row in report["results"]:
        if "error" in row:
            lines.append(f"| {row['label']} | failed: {row['error'][:80]} |||||||||")
            continue
        lines.append(
            f"| {row['label']} | {row['load_s']:.1f} | {row['prefill_tok_s']:.1f} | "
            f"{row['decode_tok_s']:.2f} | {row.get('decode_vs_baseline', float('nan')):.2f} | "
            f"{row.get('prefill_vs_baseline', float('nan')):.2f} | {row['bound_tok_s']:.1f} | "
            f"{row['pct_of_bound']:.0f}% | {100 * row['top1_vs_fp32']:.1f}% | "
            f"{row['kl_vs_fp32']:.4f} | {100 * row.get('agreement_vs_fp32', 0):.0f}% |"
        )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
