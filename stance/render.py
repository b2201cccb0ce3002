"""One renderer for every command: rich tables for people, json/jsonl/markdown for pipes.

Items are written as they arrive, so a long run shows (and keeps) each result as soon as
it is done; ``json`` streams a well-formed array.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from dataclasses import asdict, is_dataclass
from typing import Any, TextIO

from stance.types import Quote, Report, Summary

FORMATS = ("table", "json", "jsonl", "markdown")
EXCERPT = 140
PIPE_WIDTH = 130


def to_record(item: Any) -> dict[str, Any]:
    """The JSON-ready dict of a result object (or a dict as it is)."""
    if hasattr(item, "to_dict"):
        return item.to_dict()
    if is_dataclass(item):
        return asdict(item)
    return dict(item)


def excerpt(text: str, limit: int = EXCERPT) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


class Renderer:
    """Writes items one by one in the chosen format; call ``close`` at the end."""

    def __init__(self, fmt: str = "table", stream: TextIO | None = None) -> None:
        if fmt not in FORMATS:
            raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
        self.fmt = fmt
        self.stream = stream or sys.stdout
        self.count = 0

    def add(self, item: Any) -> None:
        if self.fmt == "json":
            self.stream.write("[\n" if self.count == 0 else ",\n")
            self.stream.write(json.dumps(to_record(item), ensure_ascii=False, indent=2))
        elif self.fmt == "jsonl":
            self.stream.write(json.dumps(to_record(item), ensure_ascii=False) + "\n")
        elif self.fmt == "markdown":
            self.stream.write(_markdown(item) + "\n")
        else:
            _print_table(item, self.stream)
        self.stream.flush()
        self.count += 1

    def close(self) -> None:
        if self.fmt == "json":
            self.stream.write("[]\n" if self.count == 0 else "\n]\n")
            self.stream.flush()


def render_rows(
    title: str, columns: Sequence[str], rows: Sequence[Sequence[Any]], fmt: str = "table",
    stream: TextIO | None = None,
) -> None:
    """A plain table of rows (models, eval results, bench figures) in any format."""
    stream = stream or sys.stdout
    if fmt in ("json", "jsonl"):
        records = [dict(zip(columns, row, strict=True)) for row in rows]
        if fmt == "json":
            stream.write(json.dumps(records, ensure_ascii=False, indent=2) + "\n")
        else:
            stream.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    elif fmt == "markdown":
        stream.write(markdown_table(columns, rows) + "\n")
    else:
        from rich.table import Table

        table = Table(title=title)
        for column in columns:
            table.add_column(column)
        for row in rows:
            table.add_row(*(_cell(value) for value in row))
        _console(stream).print(table)
    stream.flush()


def markdown_table(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    def clean(value: Any) -> str:
        return _cell(value).replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(clean(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def _cell(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def _console(stream: TextIO) -> Any:
    """A rich console; when writing to a file or pipe, wide enough for the quote tables."""
    from rich.console import Console

    console = Console(file=stream)
    return console if console.is_terminal else Console(file=stream, width=PIPE_WIDTH)


def _quote_rows(quotes: Sequence[Quote], with_stance: bool) -> list[list[Any]]:
    rows = []
    for number, quote in enumerate(quotes, start=1):
        row: list[Any] = [number, quote.speaker or "(unknown)", excerpt(quote.text), quote.kind]
        if with_stance:
            row += [quote.stance.label, quote.stance.confidence] if quote.stance else [None, None]
        rows.append(row)
    return rows


def _quote_columns(with_stance: bool) -> list[str]:
    columns = ["#", "Speaker", "Quote", "Kind"]
    return columns + ["Stance", "Confidence"] if with_stance else columns


def _speaker_rows(report: Report) -> list[list[Any]]:
    return [
        [s.speaker, s.stance, s.confidence, s.quotes,
         ", ".join(f"{k} {v}" for k, v in s.label_counts.items() if v),
         excerpt(s.evidence or "", 100)]
        for s in report.speakers
    ]


SPEAKER_COLUMNS = ["Speaker", "Stance", "Confidence", "Quotes", "Labels", "Strongest evidence"]


def _summary_note(summary: Summary) -> str:
    notes = [f"method: {summary.method}" + (f" ({summary.model})" if summary.model else "")]
    if summary.chunks > 1:
        notes.append(f"{summary.chunks} chunks")
    if summary.repaired:
        notes.append(f"{summary.repaired} sentence(s) repaired")
    check = summary.check
    checked = [f"{n} {noun}{'' if n == 1 else 's'}" for n, noun in (
        (check.entities, "name"), (check.numbers, "number"), (check.quotations, "quotation")
    ) if n]
    if summary.unsupported:
        notes.append("unsupported: " + ", ".join(summary.unsupported))
    elif checked:
        notes.append(f"{', '.join(checked)} checked: all in the article")
    return "; ".join(notes)


def _markdown(item: Any) -> str:
    if isinstance(item, Report):
        parts = [f"## {item.doc}", ""]
        if item.target:
            parts += [f"**Target:** {item.target}", ""]
        if item.summary:
            parts += ["### Summary", "", item.summary.text, "", f"_{_summary_note(item.summary)}_",
                      ""]
        parts += ["### Quotes", "", markdown_table(_quote_columns(True),
                                                   _quote_rows(item.quotes, True)), ""]
        parts += ["### Speakers", "", markdown_table(SPEAKER_COLUMNS, _speaker_rows(item)), ""]
        return "\n".join(parts)
    if isinstance(item, Summary):
        return f"## {item.doc}\n\n{item.text}\n\n_{_summary_note(item)}_\n"
    if isinstance(item, list) and item and isinstance(item[0], Quote):
        return f"## {item[0].doc}\n\n" + markdown_table(
            _quote_columns(False), _quote_rows(item, False)) + "\n"
    record = to_record(item)
    return markdown_table(list(record), [list(record.values())])


def _print_table(item: Any, stream: TextIO) -> None:
    from rich.panel import Panel
    from rich.table import Table

    console = _console(stream)

    def table(title: str, columns: Sequence[str], rows: list[list[Any]]) -> Table:
        result = Table(title=title, title_justify="left", show_lines=False)
        for column in columns:
            result.add_column(column, overflow="fold")
        for row in rows:
            result.add_row(*(_cell(value) for value in row))
        return result

    if isinstance(item, Report):
        heading = item.doc + (f" — stance toward: {item.target}" if item.target else "")
        console.rule(f"[bold]{heading}")
        if item.summary:
            console.print(Panel(item.summary.text, title="Summary",
                                subtitle=_summary_note(item.summary)))
        console.print(table(f"Quotes ({len(item.quotes)})", _quote_columns(True),
                            _quote_rows(item.quotes, True)))
        console.print(table("Speakers", SPEAKER_COLUMNS, _speaker_rows(item)))
    elif isinstance(item, Summary):
        console.print(Panel(item.text, title=item.doc, subtitle=_summary_note(item)))
    elif isinstance(item, list):
        doc = item[0].doc if item else ""
        console.print(table(f"{doc}: {len(item)} quotes", _quote_columns(False),
                            _quote_rows(item, False)))
    else:
        record = to_record(item)
        console.print(table("", list(record), [list(record.values())]))
