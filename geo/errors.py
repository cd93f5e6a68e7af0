"""What geo reports back: the one error a request stops at, and the warnings it carries on with."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from domain_errors import DomainError


class GeometryError(DomainError):
    """Invalid geometry or measure request: a `GeoCode` naming what is wrong and where.

    ``field`` is the JSON path into the request (``red_line.coordinates[0][5]``) or None, and
    ``details`` holds what a client acts on (the offending ``coordinate``, a ``limit``).
    """


@dataclass(frozen=True)
class GeometryWarning:
    """Something a surveyor should look at that does not stop the measurement."""

    code: str
    message: str
    field: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """``{code, message, field}``: the contract's ``{code, message}`` plus where to look."""
        return {"code": self.code, "message": self.message, "field": self.field}
