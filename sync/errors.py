"""What the protocol's pure parts refuse: an error of the one shape every package's errors share."""

from __future__ import annotations

from domain_errors import DomainError


class ProtocolError(DomainError):
    """A request the sync protocol cannot take (a cursor this server never issued): a `SyncCode`.

    ``field`` is where the request is wrong (``query.cursor``) and ``details`` holds what a client acts on.
    """
