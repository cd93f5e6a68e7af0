"""Content-addressed blobs: resumable chunked uploads, verified against their SHA-256 and sniffed for type.

Nothing is locked and no transaction stays open while bytes stream: a tablet on a weak link may take
minutes over a chunk, and an open writing transaction would hold back every pull's cursor (it stops at the
oldest running transaction, see server/models/changes.py). So a chunk is first stored under a name of its
own, then claimed by one conditional statement that succeeds only at the offset the client started from;
the loser of a race deletes its chunk and gets 409. The chunk that completes a blob is never stored alone:
behind the stored chunks it streams through the hash into the blob's key, and the store keeps nothing when
the hash or the type turns out wrong. Hence the few commits of `put_blob`, each ending a short transaction.
"""
import hashlib
import re
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from itertools import chain

import puremagic
from sqlalchemy import delete, func, select, tuple_, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from schemas.blobs import ByteSpan
from server.blobstore import BlobStore, blob_key, chunk_key
from server.error_codes import ServerCode
from server.errors import ApiError, NotFound
from server.models import Blob
from server.models.blobs import COMPLETE, PARTIAL
from server.services.lookup import among
from server.unit_of_work import unit_of_work

SHA256 = re.compile(r"[0-9a-f]{64}")
BLOB_TYPES = ("image/jpeg", "image/png", "image/webp", "application/pdf")
# The leading bytes sniffed: far more than any signature of BLOB_TYPES needs.
SNIFF_BYTES = 4096

# What a PUT did.
COMPLETED, CHUNK_STORED, ALREADY_COMPLETE = "completed", "chunk_stored", "already_complete"


class InvalidSha256(ApiError):
    def __init__(self, value: str):
        super().__init__(ServerCode.INVALID_SHA256,
                         "a blob is named by the SHA-256 of its content: 64 lowercase hex digits",
                         details={"sha256": value})


class OffsetMismatch(ApiError):
    def __init__(self, expected_offset: int, start: int):
        super().__init__(ServerCode.OFFSET_MISMATCH,
                         f"{expected_offset} bytes of this blob are stored, so the next chunk starts there, "
                         f"not at {start}", details={"expected_offset": expected_offset, "start": start})


class TotalMismatch(ApiError):
    def __init__(self, expected_total: int, total: int):
        super().__init__(ServerCode.TOTAL_MISMATCH, f"this upload was started as {expected_total} bytes, not {total}",
                         details={"expected_total": expected_total, "total": total})


class BlobIncomplete(ApiError):
    def __init__(self, blob: Blob):
        super().__init__(ServerCode.BLOB_INCOMPLETE,
                         f"only {blob.received} of {blob.size} bytes of this blob have arrived",
                         details={"received": blob.received, "size": blob.size})


class BlobTooLarge(ApiError):
    def __init__(self, limit: int):
        super().__init__(ServerCode.BLOB_TOO_LARGE, f"a blob may have at most {limit} bytes", details={"limit": limit})


class LengthMismatch(ApiError):
    def __init__(self, declared: int, received: int):
        super().__init__(ServerCode.LENGTH_MISMATCH,
                         f"the headers declare {declared} bytes but the body had {received}",
                         details={"declared": declared, "received": received})


class HashMismatch(ApiError):
    def __init__(self, expected: str, actual: str):
        super().__init__(ServerCode.HASH_MISMATCH,
                         "the content does not hash to the blob's name; what was stored of it is discarded, "
                         "upload it again from byte 0", details={"expected": expected, "actual": actual})


class UnsupportedBlobType(ApiError):
    def __init__(self, detected: str | None):
        super().__init__(ServerCode.UNSUPPORTED_BLOB_TYPE,
                         f"blobs must be {', '.join(BLOB_TYPES)}; this content is {detected or 'unrecognised'}",
                         details={"accepted": list(BLOB_TYPES), "detected": detected})


@dataclass(frozen=True)
class Upload:
    blob: Blob
    outcome: str  # COMPLETED | CHUNK_STORED | ALREADY_COMPLETE


def find_blob(session: Session, tenant_id: uuid.UUID, sha256: str) -> Blob:
    """The blob, partial or complete; 404 when nothing of it arrived in this tenant."""
    blob = session.get(Blob, (tenant_id, _checked(sha256)))
    if blob is None:
        raise NotFound("blob", sha256)
    return blob


