"""Analyse a corpus of thousands of articles: resumable, in parallel, on Ray if need be.

Each report is appended to a JSONL file as soon as it is done, by the parent process only,
in completion order; on restart the docs already in the file are skipped, so a run that is
killed loses at most the articles in flight. Workers (processes or Ray actors) each build
their analyzer once, so models load once per worker. A bad article is reported and skipped;
only errors that would fail every article (a model that cannot load) stop the run.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import pickle
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from stance.analyze import AnalyzeOptions, Analyzer
from stance.errors import InputError, StanceError
from stance.text.read import TEXT_SUFFIXES, read_inputs
from stance.types import Article, Report

ENGINES = ("local", "ray")
DATASET_SUFFIXES = {".parquet": "parquet", ".csv": "csv", ".arrow": "arrow", ".json": "json"}
Outcome = tuple[Article, Report | None, Exception | None]


@dataclass
class CorpusStats:
    done: int = 0
    skipped: int = 0
    failed: list[str] = field(default_factory=list)


@dataclass
class CorpusOptions:
    """How to run a corpus; ``analyzer`` is a picklable factory of the per-worker pipeline
    (default ``Analyzer(options)``), e.g. a quote-only pipeline for benchmarks."""

    resume: bool = False
    workers: int = 1
    engine: str = "local"
    batch_size: int = 4
    analyzer: Callable[[], Callable[[Article], Report]] | None = None


class QuotesOnly:
    """Quote extraction alone (no stance, no summary): the cheap pipeline that benchmarks
    and tests run through the same corpus machinery as the full ``Analyzer``."""

    def __init__(self, use_nlp: bool = True) -> None:
        self.use_nlp = use_nlp

    def __call__(self, article: Article) -> Report:
        from stance.text.quotes import extract_quotes

        quotes = extract_quotes(article, use_nlp=self.use_nlp)
        return Report(doc=article.doc, target=None, summary=None, quotes=quotes)


# --------------------------------------------------------------------------- reading


class Corpus:
    """The articles named by inputs (files, folders, ``-``, JSONL or datasets), read lazily.

    With ``on_error`` an unreadable file, a bad JSONL line or a bad dataset row is reported
    and skipped; without it the first one raises ``InputError``.
    """

    def __init__(
        self, inputs: Sequence[str | Path], on_error: Callable[[InputError], None] | None = None,
        exclude: Sequence[Path] = (),
    ) -> None:
        self.inputs = [str(item) for item in inputs]
        self.on_error = on_error
        self.exclude = {path.resolve() for path in exclude}  # e.g. the results file

    def __iter__(self) -> Iterator[Article]:
        for item in self.inputs:
            path = Path(item)
            if item != "-" and dataset_kind(path):
                yield from read_dataset(path, on_error=self.on_error)
            elif path.is_dir():
                _check_folder(path)
                for file in self._files(path):
                    yield from read_inputs([file], on_error=self.on_error)
            else:
                yield from read_inputs([item], on_error=self.on_error)

    def _files(self, folder: Path) -> list[Path]:
        return sorted(p for p in folder.rglob("*")
                      if _is_text_file(p) and p.resolve() not in self.exclude)

    def size(self) -> int | None:
        """How many articles the inputs hold (``None`` for stdin), without keeping texts."""
        total = 0
        for item in self.inputs:
            path = Path(item)
            if item == "-":
                return None
            if dataset_kind(path):
                total += sum(len(split) for split in _load_dataset(path).values())
            elif path.is_dir():
                total += sum(_count_file(file) for file in self._files(path))
            elif path.is_file():
                total += _count_file(path)
        return total


def dataset_kind(path: Path) -> str | None:
    """``saved`` (``save_to_disk`` folder), a file format, ``folder`` of data files, or None."""
    if path.is_file():
        return DATASET_SUFFIXES.get(path.suffix.lower())
    if not path.is_dir():
        return None
    if (path / "dataset_info.json").is_file() and (path / "state.json").is_file():
        return "saved"
    files = [p for p in path.rglob("*") if p.is_file() and not p.name.startswith(".")]
    if any(p.suffix.lower() in TEXT_SUFFIXES for p in files):
        return None
    if any(p.suffix.lower() in DATASET_SUFFIXES for p in files):
        return "folder"
    return None


def read_dataset(
    path: Path, text_field: str = "text",
    on_error: Callable[[InputError], None] | None = None,
) -> Iterator[Article]:
    """Articles from a local dataset (parquet, CSV, JSON, Arrow or a ``save_to_disk`` folder)
    with a ``text`` column; ids come from ``doc`` or ``id`` if present, else the row number."""
    for name, split in _load_dataset(path).items():
        columns = split.column_names
        if text_field not in columns:
            raise InputError(f"{path}: dataset split {name!r} has no {text_field!r} column "
                             f"(columns: {', '.join(columns)})")
        id_field = next((c for c in ("doc", "id") if c in columns), None)
        for number, row in enumerate(split, start=1):
            where = f"{path}[{name}]:{number}"
            text = row[text_field]
            if not isinstance(text, str) or not text.strip():
                error = InputError(f"{where}: row has no text")
                if on_error is None:
                    raise error
                on_error(error)
                continue
            doc = row.get(id_field) if id_field else None
            doc = str(doc) if doc not in (None, "") else f"{path.stem}-{name}-{number}"
            title = row.get("title")
            yield Article(doc=doc, text=text, source=where,
                          title=title if isinstance(title, str) else None)


def _load_dataset(path: Path) -> dict[str, Any]:
    """The splits of a local dataset, memory-mapped by ``datasets`` (not held in memory)."""
    import datasets

    kind = dataset_kind(path)
    datasets.logging.set_verbosity_error()
    datasets.disable_progress_bars()
    try:
        if kind == "saved":
            loaded = datasets.load_from_disk(str(path))
        elif kind == "folder":
            loaded = datasets.load_dataset(str(path))
        else:
            loaded = datasets.load_dataset(kind, data_files=str(path))
    except Exception as error:  # datasets raises many unrelated types for unreadable data
        message = " ".join(str(error).split())[:200]
        raise InputError(f"{path}: cannot be read as a dataset ({type(error).__name__}: "
                         f"{message}); it needs a 'text' column") from error
    if isinstance(loaded, datasets.Dataset):
        return {"train": loaded}
    return dict(loaded)


def _check_folder(path: Path) -> None:
    if path.is_dir() and not any(_is_text_file(p) for p in path.rglob("*")):
        known = sorted(TEXT_SUFFIXES | set(DATASET_SUFFIXES))
        raise InputError(f"{path}: folder holds no text files or dataset "
                         f"(looked for {', '.join(known)})")


def _is_text_file(path: Path) -> bool:
    return (path.is_file() and path.suffix.lower() in TEXT_SUFFIXES
            and not path.name.startswith("."))


def _count_file(path: Path) -> int:
    if path.suffix.lower() != ".jsonl":
        return 1
    with path.open("rb") as handle:
        return sum(1 for line in handle if line.strip())


# --------------------------------------------------------------------------- resuming


def finished_docs(output: Path) -> set[str]:
    """Docs already written to a results file; a torn last line (killed mid-write) is cut off.

    A bad line anywhere else is not a torn write, so it raises rather than losing results.
    """
    if not output.exists():
        return set()
    done: set[str] = set()
    good = 0
    torn = None
    with output.open("rb") as handle:
        for number, line in enumerate(handle, start=1):  # binary: split at b"\n" only
            if torn is not None:
                raise InputError(f"{output}:{torn}: not a result line; fix or delete it, "
                                 "then rerun with --resume")
            try:
                record = json.loads(line)
                doc = record["doc"] if line.endswith(b"\n") else None
            except (json.JSONDecodeError, UnicodeDecodeError, TypeError, KeyError):
                doc = None
            if not isinstance(doc, str):
                torn = number
                continue
            done.add(doc)
            good += len(line)
    if torn is not None:
        with output.open("r+b") as handle:
            handle.truncate(good)
    return done


# --------------------------------------------------------------------------- running


def analyze_corpus(
    articles: Iterable[Article],
    output: Path | None,
    options: AnalyzeOptions | None = None,
    run: CorpusOptions | None = None,
    on_report: Callable[[Report], None] | None = None,
    on_error: Callable[[str, Exception], None] | None = None,
    on_skip: Callable[[str], None] | None = None,
) -> CorpusStats:
    """Analyse articles, appending each report to ``output`` (JSONL) as soon as it is done.

    With ``run.resume`` the docs already in ``output`` are skipped (``on_skip``); without it
    an existing non-empty ``output`` is refused rather than overwritten. A failed article goes
    to ``on_error`` and the run goes on; a duplicate doc id is reported the same way.
    """
    run = run or CorpusOptions()
    if run.engine not in ENGINES:
        raise InputError(f"unknown engine {run.engine!r}; choose one of {', '.join(ENGINES)}")
    if run.workers < 1:
        raise InputError(f"workers must be at least 1, got {run.workers}")
    factory = run.analyzer or partial(Analyzer, options)
    done = set()
    if output is not None:
        if run.resume:
            done = finished_docs(output)
        elif output.exists() and output.stat().st_size:
            raise InputError(f"{output} already holds results; pass --resume to continue it, "
                             "or delete it to start over")
        output.parent.mkdir(parents=True, exist_ok=True)
        output.touch()
    stats = CorpusStats()
    seen: set[str] = set()

    def todo() -> Iterator[Article]:
        for article in articles:
            if article.doc in done:
                stats.skipped += 1
                if on_skip:
                    on_skip(article.doc)
            elif article.doc in seen:
                _fail(stats, on_error, article.doc, InputError(
                    f"{article.source or article.doc}: duplicate doc id {article.doc!r}, skipped"))
            else:
                seen.add(article.doc)
                yield article

    if run.engine == "ray":
        outcomes = _ray_outcomes(todo(), factory, run.workers, run.batch_size)
    elif run.workers > 1:
        outcomes = _pool_outcomes(todo(), factory, run.workers)
    else:
        outcomes = _serial_outcomes(todo(), factory)
    sink = output.open("a", encoding="utf-8") if output is not None else None
    try:
        for article, report, error in outcomes:
            if report is None:
                _fail(stats, on_error, article.doc, error)
                continue
            if sink is not None:
                sink.write(json.dumps(report.to_dict(), ensure_ascii=False) + "\n")
                sink.flush()
            stats.done += 1
            if on_report:
                on_report(report)
    finally:
        if sink is not None:
            sink.close()
    return stats


def is_fatal(error: BaseException) -> bool:
    """Errors that would fail every article (models, missing code) stop the run."""
    return (isinstance(error, StanceError) and not isinstance(error, InputError)) or isinstance(
        error, (ImportError, KeyboardInterrupt, SystemExit))


def _fail(stats: CorpusStats, on_error: Callable[[str, Exception], None] | None, doc: str,
          error: Exception | None) -> None:
    if error is not None and is_fatal(error):
        raise error
    stats.failed.append(doc)
    if on_error:
        on_error(doc, error or InputError(f"{doc}: analysis failed"))


def _analyse(analyzer: Callable[[Article], Report], article: Article) -> Outcome:
    try:
        return article, analyzer(article), None
    except Exception as error:  # one bad article must not end a corpus run
        if is_fatal(error):
            raise
        return article, None, error


def _serial_outcomes(articles: Iterator[Article], factory: Callable[[], Any]) -> Iterator[Outcome]:
    analyzer = factory()
    for article in articles:
        yield _analyse(analyzer, article)


def _worker_main(connection: Any, factory: Callable[[], Any], threads: int) -> None:
    """A worker process: analyses the articles the parent sends, one at a time, until None.
    The analyzer is built on the first article, so a model that cannot load fails that
    article's message like any fatal error, which the parent re-raises."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    # Split the cores between workers; set before torch loads in this fresh (spawned) process.
    os.environ.setdefault("OMP_NUM_THREADS", str(threads))
    analyzer = None
    while True:
        try:
            article = connection.recv()
        except (EOFError, OSError):  # the parent stopped early and closed the pipe
            return
        if article is None:
            return
        try:
            if analyzer is None:
                analyzer = factory()
            _, report, error = _analyse(analyzer, article)
            error = None if error is None else _portable(error, InputError)
            message = pickle.dumps((True, (article, report, error)))
        except BaseException as fatal:  # the parent decides what ends the run
            message = pickle.dumps((False, _portable(fatal, StanceError)))
        try:
            connection.send_bytes(message)
        except OSError:  # the parent stopped early and closed the pipe
            return


