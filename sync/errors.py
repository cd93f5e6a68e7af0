"""What the protocol's pure parts refuse: an error of the one shape every package's errors share."""

from __future__ import annotations

from typing import Any


class ProtocolError(Exception):
    """A request the sync protocol cannot take (a cursor this server never issued): a 422.

    ``code`` is stable (tablets branch on it), ``message`` is a sentence a person reads, ``field`` is where
    the request is wrong (``query.cursor``) and ``details`` holds what a client acts on.
    """

    status = 422

    def __init__(self, code: str, message: str, *, field: str | None = None,
                 details: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field
        self.details = details or {}
