"""The opaque pull cursor: the last (transaction id, sequence) delivered and the reference-data digest."""
import base64
import json
from dataclasses import dataclass

from server.errors import Unprocessable


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
        except (ValueError, KeyError, TypeError):
            raise Unprocessable("the cursor is not one this server issued; pull again without it",
                                code="invalid_cursor", field="query.cursor") from None
        if cursor.xid < 0 or cursor.seq < 0:
            raise Unprocessable("the cursor is corrupt", code="invalid_cursor", field="query.cursor")
        return cursor
