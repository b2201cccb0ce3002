import json
import multiprocessing
import os

import pytest

from stance import analyze as analyze_module
from stance.corpus import (
    Corpus,
    CorpusOptions,
    QuotesOnly,
    analyze_corpus,
    dataset_kind,
    finished_docs,
    read_dataset,
)
from stance.errors import InputError, ModelError
from stance.types import Article, Report


class Killed(BaseException):
    """Stands for SIGKILL: nothing in the run may catch it."""


def fake_pipeline(monkeypatch, kill_after=None, fail_docs=()):
    calls = []

    def call(self, article):
        if article.doc in fail_docs:
            raise InputError(f"{article.doc}: broken")
        if kill_after is not None and len(calls) == kill_after:
            raise Killed
        calls.append(article.doc)
        return Report(doc=article.doc, target="t", summary=None, quotes=[], speakers=[])

    monkeypatch.setattr(analyze_module.Analyzer, "__call__", call)
    return calls


class Scripted:
    """A picklable pipeline for worker processes and Ray actors: the text says what to do."""

    def __call__(self, article):
        if article.text.startswith("FAIL"):
            raise InputError(f"{article.doc}: broken")
        if article.text.startswith("BUG"):
            raise ValueError("unexpected")
        if article.text.startswith("MODEL"):
            raise ModelError("model x cannot load")
        if article.text.startswith("ODD"):
            from corpus_errors import TwoPartError  # not shipped to Ray actors

            raise TwoPartError("odd", "error")
        if article.text.startswith("CRASH"):
            os._exit(3)
        return Report(doc=article.doc, target=str(os.getpid()), summary=None)


def corpus(n=6):
    return [Article(doc=f"a{i}", text=f"Text {i}.") for i in range(n)]


def read_docs(path):
    return [json.loads(line)["doc"] for line in path.read_text().splitlines()]


def test_corpus_killed_run_resumes_without_loss_or_duplicates(tmp_path, monkeypatch):
    whole = tmp_path / "whole.jsonl"
    fake_pipeline(monkeypatch)
    analyze_corpus(corpus(), whole)

    partial = tmp_path / "partial.jsonl"
    fake_pipeline(monkeypatch, kill_after=3)
    with pytest.raises(Killed):
        analyze_corpus(corpus(), partial)
    with partial.open("a") as handle:  # a write torn by the kill
        handle.write('{"doc": "a3", "tar')
    calls = fake_pipeline(monkeypatch)
    skipped = []
    stats = analyze_corpus(corpus(), partial, run=CorpusOptions(resume=True),
                           on_skip=skipped.append)
    assert calls == ["a3", "a4", "a5"] and skipped == ["a0", "a1", "a2"]
    assert stats.skipped == 3 and stats.done == 3
    assert partial.read_text() == whole.read_text()


def test_corpus_bad_article_is_reported_and_skipped(tmp_path, monkeypatch):
    fake_pipeline(monkeypatch, fail_docs={"a2"})
    errors = []
    out = tmp_path / "out.jsonl"
    stats = analyze_corpus(corpus(4), out, on_error=lambda doc, e: errors.append(doc))
    assert errors == ["a2"] and stats.failed == ["a2"]
    assert read_docs(out) == ["a0", "a1", "a3"]


def test_corpus_refuses_to_overwrite_results_without_resume(tmp_path, monkeypatch):
    fake_pipeline(monkeypatch)
    out = tmp_path / "out.jsonl"
    analyze_corpus(corpus(2), out)
    with pytest.raises(InputError, match="--resume"):
        analyze_corpus(corpus(2), out)
    assert read_docs(out) == ["a0", "a1"]


def test_corpus_duplicate_doc_is_reported_once(tmp_path, monkeypatch):
    fake_pipeline(monkeypatch)
    errors = []
    articles = [*corpus(2), Article(doc="a0", text="again", source="other/a0.txt")]
    stats = analyze_corpus(articles, tmp_path / "o.jsonl",
                           on_error=lambda doc, e: errors.append(str(e)))
    assert stats.done == 2 and stats.failed == ["a0"]
    assert "duplicate doc id 'a0'" in errors[0]


def test_corpus_model_error_stops_the_run(tmp_path):
    articles = [Article("a", "Fine."), Article("b", "MODEL"), Article("c", "Fine.")]
    with pytest.raises(ModelError):
        analyze_corpus(articles, tmp_path / "o.jsonl", run=CorpusOptions(analyzer=Scripted))
    assert read_docs(tmp_path / "o.jsonl") == ["a"]


def test_finished_docs_of_missing_file_is_empty(tmp_path):
    assert finished_docs(tmp_path / "none.jsonl") == set()


def test_finished_docs_keeps_lines_with_unicode_line_separators(tmp_path):
    out = tmp_path / "out.jsonl"
    record = {"doc": "a", "quotes": [{"text": "one\u2028two\x85three\x1c"}]}
    out.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    before = out.read_bytes()
    assert finished_docs(out) == {"a"}
    assert out.read_bytes() == before


