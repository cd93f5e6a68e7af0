"""Schemathesis over the whole served OpenAPI, every phase (examples, coverage, fuzzing, stateful), against the
real server process, as an admin and as a crew member: no 5xx, and no response that breaks its own schema.

tests/api/test_fuzz.py walks the operations in-process; this runs what a client team would run, through
gunicorn, with stateful sequences that create records and follow the links to them. Time-boxed (--max-time)."""
import subprocess
import sys
import uuid
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from server.extensions import db
from tests.e2e.conftest import LiveServer
from tests.factories import TenantFactory

CHECKS = "not_a_server_error,response_schema_conformance,content_type_conformance,response_headers_conformance"
SECONDS_PER_ROLE = 25


@pytest.fixture(scope="module")
def server(migrated):
    with LiveServer(migrated) as server:
        yield server


@pytest.fixture(scope="module")
def tokens(app) -> dict[str, str]:
    with Session(db.engine, expire_on_commit=False) as session:
        world = TenantFactory(session).make(slug=f"fuzz-{uuid.uuid4().hex[:8]}", profile_id="suizhou")
        session.commit()
    return world.tokens


@pytest.mark.parametrize("role", ["admin", "crew"])
def test_every_phase_finds_no_server_error_and_no_response_off_its_schema(server, tokens, role, tmp_path):
    junit = tmp_path / "schemathesis.xml"
    run = subprocess.run(
        [str(Path(sys.executable).parent / "schemathesis"), "run", f"{server.url}/docs/openapi.json",
         "--header", f"Authorization: Bearer {tokens[role]}", "--checks", CHECKS,
         "--phases", "examples,coverage,fuzzing,stateful", "--max-time", str(SECONDS_PER_ROLE),
         "--max-examples", "5", "--workers", "2", "--request-timeout", "20", "--seed", "2026",
         "--generation-database", "none", "--suppress-health-check", "all", "--no-color",
         "--report", "junit", "--report-junit-path", str(junit)],
        capture_output=True, text=True, timeout=SECONDS_PER_ROLE + 120)
    assert junit.exists(), run.stdout[-3000:] + run.stderr[-3000:]
    failed = [case.get("name") for case in ElementTree.parse(junit).iter("testcase") if case.find("failure") is not None]
    assert not failed, f"{failed}\n{run.stdout[-6000:]}"
    assert "Tested: " in run.stdout
