import json
import subprocess
import sys

import pytest
from seed import SEED_ARTICLE
from typer.testing import CliRunner

from stance.cli import app

runner = CliRunner()


def test_help_does_not_import_heavy_libraries():
    code = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from stance.cli import app\n"
        "result = CliRunner().invoke(app, ['--help'])\n"
        "assert result.exit_code == 0, result.output\n"
        "heavy = [m for m in ('torch', 'transformers', 'spacy', 'sentence_transformers',"
        " 'datasets', 'sklearn') if m in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == ""


@pytest.mark.parametrize("command", ["summarize", "quotes", "analyze"])
def test_cli_missing_file_is_one_line_error(command, tmp_path):
    result = runner.invoke(app, [command, str(tmp_path / "missing.txt")])
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("error: ") and "no such file" in result.stderr
    assert "Traceback" not in result.output + result.stderr


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"", "empty input"), (b"\x00\x01\x02binary", "binary"), (b"caf\xe9\xfa bad", "UTF-8")],
)
def test_cli_bad_input_is_one_line_error(tmp_path, content, message):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    result = runner.invoke(app, ["quotes", str(path)])
    assert result.exit_code == 1
    assert message in result.stderr and result.stderr.count("\n") == 1


def test_cli_folder_without_text_files(tmp_path):
    (tmp_path / "x.bin").write_bytes(b"\x00")
    result = runner.invoke(app, ["analyze", str(tmp_path)])
    assert result.exit_code == 1 and "no text files" in result.stderr


def test_cli_unknown_format_is_usage_error(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("Text.")
    result = runner.invoke(app, ["quotes", str(path), "--format", "xml"])
    assert result.exit_code == 2


def test_cli_quotes_jsonl_offsets_match_input(tmp_path):
    text = 'Intro line.\n\n"We will not rule it out," Gen. Ann Lee said on Monday.\n'
    path = tmp_path / "story.txt"
    path.write_text(text)
    result = runner.invoke(app, ["quotes", str(path), "--format", "jsonl"])
    assert result.exit_code == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert records, result.stdout
    for record in records:
        assert text[record["start"]:record["end"]] == record["text"]
        assert record["doc"] == "story"
    assert records[0]["speaker"] == "Ann Lee"


def test_cli_quotes_reads_stdin():
    result = runner.invoke(app, ["quotes", "-", "--format", "json"],
                           input='"Fine," said Maria Chen.\n')
    assert result.exit_code == 0, result.stderr
    (record,) = json.loads(result.stdout)
    assert record["speaker"] == "Maria Chen" and record["doc"] == "stdin"


def test_cli_classify_reports_bad_jsonl_line(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_text('{"text": "ok", "speaker": "A"}\n{"text": \n')
    result = runner.invoke(app, ["classify", str(path)])
    assert result.exit_code == 1
    assert "in.jsonl:2: not valid JSON" in result.stderr


@pytest.mark.slow
def test_cli_analyze_example_json_validates_and_names_all_speakers():
    jsonschema = pytest.importorskip("jsonschema")
    from importlib.resources import files

    example = SEED_ARTICLE
    result = runner.invoke(app, ["analyze", str(example), "--format", "json"])
    assert result.exit_code == 0, result.stderr
    (report,) = json.loads(result.stdout)
    schema = json.loads(files("stance").joinpath("schemas/report.schema.json").read_text())
    jsonschema.validate(report, schema)
    text = example.read_text(encoding="utf-8")
    for quote in report["quotes"]:
        assert text[quote["start"]:quote["end"]] == quote["text"]
        assert quote["stance"] in {"open", "cautious", "neutral"}
    speakers = {s["speaker"]: s for s in report["speakers"]}
    for name, at_least in [("Mark Milley", 3), ("Lloyd Austin", 4), ("Victoria Nuland", 3),
                           ("Antony Blinken", 5)]:
        assert speakers[name]["quotes"] >= at_least
    said = [q for q in report["quotes"] if q["speaker_mention"] in ("he", "she")]
    assert {q["speaker"] for q in said} == {"Lloyd Austin", "Mark Milley", "Victoria Nuland",
                                           "Antony Blinken"}
    assert report["summary"]["text"] and not report["summary"]["unsupported"]


def test_cli_summarize_streams_to_stderr_and_prints_the_summary(tmp_path):
    path = tmp_path / "story.txt"
    path.write_text(
        "The council approved the new harbour budget on Monday after a long debate. "
        "Work on the eastern pier will start in March and take two years. "
        "Residents asked for a public hearing on the noise."
    )
    result = runner.invoke(app, ["summarize", str(path), "--stream", "--format", "json"])
    assert result.exit_code == 0, result.stderr
    (summary,) = json.loads(result.stdout)
    first = "The council approved the new harbour budget on Monday after a long debate."
    assert summary["text"].startswith(first)
    assert first in result.stderr


def test_cli_runtime_is_only_for_the_llm_method(tmp_path):
    path = tmp_path / "story.txt"
    path.write_text("The council approved the budget on Monday.")
    result = runner.invoke(app, ["summarize", str(path), "--runtime", "llama.cpp"])
    assert result.exit_code == 1
    assert result.stderr.strip() == "error: --runtime applies to --method llm only"


def test_cli_analyze_summary_length_in_words_and_runtime_only_for_llm(tmp_path):
    path = tmp_path / "story.txt"
    path.write_text(
        "The council approved the new harbour budget on Monday after a long and heated debate "
        "that ran late into the night. Work on the eastern pier will start in March. "
        "Residents asked for a public hearing on the noise."
    )
    summaries = []
    for length in ([], ["--words", "30"]):
        result = runner.invoke(app, ["analyze", str(path), *length, "--format", "json"])
        assert result.exit_code == 0, result.stderr
        summaries.append(json.loads(result.stdout)[0]["summary"]["text"].split("\n"))
    assert len(summaries[0]) == 3
    assert summaries[1] == [summaries[0][0], "Work on the eastern pier will start in March."]
    result = runner.invoke(app, ["analyze", str(path), "--summary-runtime", "llama.cpp"])
    assert result.exit_code == 1 and result.stderr.count("\n") == 1
    assert "llm summary method only" in result.stderr
