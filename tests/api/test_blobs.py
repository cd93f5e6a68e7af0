"""Blobs through HTTP: one behaviour suite, run against both stores (local disk and SeaweedFS over S3).

Each test gets a fresh tenant, so it looks only at the keys stored under that tenant's id.
"""
import io
from datetime import timedelta

import pytest
from sqlalchemy import update

from server import create_app
from server.blobstore import LocalBlobStore
from server.blobstore.s3 import PART_SIZE
from server.cli import main
from server.config import Config
from server.models import Blob
from server.services.blobs import expire_partial_uploads, missing_blobs
from tests.factories import ApiClient, jpeg, png, sha

SMALL_LIMIT = 1000
# What gunicorn tells the app: it ends the body itself, so werkzeug reads it up to max_content_length.
GUNICORN = {"wsgi.input_terminated": True}
CHUNKED = {"Transfer-Encoding": "chunked"}


def pdf() -> bytes:
    return b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def webp() -> bytes:
    """A 1×1 lossless WebP."""
    return b"RIFF\x1a\x00\x00\x00WEBPVP8L\x0d\x00\x00\x00/\x00\x00\x00\x10\x07\x10\x11\x11\x88\x88\xfe\x07\x00"


def streamed(content: bytes) -> dict:
    """The environ of a body sent without Content-Length (chunked transfer), as gunicorn hands it over."""
    return {"wsgi.input": io.BytesIO(content), **GUNICORN}


def path(content_or_sha) -> str:
    return f"/api/v1/blobs/{content_or_sha if isinstance(content_or_sha, str) else sha(content_or_sha)}"


def put_chunk(api: ApiClient, content: bytes, start: int, end: int, *, name: str | None = None, as_: str = "crew"):
    """PUT bytes start..end (inclusive) of `content` with their Content-Range."""
    return api.put(path(name or content), as_=as_, data=content[start:end + 1],
                   headers={"Content-Range": f"bytes {start}-{end}/{len(content)}"})


# One store per session parameter: every test below runs once on local disk and once on S3.
@pytest.fixture(scope="session", params=["local", "s3"])
def store_config(request, tmp_path_factory) -> dict:
    if request.param == "s3":
        return request.getfixturevalue("seaweedfs")
    return {"BLOB_STORE": "local", "BLOB_DIR": str(tmp_path_factory.mktemp("blobs"))}


# Apps are built once per session: create_app re-binds the process-wide `db`, which db_session patches per test.
# Both apps of a parameter share one store.
@pytest.fixture(scope="session")
def blob_app(migrated, store_config):
    return create_app(Config(DATABASE_URL=migrated, LOG_REQUESTS=False, **store_config))


@pytest.fixture(scope="session")
def small_blob_app(migrated, store_config):
    return create_app(Config(DATABASE_URL=migrated, LOG_REQUESTS=False, BLOB_MAX_BYTES=SMALL_LIMIT, **store_config))


@pytest.fixture
def blob_api(blob_app, db_session, tenant) -> ApiClient:
    return ApiClient(blob_app.test_client(), tenant)


@pytest.fixture
def small_api(small_blob_app, db_session, tenant) -> ApiClient:
    return ApiClient(small_blob_app.test_client(), tenant)


@pytest.fixture
def stored(blob_app, tenant):
    """The keys the store holds for this test's tenant, chunks and temporary files included."""
    store = blob_app.extensions["tapline_blobs"]

    def keys() -> list[str]:
        if isinstance(store, LocalBlobStore):
            found = [str(p.relative_to(store.root)) for p in store.root.rglob("*") if p.is_file()]
        else:
            pages = store.client.get_paginator("list_objects_v2").paginate(Bucket=store.bucket)
            found = [item["Key"] for page in pages for item in page.get("Contents", [])]
        return sorted(key for key in found if str(tenant.id) in key)

    return keys


@pytest.mark.parametrize("content, content_type", [
    (png(), "image/png"), (jpeg(), "image/jpeg"), (pdf(), "application/pdf"), (webp(), "image/webp"),
], ids=["png", "jpeg", "pdf", "webp"])
def test_whole_upload_then_download(blob_api, content, content_type):
    put = blob_api.put(path(content), as_="crew", data=content, headers={"Content-Type": "application/x-anything"})
    assert put.status_code == 201
    assert put.json == {"sha256": sha(content), "status": "complete", "size": len(content),
                        "received": len(content), "content_type": content_type}
    assert put.headers["Tapline-Blob-Status"] == "complete"

    head = blob_api.request("HEAD", path(content), as_="engineer")
    assert head.status_code == 200
    assert head.headers["Tapline-Blob-Status"] == "complete"
    assert head.headers["Content-Length"] == str(len(content))
    assert head.headers["Content-Type"] == content_type

    get = blob_api.get(path(content), as_="engineer")
    assert get.status_code == 200
    assert get.data == content
    assert get.headers["Content-Type"] == content_type
    assert get.headers["ETag"] == f'"{sha(content)}"'