def test_finished_docs_refuses_a_bad_line_in_the_middle(tmp_path):
    out = tmp_path / "out.jsonl"
    out.write_text('{"doc": "a"}\nnot json\n{"doc": "b"}\n')
    with pytest.raises(InputError, match=":2: not a result line"):
        finished_docs(out)
    assert out.read_text().count("\n") == 3


def test_finished_docs_drops_complete_json_without_newline(tmp_path):
    out = tmp_path / "out.jsonl"
    out.write_text('{"doc": "a"}\n{"doc": "b"}')
    assert finished_docs(out) == {"a"}
    assert out.read_text() == '{"doc": "a"}\n'


def scripted_corpus():
    texts = ["One.", "FAIL", "Two.", "BUG", "Three.", "Four.", "Five."]
    return [Article(doc=f"d{i}", text=text) for i, text in enumerate(texts)]


def test_corpus_workers_write_every_result_once(tmp_path):
    out = tmp_path / "out.jsonl"
    failed = {}
    stats = analyze_corpus(scripted_corpus(), out,
                           run=CorpusOptions(workers=2, analyzer=Scripted),
                           on_error=lambda doc, e: failed.setdefault(doc, type(e).__name__))
    assert sorted(read_docs(out)) == ["d0", "d2", "d4", "d5", "d6"]
    assert failed == {"d1": "InputError", "d3": "ValueError"} and stats.done == 5
    pids = {json.loads(line)["target"] for line in out.read_text().splitlines()}
    assert str(os.getpid()) not in pids


def _two_scripted_workers(tmp_path, articles):
    """Run ``articles`` on two Scripted workers: (output file, error message by doc, stats)."""
    out = tmp_path / "out.jsonl"
    errors = {}
    stats = analyze_corpus(articles, out, run=CorpusOptions(workers=2, analyzer=Scripted),
                           on_error=lambda doc, e: errors.setdefault(doc, str(e)))
    return out, errors, stats


def test_corpus_workers_survive_an_article_that_kills_its_worker(tmp_path):
    articles = [*corpus(5), Article(doc="bad", text="CRASH"), *corpus(9)[5:]]
    out, errors, stats = _two_scripted_workers(tmp_path, articles)
    assert list(errors) == ["bad"] and "worker analysing it died" in errors["bad"]
    assert sorted(read_docs(out)) == sorted(f"a{i}" for i in range(9)) and stats.done == 9
    assert multiprocessing.active_children() == []


def test_corpus_workers_skip_an_article_whose_error_cannot_cross_processes(tmp_path):
    articles = [*corpus(3), Article(doc="odd", text="ODD"), *corpus(6)[3:]]
    _, errors, stats = _two_scripted_workers(tmp_path, articles)
    assert errors == {"odd": "TwoPartError: odd-error"} and stats.done == 6
    assert multiprocessing.active_children() == []


def test_corpus_workers_model_error_stops_the_run_and_reaps_every_worker(tmp_path):
    texts = ["One.", "Two.", "MODEL", *(f"Text {i}." for i in range(8))]
    out = tmp_path / "out.jsonl"
    with pytest.raises(ModelError, match="cannot load"):
        analyze_corpus([Article(doc=f"d{i}", text=t) for i, t in enumerate(texts)], out,
                       run=CorpusOptions(workers=2, analyzer=Scripted))
    assert multiprocessing.active_children() == []
    assert "d2" not in read_docs(out)


def test_corpus_workers_resume_after_a_different_completion_order(tmp_path):
    out = tmp_path / "out.jsonl"
    analyze_corpus(list(reversed(corpus(3))), out, run=CorpusOptions(analyzer=Scripted))
    stats = analyze_corpus(corpus(6), out, run=CorpusOptions(
        resume=True, workers=2, analyzer=Scripted))
    assert stats.skipped == 3 and stats.done == 3
    assert sorted(read_docs(out)) == [f"a{i}" for i in range(6)]


def test_corpus_quotes_only_pipeline(tmp_path):
    text = '"We will not rule it out," Gen. Ann Lee said.'
    out = tmp_path / "out.jsonl"
    analyze_corpus([Article("s", text)], out, run=CorpusOptions(analyzer=QuotesOnly))
    (record,) = [json.loads(line) for line in out.read_text().splitlines()]
    quote = record["quotes"][0]
    assert text[quote["start"]:quote["end"]] == quote["text"]


def test_corpus_reads_folders_lazily_and_counts_without_reading(tmp_path):
    for i in range(3):
        (tmp_path / f"s{i}.txt").write_text(f"Story {i}.")
    (tmp_path / "more.jsonl").write_text('{"text": "x"}\n\n{"text": "y"}\n')
    corpus_ = Corpus([str(tmp_path)])
    assert corpus_.size() == 5
    articles = iter(corpus_)
    assert next(articles).doc == "more-1"
    assert len([next(articles), *articles]) == 4


