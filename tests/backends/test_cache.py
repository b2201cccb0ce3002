import json
from pathlib import Path

import pytest

from stance.backends.cache import MARKER, check_prepared, prepare, prepared_dir, safetensors_ok
from stance.backends.registry import resolve
from stance.errors import ModelError


def test_prepare_converts_gguf_once(models_folder: Path):
    stages = []
    folder = prepare("tiny", progress=lambda stage, done, total: stages.append(stage))
    assert {"join", "convert", "done"} <= set(stages)
    assert (folder / "config.json").is_file() and (folder / "model.safetensors").is_file()
    assert not list(folder.glob("*.gguf")), "joined GGUF is deleted after conversion"
    marker = json.loads((folder / MARKER).read_text())
    assert marker["source_sha256"] == resolve("tiny").sha256
    stamp = (folder / "model.safetensors").stat().st_mtime_ns
    assert prepare("tiny") == folder
    assert (folder / "model.safetensors").stat().st_mtime_ns == stamp, "second call reuses it"
    assert not [p for p in folder.parent.iterdir() if p.name.startswith(".tmp-")]


def test_prepare_checksum_mismatch_raises_before_converting(models_folder: Path, kit):
    kit.write_spec(models_folder, "tiny", "0" * 64)
    from stance.backends import specs

    specs._load_all.cache_clear()
    with pytest.raises(ModelError, match="checksum mismatch"):
        prepare("tiny")
    assert not prepared_dir(resolve("tiny")).exists()


@pytest.mark.parametrize("damage", ["marker", "truncate", "header", "missing"])
def test_corrupt_cache_is_detected_and_rebuilt(models_folder: Path, damage: str):
    folder = prepare("tiny")
    weights = folder / "model.safetensors"
    if damage == "marker":
        (folder / MARKER).unlink()
    elif damage == "truncate":
        data = weights.read_bytes()
        weights.write_bytes(data[: len(data) // 2])
    elif damage == "header":
        data = bytearray(weights.read_bytes())
        data[8:16] = b"\x00garbage"
        weights.write_bytes(bytes(data))
    else:
        (folder / "config.json").unlink()
    spec = resolve("tiny")
    assert check_prepared(spec) is not None
    assert prepare("tiny") == folder
    assert check_prepared(spec) is None and safetensors_ok(weights)


def test_prepare_reports_missing_weights(models_folder: Path, tmp_path: Path):
    text = (models_folder / "tiny.yaml").read_text().replace("stance_test_part2", "absent_pkg")
    (models_folder / "tiny.yaml").write_text(text)
    from stance.backends import specs

    specs._load_all.cache_clear()
    with pytest.raises(ModelError, match="not installed"):
        prepare("tiny")


def test_cache_dir_follows_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from stance.backends.cache import cache_dir

    monkeypatch.setenv("STANCE_CACHE", str(tmp_path / "c"))
    assert cache_dir() == tmp_path / "c"