def test_uploading_a_complete_blob_again_is_idempotent(blob_api, stored):
    content = png()
    blob_api.put(path(content), data=content)
    keys = stored()
    again = blob_api.put(path(content), data=content)
    assert again.status_code == 200
    assert again.json["status"] == "complete"
    assert stored() == keys


def test_an_interrupted_upload_resumes_from_the_offset_head_reports(blob_api, stored):
    content = jpeg(2 * PART_SIZE)  # more than one S3 part once composed
    half = len(content) // 2
    first = put_chunk(blob_api, content, 0, half - 1)
    assert first.status_code == 202
    assert first.json["received"] == half
    assert first.headers["Upload-Offset"] == str(half)

    # The connection drops a few bytes into the next chunk (as gunicorn passes it on: the body just ends).
    dropped = blob_api.put(path(content), input_stream=io.BytesIO(content[half:half + 1000]),
                           environ_overrides={"CONTENT_LENGTH": str(len(content) - half), **GUNICORN},
                           headers={"Content-Range": f"bytes {half}-{len(content) - 1}/{len(content)}"})
    assert dropped.status_code == 400
    assert dropped.json["code"] == "length_mismatch"

    head = blob_api.request("HEAD", path(content))
    assert head.status_code == 200
    assert head.headers["Tapline-Blob-Status"] == "partial"
    assert head.headers["Upload-Offset"] == str(half)
    assert head.headers["Upload-Length"] == str(len(content))
    offset = int(head.headers["Upload-Offset"])

    rest = put_chunk(blob_api, content, offset, len(content) - 1)
    assert rest.status_code == 201
    assert rest.json["size"] == len(content)
    assert blob_api.get(path(content)).data == content
    assert stored() == [f"blobs/{blob_api.world.id}/{sha(content)[:2]}/{sha(content)}"]


def test_many_small_chunks_make_one_blob(blob_api):
    content = jpeg(100_000)
    step = 30_000
    statuses = [put_chunk(blob_api, content, start, min(start + step, len(content)) - 1).status_code
                for start in range(0, len(content), step)]
    assert statuses == [202, 202, 202, 201]
    assert blob_api.get(path(content)).data == content


@pytest.mark.parametrize("start", [0, 5000])
def test_a_chunk_that_does_not_start_at_the_offset_is_refused(blob_api, start):
    content = jpeg(10_000)
    put_chunk(blob_api, content, 0, 2999)
    response = put_chunk(blob_api, content, start, start + 999)
    assert response.status_code == 409
    assert response.json["code"] == "offset_mismatch"
    assert response.json["details"]["expected_offset"] == 3000
    assert blob_api.request("HEAD", path(content)).headers["Upload-Offset"] == "3000"


def test_a_whole_upload_over_a_partial_one_is_told_the_offset(blob_api):
    content = jpeg(10_000)
    put_chunk(blob_api, content, 0, 2999)
    response = blob_api.put(path(content), data=content)
    assert response.status_code == 409
    assert response.json["details"]["expected_offset"] == 3000


def test_a_chunk_must_keep_the_total_the_upload_started_with(blob_api):
    content = jpeg(10_000)
    put_chunk(blob_api, content, 0, 2999)
    response = blob_api.put(path(content), data=content[3000:4000],
                            headers={"Content-Range": f"bytes 3000-3999/{len(content) + 1}"})
    assert response.status_code == 409
    assert response.json["code"] == "total_mismatch"
    assert response.json["details"]["expected_total"] == len(content)


class Overtaken(io.BytesIO):
    """A request body overtaken by a rival request that runs just before its first byte is read."""

    def __init__(self, content: bytes, rival):
        super().__init__(content)
        self.rival = rival

    def readinto(self, buffer) -> int:
        if self.rival:
            self.rival, rival = None, self.rival
            rival()
        return super().readinto(buffer)


