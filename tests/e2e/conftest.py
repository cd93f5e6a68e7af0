"""A real server process (gunicorn) against the test PostGIS, and a committed tenant for it to serve."""
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid

import pytest
import requests
from sqlalchemy import delete
from sqlalchemy.orm import Session

from server.extensions import db
from server.models import ScheduledJob
from tests.factories import TenantFactory


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LiveServer:
    """Start, SIGKILL and restart a gunicorn serving the app, as production runs it."""

    def __init__(self, database_url: str, *, workers: int = 2):
        self.workers = workers
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        # As `make run` serves: metrics of both workers summed through a multiprocess directory.
        self.env = {**os.environ, "DATABASE_URL": database_url, "TAPLINE_LOG_REQUESTS": "false",
                    "PROMETHEUS_MULTIPROC_DIR": tempfile.mkdtemp(prefix="tapline-metrics-")}
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> "LiveServer":
        self.start()
        return self

    def __exit__(self, *_exc) -> None:
        self.kill()

    def start(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{self.port}", "--workers", str(self.workers),
             "--log-level", "warning", "wsgi:app"], env=self.env, start_new_session=True)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if requests.get(f"{self.url}/healthz", timeout=1).status_code == 200:
                    return
            except requests.RequestException:
                time.sleep(0.1)
        raise RuntimeError("the server did not start")

    def kill(self) -> None:
        """SIGKILL gunicorn's whole process group at once: no graceful shutdown, as in a power cut, and no
        arbiter left alive for an instant to fork a fresh worker that would answer after the kill."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()


@pytest.fixture
def live_server(migrated):
    with LiveServer(migrated) as server:
        yield server


@pytest.fixture
def world(app):
    """A committed tenant the server process sees (the API tests' tenants are rolled back, invisible to it),
    whose crew member has two tablets: `crew` and `crew_tablet2`."""
    with Session(db.engine, expire_on_commit=False) as session:
        factory = TenantFactory(session)
        world = factory.make(slug=f"e2e-{uuid.uuid4().hex[:8]}", profile_id="suizhou")
        factory.add_device(world, "crew_tablet2", "crew")
        session.commit()
    return world


class RemoteResponse:
    """A requests response shaped like Flask's test response, so the API factories work against it."""

    def __init__(self, response: requests.Response):
        self.status_code = response.status_code
        self.headers = response.headers
        self.json = response.json() if response.headers.get("Content-Type") == "application/json" else None


class RemoteApi:
    """tests.factories.ApiClient's interface, over HTTP to the live server."""

    def __init__(self, server: LiveServer, world):
        self.server, self.world = server, world

    def request(self, method: str, path: str, *, as_: str | None = "admin", headers: dict | None = None, **kwargs):
        headers = {**(headers or {}), "Authorization": f"Bearer {self.world.tokens[as_]}"}
        return RemoteResponse(requests.request(method, f"{self.server.url}{path}", headers=headers, timeout=30,
                                               **kwargs))

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, **kw):
        return self.request("POST", path, **kw)

    def put(self, path, **kw):
        return self.request("PUT", path, **kw)


@pytest.fixture
def remote(live_server, world):
    return RemoteApi(live_server, world)


@pytest.fixture
def empty_schedule(app):
    """No job has run yet, so a worker started now runs each at once; the schedule is global, so empty it after."""
    yield from emptied(ScheduledJob)


def emptied(model):
    """A table the server processes commit into, emptied before the test and after it (for a fixture)."""
    def clear():
        with Session(db.engine) as session:
            session.execute(delete(model))
            session.commit()
    clear()
    yield
    clear()
