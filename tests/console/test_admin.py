"""The admins' console: users and passwords, devices with the provisioning QR code, crews, teams, calendar,
constraint layers and the basemap."""
import io
import json
import subprocess

from tests.console.conftest import ConsoleClient
from tests.factories import SUIZHOU_SITE, square_ring


def test_admin_creates_a_user_who_signs_in(signed_in, app, tenant):
    admin = signed_in("admin")
    admin.post("/console/admin/users", {"username": "wang.gong", "display_name": "王工", "role": "engineer",
                                        "password": "a long enough password"})
    assert "wang.gong" in admin.get("/console/admin/users").get_data(as_text=True)
    newcomer = ConsoleClient(app.test_client(), tenant)
    assert newcomer.sign_in("wang.gong", password="a long enough password").headers["Location"] == "/console/"


def test_admin_changes_role_password_and_deactivates(signed_in, app, tenant, api_of):
    admin = signed_in("admin")
    user_id = tenant.users["crew_b"].id
    admin.post(f"/console/admin/users/{user_id}", {"display_name": "刘工", "role": "engineer",
                                                   "password": "the new password", "active": "true"})
    assert api_of.get(f"/api/v1/users/{user_id}").json["role"] == "engineer"
    crew_b = ConsoleClient(app.test_client(), tenant)
    assert crew_b.sign_in("crew_b", password="the new password").status_code == 303
    assert crew_b.get("/console/review").status_code == 200
    admin.post(f"/console/admin/users/{user_id}", {"active": "false"})
    assert crew_b.get("/console/review").headers["Location"].startswith("/console/sign-in")
    short = admin.post(f"/console/admin/users/{user_id}", {"password": "short"}, follow_redirects=True)
    assert "password" in short.get_data(as_text=True)


def test_a_registered_tablet_gets_a_qr_code_and_a_revoked_one_401(signed_in, tenant, api_of):
    admin = signed_in("admin")
    page = admin.post("/console/admin/devices", {"user_id": str(tenant.users["crew"].id), "name": "平板 07",
                                                 "kind": "tablet"})
    html = page.get_data(as_text=True)
    assert page.status_code == 201 and "<svg" in html and 'id="provisioning-qr"' in html
    token = html.split('id="device-token">')[1].split("<")[0]
    assert f'"token":"{token}"' in html.replace("&#34;", '"')
    assert api_of.get("/api/v1/me", token=token).status_code == 200
    device = next(d for d in api_of.get("/api/v1/devices").json if d["name"] == "平板 07")
    admin.post(f"/console/admin/devices/{device['id']}/revoke")
    refused = api_of.get("/api/v1/me", token=token)
    assert (refused.status_code, refused.json["code"]) == (401, "device_revoked")


def test_crews_and_teams_are_kept_by_the_services(signed_in, tenant, api_of):
    office = signed_in("dispatcher")
    office.post("/console/admin/crews", {"name": "踏勘二组", "member_ids": str(tenant.users["crew_b"].id)})
    crew = next(c for c in api_of.get("/api/v1/crews").json if c["name"] == "踏勘二组")
    assert crew["member_ids"] == [str(tenant.users["crew_b"].id)]
    refused = office.post("/console/admin/crews", {"name": "错组", "member_ids": str(tenant.users["engineer"].id)},
                          follow_redirects=True)
    assert "member_ids[0]" in refused.get_data(as_text=True)
    area = {"type": "Polygon", "coordinates": [square_ring(*SUIZHOU_SITE, 0.05)]}
    office.post("/console/admin/teams", {"name": "曾都区第二施工队", "utilities": "water", "daily_capacity": "2",
                                         "service_area": json.dumps(area)})
    assert [t["name"] for t in api_of.get("/api/v1/teams", as_="dispatcher").json] == ["曾都区第二施工队"]


def test_calendar_overrides_are_saved(signed_in, api_of):
    admin = signed_in("admin")
    admin.post("/console/admin/calendar/2031", {"holidays": "2031-01-01\n2031-10-01", "workdays": "2031-09-27"})
    year = api_of.get("/api/v1/calendar/2031").json
    assert (year["source"], year["holidays"], year["workdays"]) == ("override", ["2031-01-01", "2031-10-01"],
                                                                    ["2031-09-27"])
    bad = admin.post("/console/admin/calendar/2031", {"holidays": "2031-01-04", "workdays": ""},
                     follow_redirects=True)
    assert "holidays[0]" in bad.get_data(as_text=True)


def test_a_geopackage_is_imported_in_its_own_crs(signed_in, api_of, tmp_path):
    rail = {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"layer": "railway",
            "name": "汉丹铁路"}, "geometry": {"type": "LineString", "coordinates": [[113.36, 31.68], [113.36, 31.70]]}}]}
    (tmp_path / "rail.geojson").write_text(json.dumps(rail), encoding="utf-8")
    subprocess.run(["ogr2ogr", "-f", "GPKG", str(tmp_path / "rail.gpkg"), str(tmp_path / "rail.geojson"),
                    "-a_srs", "EPSG:4490"], check=True, capture_output=True)
    admin = signed_in("admin")
    admin.post("/console/admin/layers", {"file": (io.BytesIO((tmp_path / "rail.gpkg").read_bytes()), "rail.gpkg")},
               content_type="multipart/form-data")
    assert [(f["layer"], f["name"]) for f in api_of.get("/api/v1/constraint-layers").json] == [("railway", "汉丹铁路")]


def test_constraint_layers_upload_and_basemap(signed_in, api_of):
    admin = signed_in("admin")
    river = {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"layer": "river", "name": "㵐水"},
             "geometry": {"type": "LineString", "coordinates": [[113.373, 31.68], [113.373, 31.70]]}}]}
    admin.post("/console/admin/layers", {"file": (io.BytesIO(json.dumps(river).encode()), "rivers.geojson")},
               content_type="multipart/form-data")
    assert [f["name"] for f in api_of.get("/api/v1/constraint-layers").json] == ["㵐水"]
    not_json = admin.post("/console/admin/layers", {"file": (io.BytesIO(b"\x00\x01"), "x.gpkg")},
                          content_type="multipart/form-data", follow_redirects=True)
    assert "neither GeoJSON nor a GeoPackage" in not_json.get_data(as_text=True)
    bad = admin.post("/console/admin/basemap", {"url": "ftp://tiles"}, follow_redirects=True)
    assert "url" in bad.get_data(as_text=True)
    tiles = "https://t0.tianditu.gov.cn/DataServer?T=vec_w&x={x}&y={y}&l={z}&tk=KEY"
    admin.post("/console/admin/basemap", {"url": tiles})
    assert api_of.get("/api/v1/tenant/basemap", as_="engineer").json == {"url": tiles, "gcj02": False}
    admin.post("/console/admin/basemap", {"url": ""})
    assert api_of.get("/api/v1/tenant/basemap").json == {"url": None, "gcj02": False}
