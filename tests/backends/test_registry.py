from pathlib import Path

import pytest

from stance.backends.registry import default_model, list_models, resolve
from stance.errors import ModelError


def test_resolve_alias_and_name(models_folder: Path):
    assert resolve("tiny-alias").name == "tiny"
    assert resolve("TINY").name == "tiny"
    assert default_model("generate").name == "tiny"


def test_resolve_unknown_name_lists_nearest(models_folder: Path):
    with pytest.raises(ModelError, match="did you mean tiny"):
        resolve("tinny")


def test_resolve_real_specs_suggest_nearest():
    with pytest.raises(ModelError, match="qwen-0.5b"):
        resolve("qwen-05b")


def test_resolve_local_folder(tiny_llama_dir: Path):
    spec = resolve(str(tiny_llama_dir))
    assert spec.backend == "hf" and spec.source.kind == "path"
    assert "generate" in spec.tasks


def test_resolve_refuses_pickle_only_folder(tmp_path: Path):
    (tmp_path / "config.json").write_text("{}")
    (tmp_path / "pytorch_model.bin").write_bytes(b"\x80\x02")
    with pytest.raises(ModelError, match="pickle"):
        resolve(str(tmp_path))


def test_resolve_folder_without_config(tmp_path: Path):
    with pytest.raises(ModelError, match="config.json"):
        resolve(str(tmp_path))


def test_resolve_hub_id_is_lazy():
    spec = resolve("facebook/bart-large-cnn")
    assert spec.backend == "hf" and spec.source.repo == "facebook/bart-large-cnn"


def test_list_models_reports_install_and_prepare_state(models_folder: Path):
    from stance.backends.cache import prepare

    (row,) = list_models()
    assert row.name == "tiny" and row.installed and not row.prepared
    prepare("tiny")
    (row,) = list_models()
    assert row.prepared and row.path
