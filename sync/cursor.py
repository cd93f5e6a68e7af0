"""The opaque pull cursor: the last (transaction id, sequence) delivered and the reference-data digest."""
import base64
import json
from dataclasses import dataclass

from sync.errors import ProtocolError

BIGINT_LIMIT = 2**63


@dataclass(frozen=True)
class Cursor:
    xid: int = 0
    seq: int = 0
    reference_digest: str = ""

    def encode(self) -> str:
        raw = json.dumps({"x": self.xid, "s": self.seq, "r": self.reference_digest}, separators=(",", ":"))
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")

    @classmethod
    def decode(cls, token: str | None) -> "Cursor":
        if not token:
            return cls()
        try:
            raw = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
            xid, seq, digest = raw["x"], raw["s"], raw["r"]
        except (ValueError, KeyError, TypeError, RecursionError):
            xid = seq = digest = None
        # Only what `encode` writes is a cursor: any other value (a float, 1e400, a number past bigint) would
        # fail later, in arithmetic or in the database.
        if not (_is_counter(xid) and _is_counter(seq) and isinstance(digest, str)):
            raise ProtocolError("invalid_cursor", "the cursor is not one this server issued; pull again without it",
                                field="query.cursor")
        return cls(xid, seq, digest)


def _is_counter(value: object) -> bool:
    return type(value) is int and 0 <= value < BIGINT_LIMIT
