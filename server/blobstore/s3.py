"""Blobs as objects in an S3-compatible bucket (SeaweedFS, MinIO, Ceph, OSS, COS, AWS)."""
from collections.abc import Iterable, Iterator, Mapping
from itertools import chain, islice
from typing import Any

import boto3

from server.blobstore.store import BLOCK_SIZE

# S3 refuses multipart parts under 5 MiB except the last; 8 MiB parts are what the AWS CLI uses.
PART_SIZE = 8 * 1024 * 1024
# DeleteObjects takes at most 1,000 keys a call.
DELETE_BATCH = 1000


class S3BlobStore:
    """Key `a/b/c` is the object `a/b/c` of one bucket, which the operator creates."""

    def __init__(self, client, bucket: str):
        self.client = client
        self.bucket = bucket

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> "S3BlobStore":
        """Built from the app's BLOB_S3_* settings; nothing connects until the first request."""
        if not config["BLOB_S3_BUCKET"]:
            raise ValueError("BLOB_STORE=s3 needs BLOB_S3_BUCKET (and usually BLOB_S3_ENDPOINT and keys)")
        client = boto3.client(
            "s3",
            endpoint_url=config["BLOB_S3_ENDPOINT"] or None,
            aws_access_key_id=config["BLOB_S3_ACCESS_KEY"] or None,
            aws_secret_access_key=config["BLOB_S3_SECRET_KEY"] or None,
            region_name=config["BLOB_S3_REGION"],
        )
        return cls(client, config["BLOB_S3_BUCKET"])

    def save(self, key: str, blocks: Iterable[bytes]) -> int:
        parts = _parts(blocks)
        first = next(parts, b"")
        if len(first) < PART_SIZE:  # a short part comes only last: this is all of it
            self.client.put_object(Bucket=self.bucket, Key=key, Body=first)
            return len(first)
        parts = chain([first], parts)
        del first  # so a part is freed once it is uploaded
        # The object exists only once the multipart upload completes: an error from `blocks` (content
        # found wrong at its end, a client gone) aborts it and leaves nothing.
        upload_id = self.client.create_multipart_upload(Bucket=self.bucket, Key=key)["UploadId"]
        try:
            size, uploaded = 0, []
            for number, body in enumerate(parts, start=1):
                etag = self.client.upload_part(Bucket=self.bucket, Key=key, UploadId=upload_id,
                                               PartNumber=number, Body=body)["ETag"]
                uploaded.append({"PartNumber": number, "ETag": etag})
                size += len(body)
            self.client.complete_multipart_upload(Bucket=self.bucket, Key=key, UploadId=upload_id,
                                                  MultipartUpload={"Parts": uploaded})
        except BaseException:
            self.client.abort_multipart_upload(Bucket=self.bucket, Key=key, UploadId=upload_id)
            raise
        return size

    def read(self, key: str) -> Iterator[bytes]:
        try:
            body = self.client.get_object(Bucket=self.bucket, Key=key)["Body"]
        except self.client.exceptions.NoSuchKey:
            raise FileNotFoundError(key) from None
        return _streamed(body)

    def delete(self, keys: Iterable[str]) -> None:
        keys = iter(keys)
        while batch := list(islice(keys, DELETE_BATCH)):
            self.client.delete_objects(Bucket=self.bucket, Delete={
                "Objects": [{"Key": key} for key in batch], "Quiet": True})


def _parts(blocks: Iterable[bytes]) -> Iterator[bytes]:
    """`blocks` gathered into parts of at least PART_SIZE (the last may be smaller)."""
    part = bytearray()
    for block in blocks:
        part += block
        if len(part) >= PART_SIZE:
            full, part = bytes(part), bytearray()
            yield full
    if part:
        yield bytes(part)


def _streamed(body) -> Iterator[bytes]:
    try:
        yield from body.iter_chunks(BLOCK_SIZE)
    finally:
        body.close()
