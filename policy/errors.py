"""The two ways policy refuses: a request's facts (422, the client's to fix) and a profile (the operator's)."""

from __future__ import annotations

from pathlib import Path
from typing import Any


class FactError(Exception):
    """A fact the request sent is unknown, of the wrong type or out of range: a 422.

    ``code`` is stable (``unknown_fact``, ``invalid_type``, ``invalid_value``), ``message`` is a sentence a
    person reads, ``field`` is the fact's name (``crossings[1].layer`` inside a list; None when the whole
    body is wrong) and ``details`` holds what a client acts on (``expected``, ``allowed``, the ``value``).
    """

    status = 422

    def __init__(self, code: str, message: str, *, field: str | None,
                 details: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field
        self.details = details or {}

    def to_dict(self) -> dict[str, Any]:
        """The DESIGN error shape ``{code, message, field, details}``."""
        return {"code": self.code, "message": self.message, "field": self.field,
                "details": self.details}

    def __repr__(self) -> str:
        return f"FactError({self.code!r}, {self.message!r}, field={self.field!r})"


class ProfileError(Exception):
    """A profile file that the engine refuses to load; names the file and, when it can, the rule.

    A broken shipped profile is an operator's mistake: the server must not start with it. An uploaded one is
    the admin's to fix: a 422 whose ``field`` is the JSON path of the key at fault (``rules[3].clause``).
    """

    code = "invalid_profile"
    status = 422

    def __init__(self, message: str, *, file: Path | str, rule: str | None = None,
                 field: str | None = None) -> None:
        self.message = message
        self.file = str(file)
        self.rule = rule
        self.field = field
        self.details = {"file": self.file, "rule": rule}
        where = f"{self.file}: rule {rule}" if rule else self.file
        super().__init__(f"{where}: {message}")