def test_of_two_racing_chunks_at_one_offset_one_is_kept(blob_api, stored):
    content = jpeg(10_000)
    rival_response = []
    body = Overtaken(content[:1000], lambda: rival_response.append(put_chunk(blob_api, content, 0, 999)))
    response = blob_api.put(path(content), environ_overrides={"wsgi.input": body, "CONTENT_LENGTH": "1000"},
                            headers={"Content-Range": f"bytes 0-999/{len(content)}"})
    assert rival_response[0].status_code == 202
    assert response.status_code == 409
    assert response.json["details"]["expected_offset"] == 1000
    assert len(stored()) == 1  # the loser's chunk is deleted


def test_a_blob_completed_by_a_rival_meanwhile_is_reported_complete(blob_api, stored):
    content = jpeg(10_000)
    rival_response = []
    body = Overtaken(content, lambda: rival_response.append(blob_api.put(path(content), data=content)))
    response = blob_api.put(path(content), environ_overrides={"wsgi.input": body,
                                                              "CONTENT_LENGTH": str(len(content))})
    assert rival_response[0].status_code == 201
    assert response.status_code == 200
    assert response.json["status"] == "complete"
    assert blob_api.get(path(content)).data == content
    assert stored() == [f"blobs/{blob_api.world.id}/{sha(content)[:2]}/{sha(content)}"]


def test_a_rival_that_completes_the_blob_while_its_chunks_are_read_wins(blob_api, monkeypatch):
    content = jpeg(10_000)
    put_chunk(blob_api, content, 0, 4999)
    store = blob_api.client.application.extensions["tapline_blobs"]
    read, rival = store.read, {}

    def overtaken(key):
        if not rival:  # the rival completes the blob, and deletes the chunks, before this first read
            rival["started"] = True
            rival["response"] = put_chunk(blob_api, content, 5000, len(content) - 1)
        return read(key)

    monkeypatch.setattr(store, "read", overtaken)
    response = put_chunk(blob_api, content, 5000, len(content) - 1)
    assert rival["response"].status_code == 201
    assert response.status_code == 200
    assert blob_api.get(path(content)).data == content


def test_content_that_does_not_match_its_hash_is_refused_and_nothing_is_kept(blob_api, stored):
    content = png()
    response = blob_api.put(path(sha(b"something else")), data=content)
    assert response.status_code == 422
    assert response.json["code"] == "hash_mismatch"
    assert response.json["details"]["actual"] == sha(content)
    assert blob_api.request("HEAD", path(sha(b"something else"))).status_code == 404
    assert stored() == []


def test_a_chunked_upload_that_does_not_match_its_hash_is_discarded(blob_api, stored):
    content, claimed = jpeg(PART_SIZE + 10), sha(b"not this")
    half = len(content) // 2
    assert put_chunk(blob_api, content, 0, half - 1, name=claimed).status_code == 202
    response = put_chunk(blob_api, content, half, len(content) - 1, name=claimed)
    assert response.status_code == 422
    assert response.json["code"] == "hash_mismatch"
    assert blob_api.request("HEAD", path(claimed)).status_code == 404
    assert stored() == []
    restart = put_chunk(blob_api, content, 0, half - 1, name=claimed)
    assert restart.status_code == 202


