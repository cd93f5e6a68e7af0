"""The two ways policy refuses: a request's facts (422, the client's to fix) and a profile (the operator's)."""

from __future__ import annotations

from pathlib import Path

from domain_errors import DomainError
from policy.codes import PolicyCode


class FactError(DomainError):
    """A fact the request sent is unknown, of the wrong type or out of range.

    ``field`` is the fact's name (``crossings[1].layer`` inside a list; None when the whole body is wrong) and
    ``details`` holds what a client acts on (``expected``, ``allowed``, the ``value``).
    """


class ProfileError(DomainError):
    """A profile file that the engine refuses to load; names the file and, when it can, the rule.

    A broken shipped profile is an operator's mistake: the server must not start with it. An uploaded one is
    the admin's to fix: a 422 whose ``field`` is the JSON path of the key at fault (``rules[3].clause``).
    """

    def __init__(self, message: str, *, file: Path | str, rule: str | None = None,
                 field: str | None = None) -> None:
        super().__init__(PolicyCode.INVALID_PROFILE, message, field=field, details={"file": str(file), "rule": rule})
        self.file = str(file)
        self.rule = rule
        where = f"{self.file}: rule {rule}" if rule else self.file
        # Logged and shown at start-up as file and rule first; the API answers with `message` alone.
        self.args = (f"{where}: {message}",)
