"""A profile document as an admin uploads it (TOML text or a JSON object) and as the database keeps it (JSON).

The loader reads TOML's native dates; JSON has none, so ``effective_date`` travels as ``"2024-07-01"``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from importlib.resources import files
from typing import Any

from policy.errors import ProfileError
from policy.loader import parse_toml


def from_json(document: Any, *, source: str) -> dict[str, Any]:
    """A JSON profile document with its ``effective_date`` read as a date; the loader checks the rest."""
    if not isinstance(document, Mapping):
        raise ProfileError("a profile document must be an object", file=source)
    raw = dict(document)
    effective = raw.get("effective_date")
    if isinstance(effective, str):
        try:
            raw["effective_date"] = date.fromisoformat(effective)
        except ValueError:
            raise ProfileError(f"effective_date {effective!r} must be a date written 2023-01-12",
                               file=source, field="effective_date") from None
    return raw


def to_json(document: Any) -> Any:
    """The document with its dates as ISO strings, ready for a JSONB column or a response."""
    if isinstance(document, Mapping):
        return {key: to_json(value) for key, value in document.items()}
    if isinstance(document, list):
        return [to_json(value) for value in document]
    if isinstance(document, date):
        return document.isoformat()
    return document


def shipped_document(profile_id: str) -> dict[str, Any]:
    """The packaged profile's document as written (version 1 of the city): the base of a tenant's override."""
    path = files("policy") / "profiles" / f"{profile_id}.toml"
    return parse_toml(path.read_text(encoding="utf-8"), source=path.name)
