"""Hostile input, through the CLI and the library: a one-line message or a correct result,
never a traceback; in a corpus run a bad article is reported and skipped.

STANCE_FUZZ_EXAMPLES sets how many inputs the property test generates (default 200).
"""

import codecs
import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from stance import analyze as analyze_module
from stance.cli import app
from stance.corpus import QuotesOnly
from stance.errors import InputError
from stance.render import Renderer
from stance.text.quotes import extract_quotes
from stance.text.read import read_inputs
from stance.types import Report

runner = CliRunner()
STORY = 'Intro line.\n\n"We will not rule it out," Gen. Ann Lee said on Monday.\n'
FUZZ_EXAMPLES = int(os.environ.get("STANCE_FUZZ_EXAMPLES", "200"))


@pytest.fixture
def cheap_pipeline(monkeypatch):
    """`stance analyze` with quote extraction alone (no model), in this process."""
    quotes_only = QuotesOnly(use_nlp=False)
    monkeypatch.setattr(analyze_module.Analyzer, "__call__",
                        lambda self, article: quotes_only(article))


def assert_offsets_exact(text, records):
    for record in records:
        assert 0 <= record["start"] <= record["end"] <= len(text)
        assert text[record["start"]:record["end"]] == record["text"]
        if record.get("mention_start") is not None:
            mention = text[record["mention_start"]:record["mention_end"]]
            assert mention == record["speaker_mention"]


def quotes_cli(path):
    result = runner.invoke(app, ["quotes", str(path), "--format", "jsonl"])
    assert "Traceback" not in result.output + result.stderr
    return result


def one_line_error(result, message):
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1
    assert message in result.stderr
    assert "Traceback" not in result.output + result.stderr


@pytest.mark.parametrize(("content", "message"), [
    (b"", "empty input"),
    (b" \n\t\r\n  \n", "empty input"),
    (codecs.BOM_UTF8 + b"  \n", "empty input"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
    (b"caf\xe9 \xff\xfe bad", "not valid UTF-8"),
    (codecs.BOM_UTF16_LE + b"\x00\xd8", "invalid utf-16"),
])
@pytest.mark.parametrize("command", ["quotes", "analyze"])
def test_hardening_bad_file_is_one_line_error(tmp_path, content, message, command):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    one_line_error(runner.invoke(app, [command, str(path)]), message)


@pytest.mark.parametrize("bom, encoding", [
    (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"),
    (codecs.BOM_UTF8, "utf-8"),
])
def test_hardening_bom_text_offsets_index_decoded_text(tmp_path, bom, encoding):
    path = tmp_path / "story.txt"
    path.write_bytes(bom + STORY.encode(encoding))
    result = quotes_cli(path)
    assert result.exit_code == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert records and records[0]["speaker"] == "Ann Lee"
    assert_offsets_exact(STORY, records)


def test_hardening_windows_line_endings_keep_exact_offsets(tmp_path):
    text = STORY.replace("\n", "\r\n") + '\r\n"Second one," she added.\r\n'
    path = tmp_path / "story.txt"
    path.write_bytes(text.encode("utf-8"))
    result = quotes_cli(path)
    assert result.exit_code == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(records) == 2
    assert_offsets_exact(text, records)


def test_hardening_article_without_quotes(tmp_path, cheap_pipeline):
    path = tmp_path / "plain.txt"
    path.write_text("The council met on Tuesday. The budget passed.\n")
    result = runner.invoke(app, ["analyze", str(path), "--format", "json", "--no-summary"])
    assert result.exit_code == 0, result.stderr
    (report,) = json.loads(result.stdout)
    assert report["quotes"] == [] and report["doc"] == "plain"


def test_hardening_thousands_of_quotation_marks(tmp_path):
    text = ('"' * 3000 + " said Ann Lee. " + "“”" * 1500 + "‘" * 500 + " «x» "
            + '"Fine," he said. ' * 200)
    path = tmp_path / "marks.txt"
    path.write_text(text)
    result = quotes_cli(path)
    assert result.exit_code == 0, result.stderr
    assert_offsets_exact(text, [json.loads(line) for line in result.stdout.splitlines()])


def test_hardening_html_scripts_and_styles_are_not_text(tmp_path):
    html = ("<!DOCTYPE html><html><head><title>T</title><style>p { x: '\"said Bob\"' }</style>"
            "<script>var s = \"Nobody said this,\" said Eve;</script></head><body>"
            "<nav>Menu</nav><p>\"We agree,\" said Ann Lee.</p>"
            "<script>document.write('\"Injected,\" said Mallory.')</script>"
            "<p>More text.</p></body></html>")
    path = tmp_path / "page.html"
    path.write_text(html)
    (article,) = read_inputs([path])
    for word in ("Bob", "Eve", "Mallory", "Menu", "document.write"):
        assert word not in article.text
    result = quotes_cli(path)
    assert result.exit_code == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["speaker"] for r in records] == ["Ann Lee"]
    assert_offsets_exact(article.text, records)


JSONL = ('{"id": "a", "text": "\\"Yes,\\" said Ann Lee."}\n'
         '{"id": "b", "title": "no text field"}\n'
         '{"id": "c", "text": "No quotes here."}\n'
         '{"id": "d", "text": "torn by a ki')


def test_hardening_jsonl_bad_lines_reported_and_rest_analysed(tmp_path, cheap_pipeline):
    path = tmp_path / "corpus.jsonl"
    path.write_text(JSONL)
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["analyze", str(path), "--output", str(out), "--format",
                                 "jsonl", "--no-summary"])
    assert result.exit_code == 0, result.stderr
    warnings = result.stderr.splitlines()
    assert f"warning: skipped {path}:2: record has no string field 'text'" in warnings
    assert any(line.startswith(f"warning: skipped {path}:4: not valid JSON") for line in warnings)
    assert "2 analysed, 0 already done, 0 failed" in result.stderr
    assert sorted(json.loads(line)["doc"] for line in out.read_text().splitlines()) == ["a", "c"]
    assert "Traceback" not in result.output + result.stderr


