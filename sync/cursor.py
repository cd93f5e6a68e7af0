"""The opaque pull cursor: the last (transaction id, sequence) delivered and the reference-data digest."""
import base64
import json
from dataclasses import dataclass

from sync.errors import ProtocolError


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
            cursor = cls(int(raw["x"]), int(raw["s"]), str(raw["r"]))
        except (ValueError, KeyError, TypeError, OverflowError):
            # OverflowError: a forged cursor can carry 1e400, which json reads as infinity.
            raise ProtocolError("invalid_cursor", "the cursor is not one this server issued; pull again without it",
                                field="query.cursor") from None
        if cursor.xid < 0 or cursor.seq < 0:
            raise ProtocolError("invalid_cursor", "the cursor is corrupt", field="query.cursor")
        return cursor
