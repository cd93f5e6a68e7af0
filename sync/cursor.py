"""The opaque pull cursor: the last (transaction id, sequence) delivered and the reference-data digest.

After a first pull (a snapshot) it also carries the database snapshot the records were read at and the
highest sequence number then, so the feed skips the changes the snapshot held, and, while the snapshot
is being paged, the position in it (the kind of record and the last id sent).
"""
import base64
import json
import re
from dataclasses import dataclass

from sync.codes import SyncCode
from sync.errors import ProtocolError

BIGINT_LIMIT = 2**63
PG_SNAPSHOT = re.compile(r"^\d{1,19}:\d{1,19}:(\d{1,19}(,\d{1,19})*)?$")


@dataclass(frozen=True)
class Cursor:
    xid: int = 0
    seq: int = 0
    reference_digest: str = ""
    snapshot: str = ""
    snapshot_seq: int = 0
    position: tuple[int, str] | None = None

    def encode(self) -> str:
        fields = {"x": self.xid, "s": self.seq, "r": self.reference_digest}
        if self.snapshot:
            fields.update(v=self.snapshot, q=self.snapshot_seq)
        if self.position is not None:
            fields["p"] = list(self.position)
        raw = json.dumps(fields, separators=(",", ":"))
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")

    @classmethod
    def decode(cls, token: str | None) -> "Cursor":
        if not token:
            return cls()
        try:
            raw = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
            xid, seq, digest = raw["x"], raw["s"], raw["r"]
            snapshot, snapshot_seq, position = raw.get("v", ""), raw.get("q", 0), raw.get("p")
        except (ValueError, KeyError, TypeError, AttributeError, RecursionError):
            xid = seq = digest = None
        # Only what `encode` writes is a cursor: any other value (a float, 1e400, a number past bigint) would
        # fail later, in arithmetic or in the database.
        if not (_is_counter(xid) and _is_counter(seq) and isinstance(digest, str)
                and isinstance(snapshot, str) and (not snapshot or PG_SNAPSHOT.match(snapshot))
                and _is_counter(snapshot_seq) and (position is None or _is_position(position))):
            raise ProtocolError(SyncCode.INVALID_CURSOR,
                                "the cursor is not one this server issued; pull again without it", field="query.cursor")
        return cls(xid, seq, digest, snapshot, snapshot_seq, None if position is None else tuple(position))


def _is_counter(value: object) -> bool:
    return type(value) is int and 0 <= value < BIGINT_LIMIT


def _is_position(value: object) -> bool:
    return (type(value) is list and len(value) == 2 and type(value[0]) is int and 0 <= value[0] < 100
            and isinstance(value[1], str) and len(value[1]) <= 64)
