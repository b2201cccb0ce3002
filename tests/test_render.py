import io
import json

import pytest

from stance.render import Renderer, excerpt, markdown_table, render_rows
from stance.types import FaithfulnessCheck, Quote, Report, SpeakerStance, Stance, Summary


def sample_report() -> Report:
    quote = Quote(doc="d", text="“We will see,”", start=0, end=14, speaker="Ann Lee",
                  speaker_mention="she", mention_start=15, mention_end=18, cue="said",
                  kind="direct", stance=Stance("cautious", 0.8, {"cautious": 0.8, "open": 0.2}),
                  target="the plan")
    return Report(doc="d", target="the plan",
                  summary=Summary(doc="d", text="One line.", method="lead"),
                  quotes=[quote],
                  speakers=[SpeakerStance("Ann Lee", "cautious", 0.8, 1, {"cautious": 1},
                                          "“We will see,”")])


def test_json_streams_a_valid_array():
    out = io.StringIO()
    renderer = Renderer("json", out)
    renderer.add(sample_report())
    renderer.add(sample_report())
    renderer.close()
    data = json.loads(out.getvalue())
    assert len(data) == 2
    assert data[0]["quotes"][0]["stance"] == "cautious"
    assert data[0]["quotes"][0]["scores"] == {"cautious": 0.8, "open": 0.2}


def test_json_with_nothing_is_empty_array():
    out = io.StringIO()
    renderer = Renderer("json", out)
    renderer.close()
    assert json.loads(out.getvalue()) == []


def test_report_matches_documented_schema():
    jsonschema = pytest.importorskip("jsonschema")
    from importlib.resources import files

    schema = json.loads(files("stance").joinpath("schemas/report.schema.json").read_text())
    jsonschema.validate(sample_report().to_dict(), schema)
    broken = sample_report().to_dict()
    broken["quotes"][0]["kind"] = "rumour"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema)


def test_markdown_and_table_show_speaker_and_stance():
    for fmt in ("markdown", "table"):
        out = io.StringIO()
        Renderer(fmt, out).add(sample_report())
        text = out.getvalue()
        assert "Ann Lee" in text and "cautious" in text and "One line." in text


def test_markdown_table_escapes_pipes():
    table = markdown_table(["a", "b"], [["x|y", None]])
    assert table.splitlines()[2] == "| x\\|y | – |"


def test_render_rows_jsonl():
    out = io.StringIO()
    render_rows("t", ["name", "score"], [["m", 0.5]], "jsonl", out)
    assert json.loads(out.getvalue()) == {"name": "m", "score": 0.5}


def test_excerpt_shortens_and_flattens():
    assert excerpt("a\n b", 10) == "a b"
    assert excerpt("x" * 20, 10) == "x" * 9 + "…"


@pytest.mark.parametrize(("check", "note"), [
    (FaithfulnessCheck(entities=2, numbers=1), "2 names, 1 number checked: all in the article"),
    (FaithfulnessCheck(entities=1, unsupported_numbers=["14"], numbers=1), "unsupported: 14"),
    (FaithfulnessCheck(), None),
])
def test_summary_note_says_what_the_check_found(check, note):
    summary = Summary(doc="d", text="One line.", method="lead", check=check)
    out = io.StringIO()
    renderer = Renderer("markdown", out)
    renderer.add(summary)
    renderer.close()
    last = out.getvalue().strip().splitlines()[-1]
    if note is None:
        assert last == "_method: lead_"
    else:
        assert last == f"_method: lead; {note}_"
