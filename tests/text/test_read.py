import codecs
import io
import sys

import pytest

from stance.errors import InputError
from stance.text.read import read_inputs, read_jsonl_records


def read_one(path):
    (article,) = list(read_inputs([path]))
    return article


def test_read_plain_text_keeps_exact_text(tmp_path):
    path = tmp_path / "story.txt"
    path.write_bytes(b"Title\r\n\r\n\"Hello,\" she said.\r\n")
    article = read_one(path)
    assert article.doc == "story"
    assert article.text == "Title\r\n\r\n\"Hello,\" she said.\r\n"
    assert article.title == "Title"


def test_read_utf16_with_bom(tmp_path):
    path = tmp_path / "u16.txt"
    path.write_bytes(codecs.BOM_UTF16_LE + "“Yes,” he said.".encode("utf-16-le"))
    assert read_one(path).text == "“Yes,” he said."


def test_read_utf8_bom_is_dropped(tmp_path):
    path = tmp_path / "bom.txt"
    path.write_bytes(codecs.BOM_UTF8 + b"Plain text.")
    assert read_one(path).text == "Plain text."


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty input"),
        (b"  \n\t \n", "empty input"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        (b"caf\xe9 au lait", "not valid UTF-8"),
    ],
)
def test_read_bad_file_raises_one_line(tmp_path, content, message):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(InputError, match=message) as caught:
        read_one(path)
    assert "\n" not in str(caught.value)
    assert str(path) in str(caught.value)


def test_read_missing_file(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_one(tmp_path / "nope.txt")


def test_read_folder_without_text_files(tmp_path):
    (tmp_path / "image.png").write_bytes(b"\x89PNG")
    with pytest.raises(InputError, match="no text files"):
        list(read_inputs([tmp_path]))


def test_read_folder_recursively_in_order(tmp_path):
    (tmp_path / "b.txt").write_text("Second.")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.txt").write_text("Third.")
    (tmp_path / "a.txt").write_text("First.")
    docs = [a.text for a in read_inputs([tmp_path])]
    assert docs == ["First.", "Second.", "Third."]


def test_read_folder_skips_bad_files_when_asked(tmp_path):
    (tmp_path / "a.txt").write_text("Good one.")
    (tmp_path / "b.txt").write_bytes(b"")
    (tmp_path / "c.txt").write_text("Good two.")
    errors = []
    texts = [a.text for a in read_inputs([tmp_path], on_error=errors.append)]
    assert texts == ["Good one.", "Good two."]
    assert len(errors) == 1 and "b.txt" in str(errors[0])


def test_read_html_drops_scripts_and_navigation(tmp_path):
    page = tmp_path / "page.html"
    page.write_text(
        "<html><head><title>T</title><style>p{color:red}</style></head><body>"
        "<nav><p>Home | News</p></nav><article><h1>Big news</h1>"
        "<p>\u201cWe agree,\u201d she said.</p><script>var x = 1;</script>"
        "<p>Second <b>paragraph</b>.</p></article><footer><p>Copyright</p></footer></body></html>"
    )
    article = read_one(page)
    assert article.text == "Big news\n\n\u201cWe agree,\u201d she said.\n\nSecond paragraph."
    assert article.title == "Big news"


def test_read_stdin(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"From a pipe.")))
    (article,) = list(read_inputs(["-"]))
    assert article.doc == "stdin" and article.text == "From a pipe."


def test_read_jsonl_corpus_and_bad_line(tmp_path):
    path = tmp_path / "corpus.jsonl"
    path.write_text('{"id": "one", "text": "First."}\n{"id": "two", "text": "Sec')
    with pytest.raises(InputError, match=r"corpus.jsonl:2: not valid JSON"):
        list(read_inputs([path]))
    path.write_text('{"id": "one", "text": "First."}\n{"id": "two", "body": "x"}\n')
    with pytest.raises(InputError, match=r":2: record has no string field 'text'"):
        list(read_inputs([path]))


def test_read_jsonl_records_requires_fields(tmp_path):
    path = tmp_path / "q.jsonl"
    path.write_text('{"text": "a", "speaker": "X"}\n{"speaker": "Y"}\n')
    with pytest.raises(InputError, match=r"q.jsonl:2: record has no string field 'text'"):
        read_jsonl_records(path, required=("text",))
