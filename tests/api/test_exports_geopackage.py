"""GeoPackage exports, read back by GDAL's own ogrinfo and ogr2ogr (Debian's gdal-bin)."""
import json
import subprocess

import pytest

from tests.factories import (
    SUIZHOU_SITE,
    geotagged_jpeg,
    make_survey,
    measure_stored,
    move,
    put_survey,
    task_in,
    upload,
)

EXPORTS = "/api/v1/exports"
MM = 0.0005
LAYERS = ("red_lines", "routes_outside", "routes_inside", "mains", "green_areas", "meter_positions", "photo_points")


def saved(response, tmp_path, name="export.gpkg"):
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.mimetype == "application/geopackage+sqlite3"
    path = tmp_path / name
    path.write_bytes(response.get_data())
    assert int(response.headers["Content-Length"]) == path.stat().st_size
    return path


def ogrinfo_summary(path) -> str:
    done = subprocess.run(["ogrinfo", "-ro", "-so", "-al", str(path)], capture_output=True, text=True, check=True)
    assert "Warning" not in done.stderr, done.stderr
    return done.stdout


def gdal_features(path, layer: str) -> list[dict]:
    """The layer as GDAL reads it, converted by ogr2ogr to GeoJSON."""
    done = subprocess.run(["ogr2ogr", "-f", "GeoJSON", "/vsistdout/", str(path), layer],
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout)["features"]


def test_a_task_geopackage_opens_in_gdal_with_every_layer_in_cgcs2000(api, tmp_path):
    task_id = task_in(api, "approved")
    path = saved(api.get(f"{EXPORTS}/tasks/{task_id}/gpkg", as_="engineer"), tmp_path)
    summary = ogrinfo_summary(path)
    for layer in LAYERS:
        assert f"Layer name: {layer}" in summary
    assert summary.count('ID["EPSG",4490]') == len(LAYERS)
    outside = gdal_features(path, "routes_outside")
    assert sorted(f["properties"]["utility"] for f in outside) == ["gas", "water"]
    for feature in outside:
        truth = measure_stored(api, task_id, feature["properties"]["utility"])
        assert feature["properties"]["length_m"] == pytest.approx(truth["outside_length_m"], abs=MM)
        assert feature["properties"]["dn"] == 50
        assert feature["geometry"]["type"] == "MultiLineString"
        for got, sent in zip(feature["geometry"]["coordinates"][0], truth["outside_route"]["coordinates"][0],
                             strict=True):
            assert got == pytest.approx(sent, abs=1e-9)
    (water,) = [f for f in gdal_features(path, "red_lines") if f["properties"]["utility"] == "water"]
    assert water["properties"]["free_installation"] is True
    assert water["properties"]["surveyed_at"].endswith("Z") or "+00" in water["properties"]["surveyed_at"]


def test_photo_points_come_from_the_photos_gps_tags(api, tmp_path):
    task_id = task_in(api, "on_site")
    photo = upload(api, geotagged_jpeg(113.3716, 31.6907))
    assert put_survey(api, task_id, "water", make_survey(photos=[photo])).status_code == 200
    path = saved(api.get(f"{EXPORTS}/tasks/{task_id}/gpkg", as_="crew"), tmp_path)
    (point,) = gdal_features(path, "photo_points")
    assert point["properties"]["sha256"] == photo
    assert point["geometry"]["coordinates"] == pytest.approx([113.3716, 31.6907], abs=1e-6)


def test_a_selection_by_date_crew_status_and_area_in_one_file(api, tmp_path):
    approved = task_in(api, "approved")
    elsewhere = task_in(api, "approved", site=(113.50, 31.80))
    task_in(api, "on_site")
    other_crew = task_in(api, "submitted")
    move(api, other_crew, "returned", as_="engineer", reason="复测")
    move(api, other_crew, "assigned", as_="dispatcher", crew_id=str(api.world.crews["crew_b"].id))
    lon, lat = SUIZHOU_SITE
    query = {"status": "approved", "crew_id": str(api.world.crews["crew_a"].id),
             "surveyed_from": "2000-01-01T00:00:00+08:00", "bbox": f"{lon - 0.01},{lat - 0.01},{lon + 0.01},{lat + 0.01}"}
    response = api.get(f"{EXPORTS}/tasks/gpkg", as_="engineer", query_string=query)
    assert response.headers["Tapline-Export-Tasks"] == "1"
    path = saved(response, tmp_path)
    assert {f["properties"]["task_id"] for f in gdal_features(path, "red_lines")} == {approved}
    everything = saved(api.get(f"{EXPORTS}/tasks/gpkg", as_="engineer", query_string={"status": "approved"}),
                       tmp_path, "all.gpkg")
    assert {f["properties"]["task_id"] for f in gdal_features(everything, "red_lines")} == {approved, elsewhere}
    assert "Feature Count: 4" in ogrinfo_summary(everything)  # red lines: water and gas of two tasks
    nothing = saved(api.get(f"{EXPORTS}/tasks/gpkg", as_="crew_b", query_string={"status": "approved"}),
                    tmp_path, "none.gpkg")
    assert gdal_features(nothing, "red_lines") == []