def open_blob(session: Session, store: BlobStore, tenant_id: uuid.UUID, sha256: str) -> tuple[Blob, Iterator[bytes]]:
    """A complete blob and its content streamed from the store; 409 `blob_incomplete` while chunks arrive."""
    blob = find_blob(session, tenant_id, sha256)
    if blob.status != COMPLETE:
        raise BlobIncomplete(blob)
    return blob, store.read(blob_key(tenant_id, blob.sha256))


def missing_blobs(session: Session, tenant_id: uuid.UUID, sha256s: Iterable[str]) -> list[str]:
    """Those of `sha256s` the tenant has no complete blob for, in the order given, each once."""
    wanted = list(dict.fromkeys(sha256s))
    complete = set(session.scalars(select(Blob.sha256).where(
        Blob.tenant_id == tenant_id, among(Blob.sha256, wanted), Blob.status == COMPLETE)))
    return [sha256 for sha256 in wanted if sha256 not in complete]


def put_blob(session: Session, store: BlobStore, tenant_id: uuid.UUID, sha256: str, span: ByteSpan,
             body: Iterable[bytes], *, limit: int) -> Upload:
    """Store the bytes `body` carries at `span`; verify and complete the blob when they are its last.

    Raises InvalidSha256, BlobTooLarge (declared, or streamed past `limit`), OffsetMismatch, TotalMismatch,
    LengthMismatch, and HashMismatch or UnsupportedBlobType (both discard what was stored of the blob).
    """
    sha256 = _checked(sha256)
    if span.total is not None and span.total > limit:
        raise BlobTooLarge(limit)
    with unit_of_work(session):  # the read ends with it: nothing is held in the database while the body streams
        blob = session.get(Blob, (tenant_id, sha256))
    if blob is not None and blob.status == COMPLETE:
        return Upload(blob, ALREADY_COMPLETE)
    received = blob.received if blob else 0
    if span.start != received:
        raise OffsetMismatch(received, span.start)
    if blob is not None and span.total != blob.size:
        raise TotalMismatch(blob.size, span.total)
    body = _exactly(body, span, limit)
    if span.completes:
        return _complete(session, store, tenant_id, sha256, blob, span, body)
    return _append(session, store, tenant_id, sha256, span, body)


def _append(session: Session, store: BlobStore, tenant_id: uuid.UUID, sha256: str, span: ByteSpan,
            body: Iterator[bytes]) -> Upload:
    chunk = uuid.uuid4().hex
    key = chunk_key(tenant_id, sha256, chunk)
    store.save(key, body)
    if span.start == 0:
        claim = insert(Blob).values(tenant_id=tenant_id, sha256=sha256, status=PARTIAL, size=span.total,
                                    received=span.length, chunks=[chunk]).on_conflict_do_nothing()
    else:
        claim = update(Blob).where(*_partial_at(tenant_id, sha256, span.start)).values(
            received=Blob.received + span.length, chunks=func.array_append(Blob.chunks, chunk))
    with unit_of_work(session):
        blob = _claimed(session, claim)
    if blob is None:
        store.delete([key])
        return _after_lost_race(session, tenant_id, sha256, span)
    return Upload(blob, CHUNK_STORED)


def _complete(session: Session, store: BlobStore, tenant_id: uuid.UUID, sha256: str, blob: Blob | None,
              span: ByteSpan, body: Iterator[bytes]) -> Upload:
    chunks = blob.chunks if blob else []
    stored = chain.from_iterable(store.read(chunk_key(tenant_id, sha256, chunk)) for chunk in chunks)
    content = _Verified(sha256)
    try:
        size = store.save(blob_key(tenant_id, sha256), content.blocks(chain(stored, body)))
    except (HashMismatch, UnsupportedBlobType):
        _discard(session, store, tenant_id, sha256, span.start, chunks)
        raise
    except FileNotFoundError:  # a rival completed or discarded the upload, deleting its chunks, meanwhile
        return _after_lost_race(session, tenant_id, sha256, span)
    done = dict(status=COMPLETE, size=size, received=size, content_type=content.content_type, chunks=[],
                completed_at=func.now())
    if blob is None:
        claim = insert(Blob).values(tenant_id=tenant_id, sha256=sha256, **done).on_conflict_do_nothing()
    else:
        claim = update(Blob).where(*_partial_at(tenant_id, sha256, span.start)).values(**done)
    # Losing a race here is harmless: the content at the blob's key was verified, whoever wrote it.
    with unit_of_work(session):
        completed = _claimed(session, claim)
    if completed is None:
        return _after_lost_race(session, tenant_id, sha256, span)
    store.delete(chunk_key(tenant_id, sha256, chunk) for chunk in chunks)
    return Upload(completed, COMPLETED)


