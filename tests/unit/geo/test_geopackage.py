"""GeoPackages written by GDAL's ogr2ogr (a real writer), read back as GeoJSON features."""
import json
import subprocess

import pytest

from geo import GeometryError
from geo.geopackage import is_geopackage, read_geopackage

RIVER = {"type": "Feature", "properties": {"layer": "river", "name": "㵐水"},
         "geometry": {"type": "LineString", "coordinates": [[113.373, 31.68], [113.373, 31.70]]}}
LAKE = {"type": "Feature", "properties": {"layer": "lake", "name": "白云湖"},
        "geometry": {"type": "Polygon", "coordinates": [[[113.36, 31.68], [113.365, 31.68], [113.365, 31.685],
                                                         [113.36, 31.68]]]}}


def geopackage(tmp_path, features, *, srs="EPSG:4490", name="layers", append_to=None) -> bytes:
    source = tmp_path / f"{name}.geojson"
    source.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
    target = append_to or tmp_path / "out.gpkg"
    subprocess.run(["ogr2ogr", "-f", "GPKG", *(["-update"] if append_to else []), str(target), str(source),
                    "-a_srs", srs, "-nln", name], check=True, capture_output=True)
    return target.read_bytes()


def test_every_feature_table_is_read_with_its_crs(tmp_path):
    data = geopackage(tmp_path, [RIVER])
    data = geopackage(tmp_path, [LAKE], name="lakes", append_to=tmp_path / "out.gpkg")
    assert is_geopackage(data[:16])
    crs, features = read_geopackage(data)
    assert crs == "EPSG:4490"
    assert [(f["properties"]["name"], f["geometry"]) for f in features] == [
        ("白云湖", LAKE["geometry"]), ("㵐水", RIVER["geometry"])]


def test_tables_in_two_crs_are_refused(tmp_path):
    geopackage(tmp_path, [RIVER])
    data = geopackage(tmp_path, [LAKE], name="lakes", srs="EPSG:4326", append_to=tmp_path / "out.gpkg")
    with pytest.raises(GeometryError) as refused:
        read_geopackage(data)
    assert refused.value.code == "invalid_geopackage" and "EPSG:4326" in refused.value.message


def test_a_file_that_is_not_a_geopackage_is_refused():
    assert not is_geopackage(b"{\"type\": \"FeatureCollection\"}")
    with pytest.raises(GeometryError) as refused:
        read_geopackage(b"SQLite format 3\x00" + b"\x00" * 200)
    assert (refused.value.code, refused.value.field) == ("invalid_geopackage", "file")
