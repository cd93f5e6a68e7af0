"""What geo reports back: the one error a request stops at, and the warnings it carries on with."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


class GeometryError(Exception):
    """Invalid geometry or measure request: a 422 naming what is wrong and where.

    ``code`` is stable (tablets branch on it), ``message`` is a sentence a surveyor can read,
    ``field`` is the JSON path into the request (``red_line.coordinates[0][5]``) or None, and
    ``details`` holds what a client acts on (the offending ``coordinate``, a ``limit``).
    """

    status = 422

    def __init__(self, code: str, message: str, *, field: str | None = None,
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
        return f"GeometryError({self.code!r}, {self.message!r}, field={self.field!r})"


@dataclass(frozen=True)
class GeometryWarning:
    """Something a surveyor should look at that does not stop the measurement."""

    code: str
    message: str
    field: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """``{code, message, field}``: the contract's ``{code, message}`` plus where to look."""
        return {"code": self.code, "message": self.message, "field": self.field}