@pytest.mark.parametrize("content", [b"plain text, not a photo", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", b""],
                         ids=["text", "gif", "empty"])
def test_an_unsupported_type_is_refused(blob_api, stored, content):
    response = blob_api.put(path(content), data=content, headers={"Content-Type": "image/jpeg"})
    assert response.status_code == 415
    assert response.json["code"] == "unsupported_blob_type"
    assert "image/png" in response.json["details"]["accepted"]
    assert blob_api.request("HEAD", path(content)).status_code == 404
    assert stored() == []


def test_a_blob_declared_over_the_limit_is_refused_before_it_is_read(small_api):
    content = jpeg(SMALL_LIMIT)
    whole = small_api.put(path(content), data=content)
    assert whole.status_code == 413
    assert whole.json["code"] == "blob_too_large"
    assert whole.json["details"]["limit"] == SMALL_LIMIT
    chunk = put_chunk(small_api, content, 0, 99)
    assert chunk.status_code == 413
    assert chunk.json["details"]["limit"] == SMALL_LIMIT


def test_a_body_streamed_past_the_limit_is_cut_off_and_nothing_is_kept(small_api, stored):
    content = jpeg(SMALL_LIMIT)
    # No Content-Length (chunked transfer): only counting the bytes as they stream can stop it.
    response = small_api.put(path(content), headers=CHUNKED, environ_overrides=streamed(content))
    assert response.status_code == 413
    assert response.json["code"] == "blob_too_large"
    assert response.json["details"]["limit"] == SMALL_LIMIT
    assert small_api.request("HEAD", path(content)).status_code == 404
    assert stored() == []


@pytest.mark.parametrize("declared", [True, False], ids=["content-length", "chunked"])
def test_a_blob_of_exactly_the_limit_is_stored(small_api, declared):
    content = jpeg(SMALL_LIMIT - len(jpeg()))
    if declared:
        response = small_api.put(path(content), data=content, environ_overrides=GUNICORN)
    else:
        response = small_api.put(path(content), headers=CHUNKED, environ_overrides=streamed(content))
    assert response.status_code == 201
    assert response.json["size"] == SMALL_LIMIT


def test_blobs_are_private_to_their_tenant(blob_api, other_tenant):
    content = png()
    blob_api.put(path(content), data=content)
    other = ApiClient(blob_api.client, other_tenant)
    assert other.request("HEAD", path(content), as_="crew").status_code == 404
    assert other.get(path(content), as_="crew").status_code == 404
    # Uploading the same content creates the other tenant's own copy: "already complete" would leak it.
    assert other.put(path(content), as_="crew", data=content).status_code == 201


def test_a_revoked_device_can_no_longer_reach_blobs(blob_api, tenant):
    content = png()
    blob_api.put(path(content), data=content)
    assert blob_api.post(f"/api/v1/devices/{tenant.devices['crew'].id}/revoke").status_code == 200
    for method in ("HEAD", "PUT", "GET"):
        response = blob_api.request(method, path(content), as_="crew", data=content if method == "PUT" else None)
        assert response.status_code == 401, method
    assert blob_api.get(path(content), as_="crew").json["code"] == "device_revoked"


@pytest.mark.parametrize("name", ["A" * 64, "a" * 63, "not-a-hash"])
def test_a_blob_is_named_by_a_lowercase_sha256(blob_api, name):
    for response in (blob_api.put(path(name), data=png()), blob_api.get(path(name))):
        assert response.status_code == 422
        assert response.json["code"] == "invalid_sha256"


def test_a_partial_blob_cannot_be_downloaded(blob_api):
    content = jpeg(10_000)
    put_chunk(blob_api, content, 0, 999)
    response = blob_api.get(path(content))
    assert response.status_code == 409
    assert response.json["code"] == "blob_incomplete"
    assert response.json["details"] == {"received": 1000, "size": len(content)}


@pytest.mark.parametrize("content_range", ["bytes 5-4/10", "bytes 0-10/10", "bytes=0-1/2", "bytes 0-1/*"])
def test_a_malformed_content_range_is_refused(blob_api, content_range):
    response = blob_api.put(path(png()), data=b"xx", headers={"Content-Range": content_range})
    assert response.status_code == 422
    assert response.json["field"] == "headers.Content-Range"


def test_content_length_must_match_the_range(blob_api):
    content = png()
    response = blob_api.put(path(content), data=content[:10], headers={"Content-Range": f"bytes 0-19/{len(content)}"})
    assert response.status_code == 422
    assert response.json["field"] == "headers.Content-Length"


def test_missing_blobs_names_those_not_complete(blob_api, db_session, tenant):
    complete, partial, absent = png(), jpeg(10_000), pdf()
    blob_api.put(path(complete), data=complete)
    put_chunk(blob_api, partial, 0, 999)
    names = [sha(absent), sha(complete), sha(partial), sha(absent)]
    assert missing_blobs(db_session, tenant.id, names) == [sha(absent), sha(partial)]


def test_abandoned_partial_uploads_expire_with_their_chunks(blob_app, blob_api, stored, db_session):
    """`tapline blobs expire`: a lost tablet's half-sent photo does not stay in the store forever."""
    abandoned, fresh = jpeg(5000), jpeg(6000)
    for content in (abandoned, fresh):
        assert put_chunk(blob_api, content, 0, 999).status_code == 202
    db_session.execute(update(Blob).where(Blob.sha256 == sha(abandoned))
                       .values(created_at=Blob.created_at - timedelta(days=8)))
    with blob_app.app_context():
        assert expire_partial_uploads(db_session, blob_app.extensions["tapline_blobs"], timedelta(days=7)) == 1
    assert blob_api.request("HEAD", path(abandoned)).status_code == 404
    assert blob_api.request("HEAD", path(fresh)).headers["Upload-Offset"] == "1000"
    assert [key for key in stored() if sha(abandoned) in key] == []


def test_the_expire_command_runs_from_cron(app, db_session):
    result = app.test_cli_runner().invoke(main, ["blobs", "expire", "--older-than-hours", "24"])
    assert (result.exit_code, result.output.strip()) == (0, "expired=0")