def _portable(error: BaseException, fallback: type[StanceError]) -> BaseException:
    """``error`` if the parent can rebuild it from a pickle, else ``fallback`` with its message
    (many exception types take constructor arguments that pickling does not replay)."""
    try:
        pickle.loads(pickle.dumps(error))
        return error
    except Exception:
        return fallback(f"{type(error).__name__}: {error}")


@dataclass
class _Worker:
    process: Any
    connection: Any

    def stop(self, *, wait: bool) -> None:
        """Reap the worker: after its current article if ``wait``, else at once. Closing the
        pipe lets an idle worker exit cleanly; a busy one is terminated after a short grace."""
        if wait:
            with contextlib.suppress(OSError):
                self.connection.send(None)
        self.connection.close()
        self.process.join(timeout=10 if wait else 2)
        if self.process.is_alive():
            self.process.terminate()
            self.process.join(timeout=10)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()


def _pool_outcomes(
    articles: Iterator[Article], factory: Callable[[], Any], workers: int
) -> Iterator[Outcome]:
    """Outcomes in completion order from ``workers`` spawned processes, one article each in
    flight. A worker that dies (a crash, the OOM killer) closes its pipe: the one article it
    held is reported as failed and a fresh worker takes its place. Every worker is reaped
    before this returns, also when the caller stops early or an error ends the run."""
    import multiprocessing
    from multiprocessing.connection import wait

    context = multiprocessing.get_context("spawn")
    threads = max(1, (os.cpu_count() or 1) // workers)

    def spawn() -> _Worker:
        parent_end, child_end = context.Pipe()
        process = context.Process(target=_worker_main, args=(child_end, factory, threads),
                                  daemon=True, name="stance-worker")
        process.start()
        child_end.close()  # so the parent's end reads EOF when the worker dies
        return _Worker(process, parent_end)

    idle = [spawn() for _ in range(workers)]
    busy: dict[Any, tuple[_Worker, Article]] = {}

    def collect() -> Iterator[Outcome]:
        """Wait until a busy worker answers or dies; yield each ready worker's outcome."""
        for connection in wait(list(busy)):
            worker, article = busy.pop(connection)
            try:
                data = connection.recv_bytes()
            except (EOFError, OSError):
                worker.stop(wait=False)
                idle.append(spawn())
                yield article, None, InputError(
                    f"{article.source or article.doc}: the worker analysing it died "
                    "(crash or out of memory); skipped")
                continue
            idle.append(worker)
            ok, payload = pickle.loads(data)
            if not ok:
                raise payload
            yield payload

    finished_cleanly = False
    try:
        for article in articles:
            if not idle:
                yield from collect()
            worker = idle.pop()
            if not worker.process.is_alive():  # died while idle (the OOM killer, say)
                worker.stop(wait=False)
                worker = spawn()
            busy[worker.connection] = (worker, article)
            with contextlib.suppress(OSError):  # a worker that dies now reads as EOF
                worker.connection.send(article)
        while busy:
            yield from collect()
        finished_cleanly = True
    finally:
        for worker in [*idle, *(worker for worker, _ in busy.values())]:
            worker.stop(wait=finished_cleanly)


class RayAnalyzer:
    """A Ray Data actor: builds the pipeline once, then analyses batches of articles."""

    def __init__(self, factory: Callable[[], Any]) -> None:
        self.analyzer = factory()

    def __call__(self, batch: dict[str, Any]) -> dict[str, Any]:
        import numpy as np

        outcomes = []
        for blob in batch["article"]:
            article = pickle.loads(blob)
            try:
                _, report, error = _analyse(self.analyzer, article)
            except Exception as fatal:  # re-raised by the driver, which alone decides
                report, error = None, fatal
            outcomes.append(pickle.dumps((article.doc, report, error)))
        return {"outcome": np.array(outcomes, dtype=object)}


def _ray_outcomes(
    articles: Iterator[Article], factory: Callable[[], Any], workers: int, batch_size: int
) -> Iterator[Outcome]:
    """Outcomes from ``workers`` Ray actors. Joins the cluster named by ``RAY_ADDRESS`` (or an
    already initialised one), else starts a local Ray instance."""
    try:
        import ray
    except ImportError as error:
        raise InputError('--engine ray needs Ray: pip install "ray[data]"') from error

    items = {article.doc: article for article in articles}
    if not items:
        return
    if not ray.is_initialized():
        ray.init(address=os.environ.get("RAY_ADDRESS"), include_dashboard=False,
                 log_to_driver=False, logging_level=logging.WARNING)
    context = ray.data.DataContext.get_current()
    context.enable_progress_bars = False
    context.print_on_execution_start = False
    dataset = ray.data.from_items([{"article": pickle.dumps(a)} for a in items.values()])
    results = dataset.map_batches(  # ``concurrency=workers`` before Ray 2.51
        RayAnalyzer, fn_constructor_args=(factory,),
        compute=ray.data.ActorPoolStrategy(size=workers),
        batch_size=batch_size, batch_format="numpy",
    )
    rows = iter(results.iter_rows())
    try:
        for row in rows:
            doc, report, error = pickle.loads(row["outcome"])
            yield items.pop(doc), report, error
    finally:
        close = getattr(rows, "close", None)
        if close is not None:
            close()  # stop the execution now, while Ray is still up
