"""Label sets are data: a YAML file names each label with a description and examples.

A bare name (``open-cautious-neutral``) resolves to ``stance/labelsets/<name>.yaml``;
anything else is read as a path.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from stance.errors import InputError

LABELSET_DIR = Path(__file__).resolve().parent.parent / "labelsets"
DEFAULT_LABELSET = "open-cautious-neutral"
DEFAULT_HYPOTHESIS = "The speaker's stance on {target} is {label}."


@dataclass(frozen=True)
class Label:
    name: str
    description: str
    hypothesis: str = DEFAULT_HYPOTHESIS
    examples: tuple[str, ...] = ()


@dataclass(frozen=True)
class Labelset:
    """An ordered set of stance labels; ``neutral`` names the no-stance label, if any."""

    name: str
    labels: tuple[Label, ...]
    neutral: str | None = None
    description: str = ""
    source: str | None = field(default=None, compare=False)

    @property
    def names(self) -> list[str]:
        return [label.name for label in self.labels]

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "description": self.description,
            "neutral": self.neutral,
            "labels": {
                label.name: {
                    "description": label.description,
                    "hypothesis": label.hypothesis,
                    "examples": list(label.examples),
                }
                for label in self.labels
            },
        }


def available_labelsets() -> list[str]:
    return sorted(path.stem for path in LABELSET_DIR.glob("*.yaml"))


def load_labelset(labelset: str | Path | Labelset | None = None) -> Labelset:
    """Read a label set by bundled name or path (``None`` gives the default)."""
    if isinstance(labelset, Labelset):
        return labelset
    import yaml

    ref = DEFAULT_LABELSET if labelset is None else str(labelset)
    path = Path(ref)
    if not path.suffix and not path.exists():
        path = LABELSET_DIR / f"{ref}.yaml"
    if not path.is_file():
        raise InputError(
            f"label set {ref!r} not found; pass a YAML path or one of: "
            + ", ".join(available_labelsets())
        )
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise InputError(f"label set {path} is not valid YAML: {exc}") from exc
    return labelset_from_dict(data, source=str(path))


def labelset_from_dict(data: Any, source: str | None = None) -> Labelset:
    where = source or "label set"
    if not isinstance(data, dict) or not isinstance(data.get("labels"), dict):
        raise InputError(f"{where}: expected a mapping with a 'labels' mapping of name -> fields")
    labels = []
    for name, fields in data["labels"].items():
        fields = fields or {}
        if isinstance(fields, str):
            fields = {"description": fields}
        if not isinstance(fields, dict):
            raise InputError(f"{where}: label {name!r} must map to description/examples fields")
        examples = fields.get("examples") or []
        if isinstance(examples, str) or not all(isinstance(x, str) for x in examples):
            raise InputError(f"{where}: examples of label {name!r} must be a list of strings")
        labels.append(
            Label(
                name=str(name),
                description=str(fields.get("description") or name),
                hypothesis=str(fields.get("hypothesis") or DEFAULT_HYPOTHESIS),
                examples=tuple(examples),
            )
        )
    if len(labels) < 2:
        raise InputError(f"{where}: a label set needs at least two labels")
    neutral = data.get("neutral")
    if neutral is not None and neutral not in {label.name for label in labels}:
        raise InputError(f"{where}: neutral label {neutral!r} is not one of the labels")
    name = data.get("name") or (Path(source).stem if source else "custom")
    return Labelset(
        name=str(name),
        labels=tuple(labels),
        neutral=neutral,
        description=str(data.get("description") or ""),
        source=source,
    )