@pytest.mark.parametrize("line, message", [
    ('{"id": "d", "text": "torn', "not valid JSON"),
    ('{"id": "b"}', "record has no string field 'text'"),
])
def test_hardening_jsonl_bad_line_without_output_is_one_line_error(tmp_path, line, message):
    path = tmp_path / "corpus.jsonl"
    path.write_text('{"text": "Fine."}\n' + line + "\n")
    one_line_error(quotes_cli(path), f"{path}:2: {message}")


def test_hardening_corpus_run_skips_bad_articles(tmp_path, cheap_pipeline):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.txt").write_text(STORY)
    (folder / "b.txt").write_bytes(b"\x00\x01binary")
    (folder / "c.txt").write_bytes(b"  \n")
    (folder / "d.txt").write_bytes(b"caf\xe9")
    (folder / "e.html").write_text("<html><body><script>x</script></body></html>")
    (folder / "f.txt").write_text("Plain.")
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["analyze", str(folder), "-o", str(out), "-f", "jsonl"])
    assert result.exit_code == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning")]
    assert len(warnings) == 4
    for name, message in [("b", "binary"), ("c", "empty"), ("d", "UTF-8"), ("e", "no article")]:
        assert any(f"{name}." in w and message in w for w in warnings), (name, warnings)
    assert sorted(json.loads(line)["doc"] for line in out.read_text().splitlines()) == ["a", "f"]
    assert "Traceback" not in result.output + result.stderr


def test_hardening_corpus_internal_error_is_reported_and_skipped(tmp_path, monkeypatch):
    def call(self, article):
        if article.doc == "b":
            raise RecursionError("maximum recursion depth exceeded\nwhile calling")
        return Report(doc=article.doc, target=None, summary=None)

    monkeypatch.setattr(analyze_module.Analyzer, "__call__", call)
    for name in "abc":
        (tmp_path / f"{name}.txt").write_text("Text.")
    out = tmp_path / "out" / "results.jsonl"
    result = runner.invoke(app, ["analyze", str(tmp_path), "-o", str(out), "-f", "jsonl"])
    assert result.exit_code == 0, result.stderr
    assert ("warning: skipped b: RecursionError: maximum recursion depth exceeded while calling"
            in result.stderr.splitlines())
    assert len(out.read_text().splitlines()) == 2


def test_hardening_existing_results_need_resume(tmp_path, cheap_pipeline):
    path = tmp_path / "a.txt"
    path.write_text(STORY)
    out = tmp_path / "out.jsonl"
    out.write_text('{"doc": "a"}\n')
    one_line_error(runner.invoke(app, ["analyze", str(path), "-o", str(out)]), "--resume")
    result = runner.invoke(app, ["analyze", str(path), "-o", str(out), "--resume"])
    assert result.exit_code == 0 and "0 analysed, 1 already done" in result.stderr


