"""Blobs: the JSON a PUT answers with, and the headers that say which part of a blob a request carries."""
import re
from dataclasses import dataclass

import marshmallow as ma
from marshmallow import validate

CONTENT_RANGE = re.compile(r"bytes (\d+)-(\d+)/(\d+)")


@dataclass(frozen=True)
class ByteSpan:
    """The bytes of a blob one request carries: `length` bytes from `start`, of `total` (None: not declared)."""

    start: int
    length: int | None
    total: int | None

    @property
    def completes(self) -> bool:
        """Whether the blob is whole once these bytes are in (a body of undeclared length is the whole blob)."""
        return self.total is None or self.start + self.length == self.total


class BlobSchema(ma.Schema):
    sha256 = ma.fields.String(metadata={"description": "SHA-256 of the content, 64 lowercase hex digits"})
    status = ma.fields.String(metadata={"description": "partial: chunks are arriving; complete: verified",
                                        "enum": ["partial", "complete"]})
    size = ma.fields.Integer(metadata={"description": "bytes of the whole blob"})
    received = ma.fields.Integer(metadata={"description": "bytes stored so far: where the next chunk starts"})
    content_type = ma.fields.String(allow_none=True, metadata={
        "description": "sniffed from the content once complete", "example": "image/jpeg"})


class BlobUploadHeadersSchema(ma.Schema):
    """Content-Range makes the body one chunk of the blob; without it the body is the whole blob."""

    class Meta:
        unknown = ma.EXCLUDE

    content_range = ma.fields.String(data_key="Content-Range", metadata={
        "description": "`bytes START-END/TOTAL` (END inclusive); START must be the Upload-Offset HEAD reports",
        "example": "bytes 0-1048575/3145728"})
    content_length = ma.fields.Integer(data_key="Content-Length", validate=validate.Range(min=0))

    @ma.validates("content_range")
    def _well_formed(self, value: str, **_):
        match = CONTENT_RANGE.fullmatch(value)
        if not match or not int(match[1]) <= int(match[2]) < int(match[3]):
            raise ma.ValidationError("must be `bytes START-END/TOTAL` with START <= END < TOTAL")

    @ma.validates_schema
    def _lengths_agree(self, data: dict, **_):
        if "content_range" in data and "content_length" in data:
            start, end, _total = _numbers(data["content_range"])
            if data["content_length"] != end - start + 1:
                raise ma.ValidationError("Content-Length must be END - START + 1 of Content-Range",
                                         field_name="Content-Length")

    @ma.post_load
    def _span(self, data: dict, **_) -> ByteSpan:
        if "content_range" in data:
            start, end, total = _numbers(data["content_range"])
            return ByteSpan(start, end - start + 1, total)
        length = data.get("content_length")
        return ByteSpan(0, length, length)


def _numbers(content_range: str) -> tuple[int, int, int]:
    start, end, total = CONTENT_RANGE.fullmatch(content_range).groups()
    return int(start), int(end), int(total)
