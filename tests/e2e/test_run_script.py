"""`scripts/run.sh` (what `make run` runs) against a database it did not start: served, never seeded."""
import os
import signal
import subprocess
import time

import requests
from sqlalchemy import create_engine, text

from tests.e2e.conftest import _free_port


def test_run_sh_seeds_no_demo_tokens_into_a_database_it_was_pointed_at(migrated, tmp_path):
    port = _free_port()
    log = tmp_path / "run.log"
    with log.open("wb") as output:
        process = subprocess.Popen(["scripts/run.sh"], stdout=output, stderr=subprocess.STDOUT, start_new_session=True,
                                   env={**os.environ, "DATABASE_URL": migrated, "TAPLINE_PORT": str(port),
                                        "TAPLINE_WORKERS": "1", "TAPLINE_LOG_REQUESTS": "false"})
    try:
        deadline = time.monotonic() + 60
        while not _healthy(port):
            assert process.poll() is None and time.monotonic() < deadline, log.read_text()
            time.sleep(0.2)
        answer = requests.get(f"http://127.0.0.1:{port}/api/v1/me", timeout=5,
                              headers={"Authorization": "Bearer tpl_demo_admin"})
        assert answer.status_code == 401
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait()
    assert "no demo tenant seeded" in log.read_text()
    with create_engine(migrated).connect() as connection:
        assert connection.scalar(text("select count(*) from tenants where slug = 'suizhou-demo'")) == 0


def _healthy(port: int) -> bool:
    try:
        return requests.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200
    except requests.RequestException:
        return False