def test_hardening_unknown_engine_is_usage_error(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(STORY)
    result = runner.invoke(app, ["analyze", str(path), "--engine", "spark"])
    assert result.exit_code == 2 and "Traceback" not in result.output + result.stderr


BIG_CHECK = """
import sys, time
from stance.text.read import read_inputs
from stance.text.quotes import extract_quotes
(article,) = read_inputs([sys.argv[1]])
quotes = extract_quotes(article)
assert all(article.text[q.start:q.end] == q.text for q in quotes)
print(len(article.text), len(quotes))
"""


@pytest.mark.slow
def test_hardening_50mb_article_completes(tmp_path):
    paragraph = ('The minister spoke on Monday. "We will not rule it out," Gen. Ann Lee said. '
                 "Critics said the plan was flawed, according to officials.\n\n")
    path = tmp_path / "big.txt"
    with path.open("w") as handle:
        for _ in range(50_000_000 // len(paragraph) + 1):
            handle.write(paragraph)
    # In a subprocess, so that a regression shows as a failure instead of a hung test run.
    result = subprocess.run([sys.executable, "-c", BIG_CHECK, str(path)], capture_output=True,
                            text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    size, count = map(int, result.stdout.split())
    assert size >= 50_000_000 and count > 0


# --------------------------------------------------------------------------- fuzzing

FRAGMENTS = [
    '"', "“", "”", "‘", "’", "'", "«", "»", "„", "‹", "›", " said Ann Lee", " he said.",
    ", she told reporters", " according to officials", "Gen. Mark Milley said that ", ": ",
    "\n", "\r\n", "\n\n", "\r", "\u2028", "\x85", "\x0b", "\x0c", "\x1c", "\u00a0", "\u200b",
    "<p>", "</p>", "<html>", "<body>", "<script>", "</script>", "<style>", "&amp;", "<br>",
    '{"text": ', '"}', "}", "{", "\\", "Dr. ", "U.S. ", "—", "…", "😀", "e\u0301", "\ufeff",
]
TEXT = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=10)), max_size=30)
ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-32", "utf-16-le"]


@st.composite
def files(draw):
    """(suffix, bytes): encoded texts, JSONL corpora and raw bytes, some of them broken."""
    text = "".join(draw(TEXT))
    kind = draw(st.sampled_from(["text", "html", "jsonl", "bytes"]))
    if kind == "bytes":
        return draw(st.sampled_from([".txt", ".html", ".jsonl"])), draw(st.binary(max_size=300))
    if kind == "jsonl":
        lines = [json.dumps({"id": f"r{i}", "text": piece}, ensure_ascii=draw(st.booleans()))
                 for i, piece in enumerate([text, *draw(st.lists(st.text(max_size=40),
                                                                 max_size=3))])]
        raw = "\n".join(lines)
        cut = draw(st.integers(0, len(raw)))
        return ".jsonl", (raw[:cut] if draw(st.booleans()) else raw).encode("utf-8")
    if kind == "html":
        text = f"<html><body><p>{text}</p><script>{text}</script></body></html>"
    return (".html" if kind == "html" else ".txt"), text.encode(draw(st.sampled_from(ENCODINGS)))


@pytest.fixture(scope="module")
def fuzz_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("fuzz")


