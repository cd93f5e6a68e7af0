"""Blob storage: the bytes of photos, sketches and signatures, on a local disk or in an S3-compatible store.

Uploads, hashes and types are the server's business (`server/services/blobs.py`); a store only keeps bytes.
"""
from collections.abc import Mapping
from typing import Any

from server.blobstore.local import LocalBlobStore
from server.blobstore.s3 import S3BlobStore
from server.blobstore.store import BLOCK_SIZE, BlobStore, blob_key, chunk_key

__all__ = ["BLOCK_SIZE", "BlobStore", "LocalBlobStore", "S3BlobStore", "blob_key", "chunk_key", "open_store"]


def open_store(config: Mapping[str, Any]) -> BlobStore:
    """The store BLOB_STORE names (`local` or `s3`), set up from the other BLOB_* settings."""
    kind = config["BLOB_STORE"]
    if kind == "local":
        return LocalBlobStore(config["BLOB_DIR"])
    if kind == "s3":
        return S3BlobStore.from_config(config)
    raise ValueError(f"BLOB_STORE must be local or s3, not {kind!r}")
