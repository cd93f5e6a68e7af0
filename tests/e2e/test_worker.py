"""`tapline worker` as a process: it beats while it runs, logs JSON lines, and signs off on SIGTERM."""
import json
import os
import signal
import subprocess
import sys
import time

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.extensions import db
from server.models import WorkerHeartbeat

TAPLINE = os.path.join(os.path.dirname(sys.executable), "tapline")


def heartbeat_of(pid: int) -> WorkerHeartbeat | None:
    with Session(db.engine) as session:
        return session.scalars(select(WorkerHeartbeat).where(WorkerHeartbeat.worker.endswith(f":{pid}"))).first()


def test_the_worker_beats_runs_its_jobs_and_signs_off_on_sigterm(app, migrated, empty_schedule):
    env = {**os.environ, "DATABASE_URL": migrated, "TAPLINE_WORKER_POLL_SECONDS": "0.1"}
    process = subprocess.Popen([TAPLINE, "worker"], env=env, stderr=subprocess.PIPE,
                               text=True)
    try:
        deadline = time.monotonic() + 60
        while heartbeat_of(process.pid) is None and time.monotonic() < deadline:
            time.sleep(0.1)
        assert heartbeat_of(process.pid) is not None
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            _, stderr = process.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()  # no worker outlives its test
            raise
    assert process.returncode == 0
    assert heartbeat_of(process.pid) is None
    lines = [json.loads(line) for line in stderr.splitlines()]
    assert {"time", "level", "logger", "message"} <= set(lines[0])
    messages = [line["message"] for line in lines]
    assert any(message.startswith("job sla_sweep: applications_refreshed=") for message in messages)
    assert messages[-1].endswith("stopped")
