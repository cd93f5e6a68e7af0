"""Read-your-writes across replicas: the WAL position a write returns and a read passes back."""
import marshmallow as ma
from marshmallow import validate

WRITE_POSITION = {"Tapline-Write-Lsn": {
    "description": "the primary's WAL position after this write, sent when the server has replicas; pass the "
                   "highest one received as Tapline-Min-Lsn on reads to see the write",
    "schema": {"type": "string", "example": "16/B374D848"}}}


class ReadAfterSchema(ma.Schema):
    class Meta:
        unknown = ma.EXCLUDE

    min_lsn = ma.fields.String(
        data_key="Tapline-Min-Lsn", load_default=None,
        validate=validate.Regexp(r"^[0-9A-Fa-f]{1,8}/[0-9A-Fa-f]{1,8}$", error="not a WAL position like 16/B374D848"),
        metadata={"description": "a Tapline-Write-Lsn this device received: the read is served only by a database "
                                 "that has replayed it"})