@settings(max_examples=FUZZ_EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(files())
def test_hardening_fuzz_read_extract_render(fuzz_dir, file):
    suffix, data = file
    path = Path(fuzz_dir) / f"input{suffix}"
    path.write_bytes(data)
    errors = []
    articles = list(read_inputs([path], on_error=errors.append))
    for error in errors:
        assert isinstance(error, InputError) and "\n" not in str(error)
    for article in articles:
        quotes = extract_quotes(article)
        records = [quote.to_dict() for quote in quotes]
        assert_offsets_exact(article.text, records)
        report = Report(doc=article.doc, target=None, summary=None, quotes=quotes)
        stream = io.StringIO()
        renderer = Renderer("jsonl", stream=stream)
        renderer.add(report)
        (line,) = stream.getvalue().split("\n")[:-1]
        assert json.loads(line) == json.loads(json.dumps(report.to_dict()))
        Renderer("markdown", stream=io.StringIO()).add(report)


# --------------------------------------------------------------------------- kill and resume

KILL_CORPUS = [
    '"We will not rule it out," Gen. Ann Lee said on Monday about the new plan.',
    'Mayor Tom Reyes said the budget was "a disgrace." Critics agreed.',
    'The council met on Tuesday. "This is the right call," said council member Jo Park.',
    "Nobody was quoted in this short item about the weather.",
    '"We are open to talks," the minister told reporters. "But not at any price."',
    'Police said the road would reopen soon. "Drive carefully," an officer added.',
]


def run_analyze(folder, out, *extra):
    return [sys.executable, "-m", "stance", "analyze", str(folder), "--output", str(out),
            "--no-summary", "--format", "jsonl", *extra]


def write_kill_corpus(tmp_path, copies):
    """A folder with ``copies`` of every KILL_CORPUS story, one article per file."""
    folder = tmp_path / "articles"
    folder.mkdir()
    for number in range(copies):
        for index, text in enumerate(KILL_CORPUS):
            (folder / f"n{number}-{index}.txt").write_text(f"Story {number}.\n\n{text}\n")
    return folder


def wait_for_a_result(process, out):
    """Wait until the run has written its first result line, or has ended."""
    while process.poll() is None and b"\n" not in (out.read_bytes() if out.exists() else b""):
        time.sleep(0.01)


def lines_by_doc(path):
    lines = path.read_text(encoding="utf-8").splitlines()
    docs = [json.loads(line)["doc"] for line in lines]
    assert len(docs) == len(set(docs)), "a doc was written twice"
    return dict(zip(docs, lines, strict=True))


@pytest.mark.slow
@pytest.mark.parametrize("workers", ["1", "2"])
def test_hardening_killed_run_resumes_to_the_same_results(tmp_path, workers):
    folder = write_kill_corpus(tmp_path, copies=2)  # 12 articles
    whole = tmp_path / "whole.jsonl"
    subprocess.run(run_analyze(folder, whole, "--workers", workers), check=True,
                   capture_output=True, timeout=900)

    killed = tmp_path / "killed.jsonl"
    process = subprocess.Popen(run_analyze(folder, killed, "--workers", workers),
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    try:
        wait_for_a_result(process, killed)
        os.killpg(process.pid, signal.SIGKILL)  # the run and its workers, at once
    except ProcessLookupError:
        pass
    process.wait(timeout=60)
    written = killed.read_bytes().count(b"\n")
    assert written >= 1
    result = subprocess.run(run_analyze(folder, killed, "--resume", "--workers", workers),
                            capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stderr
    assert f"{written} already done" in result.stderr
    assert lines_by_doc(killed) == lines_by_doc(whole)


@pytest.mark.slow
def test_hardening_ctrl_c_with_workers_leaves_one_line_and_no_process(tmp_path):
    folder = write_kill_corpus(tmp_path, copies=4)  # 24 articles
    out = tmp_path / "out.jsonl"
    process = subprocess.Popen(run_analyze(folder, out, "--workers", "2"),
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                               start_new_session=True)
    wait_for_a_result(process, out)
    os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C sends: the run and its workers
    stderr = process.communicate(timeout=60)[1]
    assert process.returncode == 130
    assert stderr.strip().splitlines() == [
        "error: interrupted; results already written are kept (rerun with --resume)"]
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.killpg(process.pid, 0)  # is any process of the run still alive?
        except ProcessLookupError:
            break
        time.sleep(0.1)
    else:
        pytest.fail("a worker outlived the interrupted run")
    result = subprocess.run(run_analyze(folder, out, "--resume", "--workers", "2"),
                            capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stderr
    assert len(lines_by_doc(out)) == 24


def test_hardening_dataset_corpus_through_cli(tmp_path, cheap_pipeline):
    datasets = pytest.importorskip("datasets")
    path = tmp_path / "news.parquet"
    datasets.Dataset.from_dict({"id": ["n1", "n2", "n3"],
                                "text": [STORY, None, "No quotes."]}).to_parquet(str(path))
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["analyze", str(path), "-o", str(out), "-f", "jsonl"])
    assert result.exit_code == 0, result.stderr
    assert f"warning: skipped {path}[train]:2: row has no text" in result.stderr.splitlines()
    assert sorted(json.loads(line)["doc"] for line in out.read_text().splitlines()) == ["n1", "n3"]
