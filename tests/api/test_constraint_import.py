"""Constraint layers in and out: FeatureCollections and GeoPackages as GDAL writes them, GeoJSON exports."""
import json
import subprocess

import pytest

IMPORT = "/api/v1/constraint-layers/import"
RIVER = [[113.3730, 31.680], [113.3730, 31.700]]


def gdal_written(tmp_path, features: list[dict], *, fmt: str, srs: str = "EPSG:4490", name: str = "rivers",
                 extra_layer: bool = False):
    """The features as ogr2ogr writes them to GeoJSON or GeoPackage, in `srs` (reprojected from EPSG:4490)."""
    source = tmp_path / f"{name}-source.geojson"
    source.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    target = tmp_path / (f"{name}.geojson" if fmt == "GeoJSON" else f"{name}.gpkg")
    subprocess.run(["ogr2ogr", "-f", fmt, "-s_srs", "EPSG:4490", "-t_srs", srs, "-nln", name, str(target),
                    str(source)], check=True, capture_output=True)
    if extra_layer:
        subprocess.run(["ogr2ogr", "-update", "-nln", "roads", str(target), str(source)], check=True,
                       capture_output=True)
    return target


def feature(name, coordinates=RIVER, **properties):
    return {"type": "Feature", "properties": {"名称": name, **properties},
            "geometry": {"type": "LineString", "coordinates": coordinates}}


def test_a_feature_collection_as_gdal_writes_it_is_imported(api, tmp_path):
    written = json.loads(gdal_written(tmp_path, [feature("㵐水", fid=1)], fmt="GeoJSON").read_text())
    assert written["name"] == "rivers" and "crs" in written  # GDAL's foreign members
    response = api.post(IMPORT, json=written, query_string={"layer": "river", "name_field": "名称"})
    assert response.status_code == 201, response.json
    assert response.json == {"imported": 1, "replaced": 0}
    listed = api.get("/api/v1/constraint-layers").json
    assert [(f["layer"], f["name"]) for f in listed] == [("river", "㵐水")]


def test_a_collection_in_another_crs_is_refused_naming_it(api, tmp_path):
    written = json.loads(gdal_written(tmp_path, [feature("㵐水")], fmt="GeoJSON", srs="EPSG:3857").read_text())
    response = api.post(IMPORT, json=written, query_string={"layer": "river", "name_field": "名称"})
    assert (response.status_code, response.json["code"], response.json["field"]) == (422, "unsupported_crs", "crs")
    assert "3857" in response.json["message"]
    assert api.get("/api/v1/constraint-layers").json == []


def test_an_exported_layer_imports_again_unchanged(api):
    features = [{"type": "Feature", "properties": {"layer": "railway", "name": "汉丹铁路"},
                 "geometry": {"type": "LineString", "coordinates": [[113.36, 31.68], [113.38, 31.70]]}}]
    assert api.post(IMPORT, json={"features": features}).status_code == 201
    exported = api.get("/api/v1/exports/constraint-layers/railway/geojson", as_="crew")
    assert exported.status_code == 200 and exported.mimetype == "application/geo+json"
    collection = exported.json
    assert collection["name"] == "railway" and "crs" not in collection
    assert collection["features"][0]["geometry"] == features[0]["geometry"]
    again = api.post(IMPORT, json=collection, query_string={"replace": "true"})
    assert again.json == {"imported": 1, "replaced": 1}
    assert api.get("/api/v1/exports/constraint-layers/railway/geojson").json["features"][0]["properties"]["name"] \
        == "汉丹铁路"


def test_exporting_an_empty_or_unknown_layer(api):
    assert api.get("/api/v1/exports/constraint-layers/lake/geojson").status_code == 404
    response = api.get("/api/v1/exports/constraint-layers/volcano/geojson")
    assert (response.status_code, response.json["field"]) == (422, "path.layer")


def test_a_geopackage_layer_is_imported(api, tmp_path):
    gpkg = gdal_written(tmp_path, [feature("㵐水"), feature("府河", [[113.36, 31.69], [113.39, 31.69]])],
                        fmt="GPKG", srs="EPSG:4547")  # a CGCS2000 Gauss-Krüger zone: Tapline reads those
    response = api.post(f"{IMPORT}/gpkg", data=gpkg.read_bytes(), query_string={"layer": "river", "name_field": "名称"},
                        headers={"Content-Type": "application/geopackage+sqlite3"})
    assert response.status_code == 201, response.json
    assert response.json["imported"] == 2
    crossed = api.post("/api/v1/geo/measure", as_="crew", json={
        "crs": "EPSG:4490", "route": {"type": "LineString", "coordinates": [[113.3737, 31.6905], [113.3714, 31.6905]]},
        "red_line": {"type": "Polygon", "coordinates": [[[113.3707, 31.690], [113.3717, 31.690], [113.3717, 31.691],
                                                           [113.3707, 31.691], [113.3707, 31.690]]]}}).json
    assert crossed["crossings"] == [{"layer": "river", "name": "㵐水"}]


@pytest.mark.parametrize("case,code,field", [
    ("web_mercator", "unsupported_crs", "crs"),
    ("two_layers", "source_layer_required", "source_layer"),
    ("not_a_geopackage", "invalid_geopackage", None),
    ("no_name", "missing_name", "features[0].properties.名称"),
])
def test_a_bad_geopackage_is_422_and_stores_nothing(api, tmp_path, case, code, field):
    if case == "not_a_geopackage":
        body = b"PK\x03\x04 a zip, not a GeoPackage"
    else:
        features = [feature(None)] if case == "no_name" else [feature("㵐水")]
        body = gdal_written(tmp_path, features, fmt="GPKG", srs="EPSG:3857" if case == "web_mercator" else "EPSG:4490",
                            extra_layer=case == "two_layers").read_bytes()
    response = api.post(f"{IMPORT}/gpkg", data=body, query_string={"layer": "river", "name_field": "名称"},
                        headers={"Content-Type": "application/geopackage+sqlite3"})
    assert (response.status_code, response.json["code"], response.json["field"]) == (422, code, field)
    assert api.get("/api/v1/constraint-layers").json == []


def test_a_geopackage_past_the_size_limit_is_413(api, app, monkeypatch, tmp_path):
    monkeypatch.setitem(app.config, "IMPORT_MAX_BYTES", 1024)
    body = gdal_written(tmp_path, [feature("㵐水")], fmt="GPKG").read_bytes()
    response = api.post(f"{IMPORT}/gpkg", data=body, query_string={"layer": "river", "name_field": "名称"},
                        headers={"Content-Type": "application/geopackage+sqlite3"})
    assert (response.status_code, response.json["code"]) == (413, "body_too_large")
    assert response.json["details"]["limit"] == 1024


def test_only_admins_import_geopackages(api):
    response = api.post(f"{IMPORT}/gpkg", as_="engineer", data=b"x", headers={"Content-Type": "application/octet-stream"})
    assert response.status_code == 403