def _discard(session: Session, store: BlobStore, tenant_id: uuid.UUID, sha256: str, received: int,
             chunks: list[str]) -> None:
    """Forget an upload whose content proved wrong, so that the client starts it again from byte 0."""
    with unit_of_work(session):
        session.execute(delete(Blob).where(*_partial_at(tenant_id, sha256, received)))
    store.delete(chunk_key(tenant_id, sha256, chunk) for chunk in chunks)


def _claimed(session: Session, claim) -> Blob | None:
    """The blob row as `claim` (an INSERT or UPDATE) left it, or None when its condition no longer held."""
    return session.scalars(claim.returning(Blob), execution_options={"populate_existing": True}).one_or_none()


def _after_lost_race(session: Session, tenant_id: uuid.UUID, sha256: str, span: ByteSpan) -> Upload:
    """Another request moved the blob on while this body streamed: say where it stands now."""
    blob = session.get(Blob, (tenant_id, sha256), populate_existing=True)
    if blob is not None and blob.status == COMPLETE:
        return Upload(blob, ALREADY_COMPLETE)
    raise OffsetMismatch(blob.received if blob else 0, span.start)


def _partial_at(tenant_id: uuid.UUID, sha256: str, received: int) -> tuple:
    return Blob.tenant_id == tenant_id, Blob.sha256 == sha256, Blob.status == PARTIAL, Blob.received == received


def _checked(sha256: str) -> str:
    if not SHA256.fullmatch(sha256):
        raise InvalidSha256(sha256)
    return sha256


def _exactly(blocks: Iterable[bytes], span: ByteSpan, limit: int) -> Iterator[bytes]:
    """`blocks`, checked as they stream to hold the `span.length` bytes declared (at most `limit` if none were)."""
    received = 0
    for block in blocks:
        received += len(block)
        if span.length is None and received > limit:
            raise BlobTooLarge(limit)
        if span.length is not None and received > span.length:
            raise LengthMismatch(span.length, received)
        yield block
    if span.length is not None and received != span.length:
        raise LengthMismatch(span.length, received)


class _Verified:
    """Passes content through, hashing it and keeping its head; at its end raises if it is not what was claimed."""

    def __init__(self, sha256: str):
        self.sha256 = sha256
        self.content_type: str | None = None

    def blocks(self, blocks: Iterable[bytes]) -> Iterator[bytes]:
        digest, head = hashlib.sha256(), bytearray()
        for block in blocks:
            digest.update(block)
            head += block[:SNIFF_BYTES - len(head)]
            yield block
        if digest.hexdigest() != self.sha256:
            raise HashMismatch(self.sha256, digest.hexdigest())
        self.content_type = sniff(bytes(head))


def sniff(head: bytes) -> str:
    """The type of content by its leading bytes, whatever a client claims; 415 unless Tapline accepts it."""
    try:
        candidates = [match.mime_type for match in puremagic.magic_string(head)]
    except (puremagic.PureError, ValueError):  # nothing recognised; ValueError: no bytes at all
        candidates = []
    accepted = next((mime for mime in candidates if mime in BLOB_TYPES), None)
    if accepted is None:
        raise UnsupportedBlobType(candidates[0] if candidates else None)
    return accepted


def expire_partial_uploads(session: Session, store: BlobStore, older_than: timedelta) -> int:
    """Forget uploads left partial for longer than `older_than` (a tablet lost, a photo abandoned); returns how many.

    Rows go first, in one statement that skips uploads a request holds, so no client resumes into deleted chunks.
    """
    stale = select(Blob.tenant_id, Blob.sha256).where(
        Blob.status == PARTIAL, Blob.created_at < func.now() - older_than).with_for_update(skip_locked=True)
    with unit_of_work(session):
        expired = session.execute(delete(Blob).where(tuple_(Blob.tenant_id, Blob.sha256).in_(stale))
                                  .returning(Blob.tenant_id, Blob.sha256, Blob.chunks)).all()
    store.delete(chunk_key(tenant_id, sha256, chunk) for tenant_id, sha256, chunks in expired for chunk in chunks)
    return len(expired)
