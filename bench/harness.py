"""What every benchmark shares: the database it runs on, an app, a seeded tenant, timing.

`make bench` starts a throwaway PostGIS and sets DATABASE_URL; run one script alone with DATABASE_URL set
(its public schema is wiped).
"""
import gc
import os
import sys
import uuid
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from anywhere without installing

from shapely import MultiLineString  # noqa: E402
from sqlalchemy import create_engine, insert, text  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from geo import parse_geometry  # noqa: E402
from server import create_app, migrate  # noqa: E402
from server.config import Config  # noqa: E402
from server.geometry import to_db  # noqa: E402
from server.models import Application, Survey, SurveyTask  # noqa: E402
from tests.factories import TenantFactory, make_measure_request  # noqa: E402


def database_url() -> str:
    url = os.environ.get("DATABASE_URL")
    if not url:
        sys.exit("DATABASE_URL is not set: run `make bench`, which starts a throwaway PostGIS")
    return url


def fresh_app(**settings):
    """An app on a freshly migrated schema."""
    url = database_url()
    engine = create_engine(migrate.normalise_url(url))
    with engine.begin() as connection:
        connection.execute(text("drop schema if exists public cascade; create schema public; "
                                "create extension postgis"))
    engine.dispose()
    migrate.upgrade(url)
    app = create_app(Config(DATABASE_URL=url, LOG_REQUESTS=False, **settings))
    gc.freeze()  # as wsgi.py does once the app is loaded
    return app


def seed_world(engine, slug: str = "bench"):
    """A committed tenant with a user per role and two crews (tests.factories.TenantFactory)."""
    with Session(engine, expire_on_commit=False) as session:
        world = TenantFactory(session).make(slug=slug, profile_id="suizhou")
        session.commit()
    return world


def bulk_tasks(engine, world, count: int, *, crew_id: uuid.UUID | None, status: str = "on_site",
               site: tuple[float, float] = (113.3712, 31.6905)) -> list[tuple[uuid.UUID, list[uuid.UUID]]]:
    """`count` applications with their task and a drawn water survey, inserted set-based; [(task, [survey])]."""
    now = datetime.now(UTC)
    line = parse_geometry(make_measure_request(*site)["route"], field="route", allowed=("LineString",),
                          crs="EPSG:4490")
    route = to_db(MultiLineString([line]))
    applications, tasks, surveys, out = [], [], [], []
    for i in range(count):
        application_id, task_id, survey_id = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
        applications.append({"tenant_id": world.id, "id": application_id, "number": f"B{application_id.hex[:20]}",
                             "profile_id": "suizhou", "applicant_unit": f"单位{i}", "address": "随州市曾都区",
                             "contact_name": "陈", "contact_phone": "13872345678", "utilities": ["water"],
                             "customer_class": "enterprise", "business_type": "new", "channel": "online",
                             "applied_at": now, "field_versions": {}, "deferred_materials": [],
                             "progress_code": application_id.hex[:16].upper()})
        tasks.append({"tenant_id": world.id, "id": task_id, "application_id": application_id, "status": status,
                      "crew_id": crew_id, "utilities": ["water"], "profile_id": "suizhou", "field_versions": {},
                      "flagged": [], "survey_due_at": now})
        surveys.append({"tenant_id": world.id, "id": survey_id, "task_id": task_id, "utility": "water",
                        "route": route, "field_versions": {}, "segments": [], "photos": [],
                        "sketches": [], "answers": {}})
        out.append((task_id, [survey_id]))
    with Session(engine) as session:
        for model, rows in ((Application, applications), (SurveyTask, tasks), (Survey, surveys)):
            for start in range(0, len(rows), 5_000):
                session.execute(insert(model), rows[start:start + 5_000])
        session.commit()
    return out


def report(rows: list[tuple[str, str, str]]) -> None:
    """Print (what, measured, target) rows."""
    width = max(len(r[0]) for r in rows)
    for what, measured, target in rows:
        print(f"{what:<{width}}  {measured:<28} {target}")


def status_kb(pid: int, field: str) -> int:
    """A memory figure of /proc/PID/status, in kB (VmRSS: now; VmHWM: the peak since the last reset)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    raise KeyError(field)


def reset_peak_rss(pid: int) -> None:
    """Set VmHWM back to the current RSS (Linux clear_refs), so the peak read later is this upload's alone."""
    Path(f"/proc/{pid}/clear_refs").write_text("5")
