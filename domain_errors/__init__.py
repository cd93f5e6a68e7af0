"""The one shape of every Tapline error, and the codes a client branches on.

Each package lists its codes in a `Code` enum (`geo.codes.GeoCode`, `server.error_codes.ServerCode`, ...):
a member is the stable snake_case string, the HTTP status it answers with and a one-line meaning, so the
status of an error follows from its code and the docs' table of codes is generated from the enums.
Every package's errors are `DomainError`s: {code, message, field, details}. Pure: standard library only.
"""
from __future__ import annotations

from enum import StrEnum
from typing import Any


class Code(StrEnum):
    """A stable error code, with the HTTP status it answers with and what it means.

    A member is declared as ``NAME = "name", status, "meaning"``.
    """

    status: int
    meaning: str

    def __new__(cls, value: str, status: int, meaning: str) -> Code:
        member = str.__new__(cls, value)
        member._value_ = value
        member.status = status
        member.meaning = meaning
        return member


class CommonCode(Code):
    """Codes that more than one package raises, so each is defined once."""

    INVALID_VALUE = "invalid_value", 422, "a value is out of range or malformed"
    INVALID_TYPE = "invalid_type", 422, "a value is of the wrong JSON type"
    UNKNOWN_FIELD = "unknown_field", 422, "the request names a field that does not exist"


class DomainError(Exception):
    """An error a client can act on: ``code`` (a `Code`), ``message`` a person reads, ``field`` (the JSON path
    at fault, or None) and ``details`` (what a client acts on: limits, allowed values, the offending value)."""

    def __init__(self, code: Code, message: str, *, field: str | None = None,
                 details: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field
        self.details = details or {}

    @property
    def status(self) -> int:
        """The HTTP status of the error's code."""
        return self.code.status

    def to_dict(self) -> dict[str, Any]:
        """The API's error shape ``{code, message, field, details}``."""
        return {"code": str(self.code), "message": self.message, "field": self.field, "details": self.details}

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str(self.code)!r}, {self.message!r}, field={self.field!r})"
