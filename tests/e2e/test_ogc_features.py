"""The OGC API – Features opened by GDAL's OAPIF driver (Debian's gdal-bin) against a live gunicorn, token and all."""
import json
import os
import subprocess

import pytest
from sqlalchemy.orm import Session

from server.extensions import db
from tests.factories import TenantFactory, measure_stored, move, task_in

MM = 0.0005


def gdal(server, token, *args) -> subprocess.CompletedProcess:
    env = {**os.environ, "GDAL_HTTP_HEADERS": f"Authorization: Bearer {token}", "CPL_DEBUG": "OFF"}
    return subprocess.run([*args], capture_output=True, text=True, env=env, timeout=120)


def features(server, token, collection, *options) -> list[dict]:
    done = gdal(server, token, "ogr2ogr", "-f", "GeoJSON", "/vsistdout/", *options,
                f"OAPIF:{server.url}/api/v1/features", collection)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)["features"]


def committed_tenant(slug: str):
    with Session(db.engine, expire_on_commit=False) as session:
        other = TenantFactory(session).make(slug=slug, profile_id="jingmen")
        session.commit()
    return other


def test_gdal_opens_the_tenants_collections_pages_and_filters_them(live_server, remote, world):
    mine = task_in(remote, "approved")
    second = task_in(remote, "approved", site=(113.3812, 31.6905))
    theirs = task_in(remote, "on_site")
    move(remote, theirs, "assigned", as_="dispatcher", crew_id=str(world.crews["crew_b"].id))
    river = {"type": "Feature", "properties": {"layer": "river", "name": "㵐水"},
             "geometry": {"type": "LineString", "coordinates": [[113.3730, 31.680], [113.3730, 31.700]]}}
    assert remote.post("/api/v1/constraint-layers/import", json={"features": [river]}).status_code == 201
    admin = world.tokens["admin"]

    listing = gdal(live_server, admin, "ogrinfo", "-ro", "-q", f"OAPIF:{live_server.url}/api/v1/features")
    assert listing.returncode == 0, listing.stderr
    for collection in ("red_lines", "routes", "mains", "green_areas", "constraint_river"):
        assert collection in listing.stdout

    routes = features(live_server, admin, "routes", "-oo", "PAGE_SIZE=1")  # one per page: GDAL follows `next`
    assert sorted(f["properties"]["task_id"] for f in routes) == sorted([mine, mine, second, second])
    for route in routes:
        truth = measure_stored(remote, route["properties"]["task_id"], route["properties"]["utility"])
        assert route["properties"]["outside_length_m"] == pytest.approx(truth["outside_length_m"], abs=MM)
        assert route["properties"]["total_length_m"] == pytest.approx(truth["total_length_m"], abs=MM)

    near_second = features(live_server, admin, "red_lines", "-spat", "113.380", "31.689", "113.382", "31.692")
    assert {f["properties"]["task_id"] for f in near_second} == {second}
    assert [f["properties"]["name"] for f in features(live_server, admin, "constraint_river")] == ["㵐水"]

    assert features(live_server, world.tokens["crew_b"], "routes") == []
    other = committed_tenant(f"{world.tenant.slug}-x")
    assert features(live_server, other.tokens["admin"], "routes") == []
    refused = gdal(live_server, "not-a-token", "ogrinfo", "-ro", "-q", f"OAPIF:{live_server.url}/api/v1/features")
    assert refused.returncode != 0
