"""Blobs as files under one directory (a local disk, or a mount every app server shares)."""
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from server.blobstore.store import BLOCK_SIZE


class LocalBlobStore:
    """Key `a/b/c` is the file `root/a/b/c`; keys are built by `server.blobstore.store`, never taken from a client."""

    def __init__(self, root: str | os.PathLike):
        self.root = Path(root)

    def save(self, key: str, blocks: Iterable[bytes]) -> int:
        path = self.root / key
        path.parent.mkdir(parents=True, exist_ok=True)
        # Written beside its final name, synced, then renamed: a reader never sees half a file, a failed
        # write leaves nothing, and a blob the database calls complete survives a power cut.
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".saving-")
        try:
            with os.fdopen(fd, "wb") as out:
                size = 0
                for block in blocks:
                    out.write(block)
                    size += len(block)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temporary, path)
        except BaseException:
            os.unlink(temporary)
            raise
        _fsync_directory(path.parent)
        return size

    def read(self, key: str) -> Iterator[bytes]:
        return _blocks((self.root / key).open("rb"))

    def delete(self, keys: Iterable[str]) -> None:
        for key in keys:
            (self.root / key).unlink(missing_ok=True)


def _blocks(handle: BinaryIO) -> Iterator[bytes]:
    with handle:
        while block := handle.read(BLOCK_SIZE):
            yield block


def _fsync_directory(directory: Path) -> None:
    """Make a rename durable: the new name lives in the directory's own blocks."""
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
