"""Blobs: photos, sketches and signatures, uploaded in resumable chunks before the push that names them."""
from collections.abc import Iterator

from flask import Response, current_app, g, request
from flask.views import MethodView

from schemas.blobs import BlobSchema, BlobUploadHeadersSchema
from schemas.users import ROLES
from server.api.blueprint import Blueprint
from server.auth import requires
from server.blobstore import BLOCK_SIZE, BlobStore, open_store
from server.extensions import db
from server.models import Blob
from server.models.blobs import COMPLETE
from server.services import blobs

blp = Blueprint("blobs", __name__, url_prefix="/api/v1/blobs", description=(
    "Content-addressed by SHA-256 and private to the tenant. HEAD says how much of a blob is stored; PUT "
    "appends a chunk (Content-Range) or sends it whole; GET streams it. See docs/blobs.md."))

PUT_STATUS = {blobs.COMPLETED: 201, blobs.CHUNK_STORED: 202, blobs.ALREADY_COMPLETE: 200}
BINARY = {"schema": {"type": "string", "format": "binary"}}
STATUS_HEADERS = {
    "Tapline-Blob-Status": {"schema": {"type": "string", "enum": ["partial", "complete"]}},
    "Upload-Offset": {"description": "partial only: the bytes stored, where the next chunk starts",
                      "schema": {"type": "integer"}},
    "Upload-Length": {"description": "partial only: the TOTAL the upload started with", "schema": {"type": "integer"}},
}


@blp.record_once
def _open_store(state) -> None:
    """One store per app, built from its config when the blueprint is registered."""
    state.app.extensions["tapline_blobs"] = open_store(state.app.config)


# Any name reaches the view, which answers 422 invalid_sha256; the OpenAPI states what a client must send.
SHA256_PARAMETER = {"in": "path", "name": "sha256", "description": "SHA-256 of the content",
                    "schema": {"type": "string", "pattern": "^[0-9a-f]{64}$"}}


@blp.route("/<string:sha256>", parameters=[SHA256_PARAMETER])
class BlobBySha(MethodView):
    accepts_raw_body = True  # a PUT body is the blob's bytes, not JSON

    @requires(*ROLES)
    @blp.doc(responses={"200": {"description": "complete (with Content-Length and Content-Type) or partial",
                                "headers": STATUS_HEADERS},
                        "404": {"description": "nothing of this blob has arrived"}})
    def head(self, sha256):
        """How much of a blob is stored: resume an upload from its Upload-Offset"""
        blob = blobs.find_blob(db.session, g.principal.tenant_id, sha256)
        return Response(headers=_content_headers(blob) if blob.status == COMPLETE else _status_headers(blob))

    @requires(*ROLES)
    @blp.arguments(BlobUploadHeadersSchema, location="headers")
    @blp.doc(requestBody={"required": True, "content": {"application/octet-stream": BINARY}})
    @blp.response(201, BlobSchema, description="this request completed the blob: verified and stored",
                  headers=STATUS_HEADERS)
    @blp.alt_response(202, schema=BlobSchema, headers=STATUS_HEADERS,
                      description="chunk stored; `received` is where the next starts")
    @blp.alt_response(200, schema=BlobSchema, headers=STATUS_HEADERS,
                      description="the blob was already complete; the body was ignored")
    @blp.alt_response(400, description="length_mismatch: the body is not as long as its headers say")
    @blp.alt_response(409, description="offset_mismatch (details.expected_offset) or total_mismatch")
    @blp.alt_response(413, description="blob_too_large (details.limit)")
    @blp.alt_response(415, description="unsupported_blob_type: not JPEG, PNG, WebP or PDF")
    @blp.alt_response(422, description="invalid_sha256, or hash_mismatch (what was stored is discarded)")
    def put(self, span, sha256):
        """Upload a blob whole, or one chunk of it with Content-Range"""
        limit = current_app.config["BLOB_MAX_BYTES"]
        upload = blobs.put_blob(db.session, _store(), g.principal.tenant_id, sha256, span,
                                _request_blocks(limit), limit=limit)
        return upload.blob, PUT_STATUS[upload.outcome], _status_headers(upload.blob)

    @requires(*ROLES)
    @blp.doc(responses={"200": {"description": "the content", "content": {"application/octet-stream": BINARY}},
                        "404": {"description": "nothing of this blob has arrived"},
                        "409": {"description": "blob_incomplete: chunks are still arriving"}})
    def get(self, sha256):
        """Download a complete blob"""
        blob, content = blobs.open_blob(db.session, _store(), g.principal.tenant_id, sha256)
        return Response(content, headers=_content_headers(blob), direct_passthrough=True)


def _store() -> BlobStore:
    return current_app.extensions["tapline_blobs"]


def _request_blocks(limit: int) -> Iterator[bytes]:
    """The request body in blocks, never whole in memory.

    The limit is raised for this view only, one byte past the blob limit: werkzeug cannot tell a body that
    ends exactly at its limit from one that goes on, so it refuses both; the service counts the bytes and
    refuses only what truly exceeds `limit`, as blob_too_large.
    """
    request.max_content_length = limit + 1
    while block := request.stream.read(BLOCK_SIZE):
        yield block


def _status_headers(blob: Blob) -> dict:
    if blob.status == COMPLETE:
        return {"Tapline-Blob-Status": COMPLETE}
    return {"Tapline-Blob-Status": blob.status, "Upload-Offset": str(blob.received), "Upload-Length": str(blob.size)}


def _content_headers(blob: Blob) -> dict:
    return {
        **_status_headers(blob),
        "Content-Type": blob.content_type,
        "Content-Length": str(blob.size),
        "ETag": f'"{blob.sha256}"',
        # Content-addressed, so it never changes; private, because it is the tenant's.
        "Cache-Control": "private, max-age=31536000, immutable",
        "X-Content-Type-Options": "nosniff",
    }
