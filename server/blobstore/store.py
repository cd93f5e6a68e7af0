"""Where blob bytes live: the interface every store implements, and the keys blobs are stored under.

A store knows nothing of hashes, tenants or uploads in progress; it saves, reads and deletes byte streams
by key. Keys lead with the tenant, so one tenant's blobs can be listed, moved or erased on their own.
"""
import uuid
from collections.abc import Iterable, Iterator
from typing import Protocol

# Bytes read or written at a time: memory stays flat whatever the size of a blob.
BLOCK_SIZE = 1024 * 1024


class BlobStore(Protocol):
    def save(self, key: str, blocks: Iterable[bytes]) -> int:
        """Store `blocks` under `key` and return the byte count; all or nothing.

        When iterating `blocks` raises, nothing is left under `key` (nor half-written beside it) and the
        error propagates: that is how a caller refuses content it finds wrong only at its end.
        """

    def read(self, key: str) -> Iterator[bytes]:
        """The bytes under `key` in blocks; a missing key raises FileNotFoundError here, before the first block."""

    def delete(self, keys: Iterable[str]) -> None:
        """Remove these keys; those already gone are ignored."""


def blob_key(tenant_id: uuid.UUID, sha256: str) -> str:
    """A complete blob; the two-character fan-out keeps directories small on a local disk."""
    return f"blobs/{tenant_id}/{sha256[:2]}/{sha256}"


def chunk_key(tenant_id: uuid.UUID, sha256: str, chunk: str) -> str:
    """One stored chunk of an upload in progress (deleted when the blob completes or is discarded)."""
    return f"partial/{tenant_id}/{sha256}.{chunk}"
