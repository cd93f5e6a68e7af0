"""Accepted CRSs: the Gauss-Krüger table agrees with PROJ, and everything lands in EPSG:4490 lon/lat."""

import numpy as np
import pyproj
import pytest

from geo import GeometryError, parse_geometry, resolve_crs
from geo.crs import SUPPORTED_CRS, CrsKind, crs_of_geojson_member
from geo.gcj02 import wgs84_to_gcj02

GAUSS_KRUGER = list(range(4513, 4555))


@pytest.mark.parametrize("epsg", GAUSS_KRUGER)
def test_gauss_kruger_table_matches_proj(epsg):
    ours = resolve_crs(f"EPSG:{epsg}")
    proj = pyproj.CRS.from_epsg(epsg)
    params = {p.name: p.value for p in proj.coordinate_operation.params}
    assert ours.kind is CrsKind.GAUSS_KRUGER
    assert ours.central_meridian == params["Longitude of natural origin"]
    assert ours.false_easting == params["False easting"]
    assert proj.datum.name == "China 2000"


@pytest.mark.parametrize(("zoned", "cm_variant", "central_meridian"), [
    (4526, 4547, 114.0),  # Suizhou, Xinzheng (zone 38)
    (4527, 4548, 117.0),  # Wuhu (zone 39)
    (4528, 4549, 120.0),  # zone 40
    (4525, 4546, 111.0),  # Jingmen, Sanya (zone 37)
    (4522, 4543, 102.0),  # zone 34
])
def test_zone_families_share_their_meridian(zoned, cm_variant, central_meridian):
    assert resolve_crs(f"EPSG:{zoned}").central_meridian == central_meridian
    assert resolve_crs(f"EPSG:{cm_variant}").central_meridian == central_meridian
    assert resolve_crs(f"EPSG:{zoned}").false_easting == (zoned - 4513 + 25) * 1e6 + 500_000
    assert resolve_crs(f"EPSG:{cm_variant}").false_easting == 500_000


def test_names_are_case_insensitive():
    assert resolve_crs("epsg:4490") is SUPPORTED_CRS["EPSG:4490"]
    assert resolve_crs("gcj-02").name == "GCJ-02"


@pytest.mark.parametrize("name", ["EPSG:3857", "EPSG:4512", "EPSG:4555", "BD-09", "", None, 4490])
def test_other_crs_are_refused(name):
    with pytest.raises(GeometryError) as caught:
        resolve_crs(name)
    assert caught.value.code == "unsupported_crs"
    assert caught.value.field == "crs"
    assert "EPSG:4526" in caught.value.details["supported"]


LINE = ("LineString",)


def _lonlat(geometry):
    return np.asarray(geometry.coords)


@pytest.mark.parametrize("crs", ["EPSG:4326", "EPSG:4490"])
def test_wgs84_and_cgcs2000_pass_through_unchanged(crs):
    coordinates = [[113.37, 31.69], [113.3712345678, 31.6987654321]]
    line = parse_geometry({"type": "LineString", "coordinates": coordinates}, field="route", allowed=LINE, crs=crs,
                          max_vertices=100)
    assert _lonlat(line).tolist() == coordinates


@pytest.mark.parametrize(("lon", "lat", "zoned", "cm_variant"), [
    (113.37, 31.69, 4526, 4547),   # Suizhou, CM 114E
    (112.20, 31.03, 4525, 4546),   # Jingmen, CM 111E
    (118.38, 31.33, 4527, 4548),   # Wuhu, CM 117E
    (113.74, 34.39, 4526, 4547),   # Xinzheng, CM 114E
    (109.51, 18.25, 4525, 4546),   # Sanya, CM 111E
    (116.20, 39.90, 4527, 4548),   # CM 117E
    (101.70, 25.00, 4522, 4543),   # CM 102E
])
def test_gauss_kruger_coordinates_arrive_as_cgcs2000_lonlat(lon, lat, zoned, cm_variant):
    lonlat = [[lon, lat], [lon + 0.001, lat + 0.001]]
    for epsg in (zoned, cm_variant):
        to_gk = pyproj.Transformer.from_crs("EPSG:4490", f"EPSG:{epsg}", always_xy=True)
        easting, northing = to_gk.transform(*np.array(lonlat).T)
        line = parse_geometry({"type": "LineString", "coordinates": np.column_stack([easting, northing]).tolist()},
                              field="route", allowed=LINE, crs=f"EPSG:{epsg}", max_vertices=100)
        assert np.allclose(_lonlat(line), lonlat, atol=1e-9, rtol=0)


def test_gcj02_coordinates_arrive_as_cgcs2000_lonlat():
    lonlat = np.array([[113.37, 31.69], [113.371, 31.691]])
    gcj = np.column_stack(wgs84_to_gcj02(lonlat[:, 0], lonlat[:, 1]))
    line = parse_geometry({"type": "LineString", "coordinates": gcj.tolist()}, field="route", allowed=LINE,
                          crs="GCJ-02", max_vertices=100)
    assert np.allclose(_lonlat(line), lonlat, atol=1e-9, rtol=0)


@pytest.mark.parametrize("name,expected", [
    ("urn:ogc:def:crs:OGC:1.3:CRS84", "EPSG:4326"),   # what GDAL and QGIS write for WGS84
    ("urn:ogc:def:crs:EPSG::4490", "EPSG:4490"),      # QGIS, a CGCS2000 layer
    ("EPSG:4490", "EPSG:4490"),
    ("http://www.opengis.net/def/crs/OGC/1.3/CRS84", "EPSG:4326"),
])
def test_a_geojson_crs_member_naming_lonlat_is_taken(name, expected):
    assert crs_of_geojson_member({"type": "name", "properties": {"name": name}}) == expected


@pytest.mark.parametrize("member", [
    {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3857"}},
    {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::4547"}},
    {"type": "link", "properties": {"href": "http://example.com/crs"}},
    "EPSG:4490 please",
])
def test_any_other_crs_member_is_refused_naming_it(member):
    with pytest.raises(GeometryError) as raised:
        crs_of_geojson_member(member)
    assert raised.value.code == "unsupported_crs" and raised.value.field == "crs"
    assert "EPSG:4490" in raised.value.message