def test_corpus_jsonl_bad_line_is_reported_and_others_read(tmp_path):
    path = tmp_path / "c.jsonl"
    path.write_text('{"id": "a", "text": "One."}\n{"id": "b"}\n{"id": "c", "text": "Three."}\n'
                    '{"id": "d", "te')
    errors = []
    docs = [a.doc for a in Corpus([str(path)], on_error=lambda e: errors.append(str(e)))]
    assert docs == ["a", "c"]
    assert [e.split(": ")[0] for e in errors] == [f"{path}:2", f"{path}:4"]


def test_corpus_strict_reader_raises_on_bad_jsonl_line(tmp_path):
    path = tmp_path / "c.jsonl"
    path.write_text('{"text": "One."}\n[1]\n')
    with pytest.raises(InputError, match=":2: expected a JSON object"):
        list(Corpus([str(path)]))


@pytest.mark.parametrize("fmt", ["parquet", "csv", "json", "saved"])
def test_read_dataset_formats(tmp_path, fmt):
    datasets = pytest.importorskip("datasets")
    rows = {"id": ["x1", "x2", "x3"], "text": ["One.", "", "Three."], "title": ["T", "U", "V"]}
    data = datasets.Dataset.from_dict(rows)
    if fmt == "saved":
        path = tmp_path / "saved"
        data.save_to_disk(str(path))
    else:
        path = tmp_path / "data" / f"part.{fmt}"
        path.parent.mkdir()
        getattr(data, f"to_{fmt}")(str(path))
        path = path.parent  # a folder of data files
    errors = []
    articles = list(Corpus([str(path)], on_error=lambda e: errors.append(str(e))))
    assert [(a.doc, a.text) for a in articles] == [("x1", "One."), ("x3", "Three.")]
    assert len(errors) == 1 and "row has no text" in errors[0]
    assert Corpus([str(path)]).size() == 3


def test_read_dataset_without_text_column(tmp_path):
    datasets = pytest.importorskip("datasets")
    path = tmp_path / "d.parquet"
    datasets.Dataset.from_dict({"body": ["One."]}).to_parquet(str(path))
    assert dataset_kind(path) == "parquet"
    with pytest.raises(InputError, match="no 'text' column .*columns: body"):
        list(read_dataset(path))


def test_read_dataset_unreadable_is_input_error(tmp_path):
    path = tmp_path / "d.parquet"
    path.write_bytes(b"not parquet")
    with pytest.raises(InputError, match="cannot be read as a dataset"):
        list(read_dataset(path))


@pytest.fixture(scope="module")
def local_ray():
    ray = pytest.importorskip("ray", reason='Ray is an optional extra: pip install "ray[data]"')
    from ray import cloudpickle

    cloudpickle.register_pickle_by_value(__import__(__name__))  # ship Scripted to the actors
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield ray
    ray.shutdown()


RAY_DEPRECATIONS = pytest.mark.filterwarnings("ignore::DeprecationWarning:ray.data.context")


@RAY_DEPRECATIONS
def test_corpus_on_local_ray(tmp_path, local_ray):
    out = tmp_path / "out.jsonl"
    failed = []
    stats = analyze_corpus(scripted_corpus(), out,
                           run=CorpusOptions(engine="ray", workers=2, analyzer=Scripted),
                           on_error=lambda doc, e: failed.append(doc))
    assert sorted(read_docs(out)) == ["d0", "d2", "d4", "d5", "d6"]
    assert sorted(failed) == ["d1", "d3"] and stats.done == 5

    more = [*scripted_corpus(), Article("d7", "Six.")]
    stats = analyze_corpus(more, out, run=CorpusOptions(
        resume=True, engine="ray", workers=2, analyzer=Scripted))
    assert stats.skipped == 5 and stats.done == 1 and sorted(stats.failed) == ["d1", "d3"]


@RAY_DEPRECATIONS
def test_corpus_on_ray_model_error_stops_the_run(tmp_path, local_ray):
    with pytest.raises(ModelError):
        analyze_corpus([Article("a", "MODEL")], tmp_path / "o.jsonl",
                       run=CorpusOptions(engine="ray", workers=1, analyzer=Scripted))


def test_corpus_skips_its_own_results_file(tmp_path, monkeypatch):
    fake_pipeline(monkeypatch)
    (tmp_path / "a.txt").write_text("Story.")
    out = tmp_path / "results.jsonl"
    for resume in (False, True):
        corpus_ = Corpus([str(tmp_path)], exclude=[out])
        assert corpus_.size() == 1
        analyze_corpus(corpus_, out, run=CorpusOptions(resume=resume))
    assert read_docs(out) == ["a"]
