"""One reader for every input kind: files, folders, ``-`` (stdin), HTML and JSONL corpora.

Text is decoded from bytes without newline translation, so quote offsets index the
text exactly as the file holds it (after decoding, and after HTML is reduced to text).
"""

from __future__ import annotations

import codecs
import json
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from stance.errors import InputError
from stance.types import Article

TEXT_SUFFIXES = {".txt", ".text", ".md", ".html", ".htm", ".jsonl"}
HTML_SUFFIXES = {".html", ".htm"}
BLOCK_TAGS = ["h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "blockquote", "pre", "figcaption"]
NOISE_TAGS = ["script", "style", "noscript", "nav", "header", "footer", "aside", "form",
              "iframe", "svg", "template", "button"]


def read_inputs(
    inputs: Iterable[str | Path], on_error: Callable[[InputError], None] | None = None
) -> Iterator[Article]:
    """Yield one Article per document named by ``inputs`` (files, folders or ``-``).

    Without ``on_error`` the first unreadable input raises; with it, each bad input is
    reported to the callback and skipped, so one bad article never stops a corpus run.
    """
    for item in inputs:
        if str(item) == "-":
            yield from _guard(
                lambda: _articles_from_bytes(sys.stdin.buffer.read(), "stdin", "stdin"), on_error)
            continue
        path = Path(item)
        if path.is_dir():
            files = sorted(
                p for p in path.rglob("*")
                if p.is_file() and p.suffix.lower() in TEXT_SUFFIXES and not p.name.startswith(".")
            )
            if not files:
                raise InputError(
                    f"{path}: folder holds no text files "
                    f"(looked for {', '.join(sorted(TEXT_SUFFIXES))})"
                )
            for file in files:
                yield from _guard(lambda file=file: read_file(file, on_error), on_error)
        elif path.exists():
            yield from _guard(lambda path=path: read_file(path, on_error), on_error)
        else:
            _report(InputError(f"{path}: no such file or folder"), on_error)


def _guard(
    articles: Callable[[], Iterator[Article]], on_error: Callable[[InputError], None] | None
) -> Iterator[Article]:
    try:
        yield from articles()
    except InputError as error:
        _report(error, on_error)


def _report(error: InputError, on_error: Callable[[InputError], None] | None) -> None:
    if on_error is None:
        raise error
    on_error(error)


def read_file(
    path: Path, on_error: Callable[[InputError], None] | None = None
) -> Iterator[Article]:
    """Yield the article(s) in one file; a ``.jsonl`` file holds one article per line.

    With ``on_error`` a bad JSONL line is reported and skipped and the other lines are read.
    """
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InputError(f"{path}: cannot be read ({error.strerror or error})") from error
    yield from _articles_from_bytes(data, path.stem, str(path), suffix=path.suffix.lower(),
                                    on_error=on_error)


def read_text(data: bytes, where: str) -> str:
    """Decode bytes as UTF-8 (or UTF-16/32 with a byte-order mark); refuse binary data."""
    for bom, encoding in (
        (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as error:
                raise InputError(f"{where}: invalid {encoding} text ({error.reason})") from error
    if b"\x00" in data[:8192]:
        raise InputError(f"{where}: looks like a binary file, not text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InputError(
            f"{where}: not valid UTF-8 (byte 0x{data[error.start]:02x} at offset {error.start}); "
            "convert it to UTF-8 first, e.g. with iconv"
        ) from error


def _articles_from_bytes(
    data: bytes, doc: str, where: str, suffix: str = "",
    on_error: Callable[[InputError], None] | None = None,
) -> Iterator[Article]:
    text = read_text(data, where)
    if not text.strip():
        raise InputError(f"{where}: empty input, nothing to analyse")
    if suffix == ".jsonl":
        yield from _articles_from_jsonl(text, where, on_error)
    elif suffix in HTML_SUFFIXES or _looks_like_html(text):
        yield html_to_article(text, doc, where)
    else:
        yield Article(doc=doc, text=text, source=where, title=_first_line(text))


def parse_jsonl(
    text: str, where: str, on_error: Callable[[InputError], None] | None = None
) -> Iterator[tuple[int, dict]]:
    """Yield (line number, record) for each non-blank line; a bad line raises InputError,
    or with ``on_error`` is reported to it and skipped.

    Lines end at ``\n`` only: JSON text may hold U+2028 and other characters that
    ``str.splitlines`` would treat as line breaks.
    """
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            _report(InputError(f"{where}:{number}: not valid JSON ({error.msg})"), on_error)
            continue
        if not isinstance(record, dict):
            kind = type(record).__name__
            _report(InputError(f"{where}:{number}: expected a JSON object, got {kind}"),
                    on_error)
            continue
        yield number, record


def read_jsonl_records(source: str | Path, required: tuple[str, ...] = ()) -> list[dict]:
    """All records of a JSONL file (or ``-`` for stdin), each checked for required fields."""
    where = "stdin" if str(source) == "-" else str(source)
    if where == "stdin":
        data = sys.stdin.buffer.read()
    else:
        try:
            data = Path(source).read_bytes()
        except OSError as error:
            raise InputError(f"{where}: cannot be read ({error.strerror or error})") from error
    records = []
    for number, record in parse_jsonl(read_text(data, where), where):
        missing = [name for name in required if not isinstance(record.get(name), str)]
        if missing:
            raise InputError(f"{where}:{number}: record has no string field {missing[0]!r}")
        records.append(record)
    if not records:
        raise InputError(f"{where}: no records")
    return records


def _articles_from_jsonl(
    text: str, where: str, on_error: Callable[[InputError], None] | None = None
) -> Iterator[Article]:
    for number, record in parse_jsonl(text, where, on_error):
        if not isinstance(record.get("text"), str):
            _report(InputError(f"{where}:{number}: record has no string field 'text'"), on_error)
            continue
        doc = str(record.get("doc") or record.get("id") or f"{Path(where).stem}-{number}")
        yield Article(doc=doc, text=record["text"], source=f"{where}:{number}",
                      title=record.get("title"))


def _looks_like_html(text: str) -> bool:
    head = text.lstrip()[:512].lower()
    return head.startswith("<!doctype html") or head.startswith("<html") or "<body" in head


def html_to_article(html: str, doc: str, where: str) -> Article:
    """Reduce a web page to its article text: block elements of <article>, <main> or <body>."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    title_tag = soup.find("h1") or soup.find("title")
    title = title_tag.get_text(" ", strip=True) if title_tag else None
    for tag in soup(NOISE_TAGS):
        tag.decompose()
    root = soup.find("article") or soup.find("main") or soup.body or soup
    blocks = []
    for element in root.find_all(BLOCK_TAGS):
        if element.find_parent(BLOCK_TAGS):
            continue  # nested block: its text is already in the parent's
        text = " ".join(element.get_text().split())
        if text:
            blocks.append(text)
    if not blocks:
        text = " ".join(root.get_text(" ", strip=True).split())
        blocks = [text] if text else []
    if not blocks:
        raise InputError(f"{where}: HTML page has no article text")
    return Article(doc=doc, text="\n\n".join(blocks), source=where, title=title)


def _first_line(text: str) -> str | None:
    for line in text.splitlines():
        if line.strip():
            return line.strip()[:200]
    return None
