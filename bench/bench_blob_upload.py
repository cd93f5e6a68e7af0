"""Memory and speed of a 200 MB blob upload through a real server: `python bench/bench_blob_upload.py`.

Starts gunicorn (one sync worker, the local blob store in a temporary directory) on a free loopback port
against DATABASE_URL or TEST_DATABASE_URL (migrated first), creates a throwaway tenant, uploads a JPEG-headed
blob of --size-mb in --chunk-mb chunks with Content-Range, then downloads it and checks its hash. Reports
the worker's peak RSS growth over the upload (target < 50 MB: bytes are streamed, never held whole) and the
throughput of both directions. The tenant and the blob are removed at the end.
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run from anywhere without installing

from sqlalchemy import create_engine, delete  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from bench.harness import reset_peak_rss, status_kb  # noqa: E402
from server import migrate  # noqa: E402
from server.db import normalise_url  # noqa: E402
from server.models import Blob, Device, Tenant, User  # noqa: E402
from server.services.tenants import create_tenant  # noqa: E402

MB = 1024 * 1024
TARGET_RSS_GROWTH_MB = 50
JPEG_HEADER = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=int, default=200)
    parser.add_argument("--chunk-mb", type=int, default=8)
    args = parser.parse_args(argv)
    url = os.environ.get("DATABASE_URL") or os.environ.get("TEST_DATABASE_URL")
    if not url:
        print("set DATABASE_URL or TEST_DATABASE_URL to a PostGIS database", file=sys.stderr)
        return 2
    migrate.upgrade(url)
    engine = create_engine(normalise_url(url))
    with Session(engine) as session:
        tenant, token = create_tenant(session, slug=f"bench-blobs-{uuid.uuid4().hex[:8]}", name="blob bench",
                                      profile_id="suizhou", admin_username="bench")
        tenant_id = tenant.id
    try:
        result = measure(url, token, args.size_mb * MB, args.chunk_mb * MB)
    finally:
        with Session(engine) as session:
            for model in (Blob, Device, User):
                session.execute(delete(model).where(model.tenant_id == tenant_id))
            session.execute(delete(Tenant).where(Tenant.id == tenant_id))
            session.commit()
        engine.dispose()
    ok = result["status"] == 201 and result["hash_ok"] and result["growth_mb"] < TARGET_RSS_GROWTH_MB
    print(f"blob {args.size_mb} MB in {args.chunk_mb} MB chunks, gunicorn 1 sync worker, local store")
    print(f"upload:   {result['upload_s']:6.2f} s  {args.size_mb / result['upload_s']:7.1f} MB/s"
          f"  (last chunk: HTTP {result['status']})")
    print(f"download: {result['download_s']:6.2f} s  {args.size_mb / result['download_s']:7.1f} MB/s"
          f"  (hash {'ok' if result['hash_ok'] else 'WRONG'})")
    print(f"worker peak RSS growth during upload: {result['growth_mb']:.1f} MB"
          f" (baseline {result['baseline_mb']:.1f} MB)")
    print(f"target: peak RSS growth < {TARGET_RSS_GROWTH_MB} MB: {'met' if ok else 'MISSED'}")
    return 0 if ok else 1


def measure(url: str, token: str, size: int, chunk_size: int) -> dict:
    """Upload the blob in chunks, then download it, through a fresh server; time both, watch the worker's RSS."""
    sha256 = hashlib.sha256()
    for _start, block in chunks(size, chunk_size):
        sha256.update(block)
    digest = sha256.hexdigest()
    with tempfile.TemporaryDirectory(prefix="tapline-bench-blobs-") as scratch, \
            gunicorn(url, Path(scratch), limit=size) as (port, worker):
        client = Client(port, token)
        client.warm_up()
        baseline_kb = status_kb(worker, "VmRSS")
        reset_peak_rss(worker)
        started = time.perf_counter()
        for start, block in chunks(size, chunk_size):
            status = client.put_chunk(digest, block, start, size)
        upload_s = time.perf_counter() - started
        growth_kb = status_kb(worker, "VmHWM") - baseline_kb
        started = time.perf_counter()
        hash_ok = client.download(digest) == digest
        download_s = time.perf_counter() - started
    return {"status": status, "upload_s": upload_s, "download_s": download_s, "hash_ok": hash_ok,
            "growth_mb": growth_kb / 1024, "baseline_mb": baseline_kb / 1024}


def chunks(size: int, chunk_size: int) -> Iterator[tuple[int, bytes]]:
    """(offset, bytes) of the blob, the same on every pass, never whole in memory: a JPEG header, then noise."""
    for start in range(0, size, chunk_size):
        block = random.Random(start).randbytes(min(chunk_size, size - start))
        yield start, JPEG_HEADER + block[len(JPEG_HEADER):] if start == 0 else block


class Client:
    """One connection per request: gunicorn's sync workers close each one."""

    def __init__(self, port: int, token: str):
        self.port = port
        self.headers = {"Authorization": f"Bearer {token}"}

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        connection.request(method, path, body=body, headers={**self.headers, **(headers or {})})
        return connection, connection.getresponse()

    def warm_up(self) -> None:
        """One small upload and download first, so the baseline includes everything imported lazily."""
        small = JPEG_HEADER + b"\xff\xd9"
        digest = hashlib.sha256(small).hexdigest()
        self.put_chunk(digest, small, 0, len(small))
        self.download(digest)

    def put_chunk(self, digest: str, block: bytes, start: int, total: int) -> int:
        connection, response = self.request("PUT", f"/api/v1/blobs/{digest}", block, {
            "Content-Range": f"bytes {start}-{start + len(block) - 1}/{total}",
            "Content-Type": "application/octet-stream"})
        body = response.read()
        connection.close()
        if response.status not in (200, 201, 202):
            raise RuntimeError(f"PUT at {start}: HTTP {response.status} {body[:300]!r}")
        return response.status

    def download(self, digest: str) -> str:
        connection, response = self.request("GET", f"/api/v1/blobs/{digest}")
        sha256 = hashlib.sha256()
        while block := response.read(MB):
            sha256.update(block)
        connection.close()
        return sha256.hexdigest()


@contextmanager
def gunicorn(url: str, scratch: Path, *, limit: int) -> Iterator[tuple[int, int]]:
    """gunicorn serving wsgi:app on a free loopback port, blobs under `scratch`; yields (port, worker pid)."""
    port = free_port()
    env = {**os.environ, "DATABASE_URL": url, "TAPLINE_BLOB_STORE": "local", "TAPLINE_BLOB_DIR": str(scratch / "blobs"),
           "TAPLINE_BLOB_MAX_BYTES": str(limit), "TAPLINE_LOG_REQUESTS": "false"}
    log = scratch / "gunicorn.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--workers", "1", "--bind", f"127.0.0.1:{port}", "wsgi:app"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                connection.request("GET", "/healthz")
                if connection.getresponse().status == 200:
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"gunicorn did not start:\n{log.read_text()[-2000:]}") from None
                time.sleep(0.2)
        worker = int(Path(f"/proc/{process.pid}/task/{process.pid}/children").read_text().split()[0])
        yield port, worker
    finally:
        process.terminate()
        process.wait(timeout=30)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


if __name__ == "__main__":
    sys.exit(main())
