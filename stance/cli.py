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
        help="Replace sentences with unsupported names or numbers by source sentences.")] = True,
    fmt: Format = OutputFormat.table,
) -> None:
    """Summarise each article faithfully."""
    articles = _articles(inputs)
    from stance.render import Renderer
    from stance.summarize import DEFAULT_METHOD, get_summarizer

    options: dict[str, Any] = {"sentences": sentences, "words": words, "repair": repair}
    if stream:
        options["on_token"] = lambda token: (sys.stderr.write(token), sys.stderr.flush())
    summarizer = get_summarizer(method or DEFAULT_METHOD, model,
                                **{k: v for k, v in options.items() if v is not None})
    renderer = Renderer(fmt.value)
    with progress_bar("summarizing", len(articles)) as advance:
        for article in articles:
            renderer.add(summarizer.summarize(article))
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
    stance_method: Annotated[str, typer.Option(
        help="default, head, zeroshot or nli (see `stance classify`).")] = "default",
    stance_model: Annotated[str | None, typer.Option(help="Model for the stance.")] = None,
    labels: Annotated[str | None, typer.Option(
        help="Label set: a name (open-cautious-neutral, favor-against-none) or a YAML file.")]
    = None,
    sentences: Annotated[int | None, typer.Option(min=1, help="Summary length.")] = None,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="Append each report to this JSONL file as it is done.")] = None,
    resume: Annotated[bool, typer.Option(
        help="With --output: skip articles already in the file.")] = False,
    fmt: Format = OutputFormat.table,
) -> None:
    """Everything at once: summary, quotes with stances, and a roll-up per speaker."""
    from stance.analyze import AnalyzeOptions, Analyzer, analyze_corpus
    from stance.render import Renderer

    options = AnalyzeOptions(
        target=target, summary=summary, summary_method=summary_method,
        summary_model=summary_model, stance_method=stance_method, stance_model=stance_model,
        labelset=labels, sentences=sentences,
    )
    if resume and output is None:
        raise typer.BadParameter("--resume needs --output")
    articles = _articles(inputs, skip_bad=output is not None)
    renderer = Renderer(fmt.value)
    with progress_bar("analyzing", len(articles)) as advance:
        if output is None:
            analyzer = Analyzer(options)
            for article in articles:
                renderer.add(analyzer(article))
                advance()
        else:
            def reported(report: Any) -> None:
                renderer.add(report)
                advance()

            def failed(doc: str, error: Exception) -> None:
                typer.echo(f"warning: skipped {doc}: {error}", err=True)
                advance()

            stats = analyze_corpus(articles, output, options, resume=resume,
                                   on_report=reported, on_error=failed)
            typer.echo(f"{stats.done} analysed, {stats.skipped} already done, "
                       f"{len(stats.failed)} failed; results in {output}", err=True)
    renderer.close()


@app.command()
def classify(
    input: Annotated[str, typer.Argument(
        help="JSONL records with text, speaker and optional target, context (- for stdin).")],
    method: Annotated[str, typer.Option(help="default, head, zeroshot or nli.")] = "default",
    model: Model = None,
    labels: Annotated[str | None, typer.Option(help="Label set name or YAML file.")] = None,
    target: Annotated[str | None, typer.Option(
        help="Target for records that have none.")] = None,
) -> None:
    """Add stance, confidence and per-label scores to JSONL quote records."""
    from stance.text.read import read_jsonl_records

    records = read_jsonl_records(input, required=("text",))
    from stance.classify import get_classifier
    from stance.render import Renderer

    for record in records:
        if target and not record.get("target"):
            record["target"] = target
    classifier = get_classifier(method, model, labels)
    renderer = Renderer("jsonl")
    batch = 32
    with progress_bar("classifying", len(records)) as advance:
        for first in range(0, len(records), batch):
            chunk = records[first:first + batch]
            for record, stance in zip(chunk, classifier.predict(chunk), strict=True):
                renderer.add({**record, "stance": stance.label,
                              "confidence": stance.confidence, "scores": stance.scores})
            advance(done=first + len(chunk))
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
