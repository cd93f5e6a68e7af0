"""The forms Tapline ships: the demand form, the joint survey, the acceptance checklist and the return visit."""
from __future__ import annotations

import json
from importlib import resources


def builtin_forms() -> list[dict]:
    """Fresh copies of the built-in definitions (raw JSON, one per file in ``field_forms/builtin/``), by form id."""
    folder = resources.files("field_forms").joinpath("builtin")
    files = sorted(entry for entry in folder.iterdir() if entry.name.endswith(".json"))
    return [json.loads(entry.read_text(encoding="utf-8")) for entry in files]
