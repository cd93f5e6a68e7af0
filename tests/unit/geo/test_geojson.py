"""Reading GeoJSON structure: types, nesting, positions, finite numbers, the vertex limit; writing it back."""

import json
import math

import pytest
import shapely

from geo import GeometryError, parse_geometry, to_geojson

LINE = ("LineString", "MultiLineString")
POLYGON = ("Polygon", "MultiPolygon")
GOOD = [[113.37, 31.69], [113.371, 31.691]]


def parse_route(obj, **options):
    return parse_geometry(obj, field="route", allowed=LINE, crs="EPSG:4490", max_vertices=options.get("limit", 100))


def error_of(obj, allowed=LINE, limit=100):
    with pytest.raises(GeometryError) as caught:
        parse_geometry(obj, field="route", allowed=allowed, crs="EPSG:4490", max_vertices=limit)
    return caught.value


@pytest.mark.parametrize(("obj", "field"), [
    ([[113.37, 31.69]], "route"),
    ("LINESTRING (113 31, 114 32)", "route"),
    ({"type": "Line", "coordinates": GOOD}, "route.type"),
    ({"coordinates": GOOD}, "route.type"),
    ({"type": "LineString"}, "route.coordinates"),
    ({"type": "LineString", "coordinates": "113.37,31.69"}, "route.coordinates"),
    ({"type": "MultiLineString", "coordinates": [GOOD, {"a": 1}]}, "route.coordinates[1]"),
])
def test_malformed_geojson_is_named(obj, field):
    error = error_of(obj)
    assert (error.code, error.field, error.status) == ("invalid_geojson", field, 422)


@pytest.mark.parametrize("kind", ["Polygon", "Point", "Feature", "GeometryCollection"])
def test_a_wrong_type_names_what_was_expected(kind):
    error = error_of({"type": kind, "coordinates": GOOD})
    assert error.code == "wrong_geometry_type"
    assert error.field == "route.type"
    assert "expected LineString or MultiLineString" in error.message
    assert error.details == {"type": kind, "allowed": list(LINE)}


@pytest.mark.parametrize(("obj", "field"), [
    ({"type": "MultiLineString", "coordinates": []}, "route.coordinates"),
    ({"type": "Polygon", "coordinates": []}, "route.coordinates"),
    ({"type": "MultiPolygon", "coordinates": [[[[0, 0], [1, 0], [1, 1], [0, 0]]], []]}, "route.coordinates[1]"),
])
def test_a_geometry_with_no_parts_is_empty(obj, field):
    error = error_of(obj, allowed=LINE + POLYGON)
    assert (error.code, error.field) == ("empty_geometry", field)


@pytest.mark.parametrize(("position", "why"), [
    ([113.37, 31.69, 12.0, 1.0], "4 values"),
    ([113.37], "1 values"),
    ([], "0 values"),
    ([113.37, "31.69"], "'31.69'"),
    ([113.37, None], "None"),
    ([True, 31.69], "True"),
    ([113.37, False], "False"),
    ({"x": 113.37, "y": 31.69}, "must be a position"),
    (113.37, "must be a position"),
])
def test_a_bad_position_is_named(position, why):
    error = error_of({"type": "LineString", "coordinates": [GOOD[0], GOOD[1], position]})
    assert (error.code, error.field) == ("invalid_position", "route.coordinates[2]")
    assert why in error.message


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf, 10**400])
def test_nan_infinity_and_overflowing_numbers_are_not_finite(value):
    error = error_of({"type": "MultiLineString", "coordinates": [GOOD, [GOOD[0], [113.372, value]]]})
    assert (error.code, error.field) == ("not_finite", "route.coordinates[1][1]")


def test_nan_as_pythons_json_module_parses_it():
    body = json.loads('{"type": "LineString", "coordinates": [[113.37, 31.69], [NaN, 31.7]]}')
    assert error_of(body).field == "route.coordinates[1]"


def test_more_positions_than_the_limit():
    coordinates = [[113.37 + i * 1e-5, 31.69] for i in range(11)]
    error = error_of({"type": "LineString", "coordinates": coordinates}, limit=10)
    assert (error.code, error.field) == ("too_many_vertices", "route")
    assert error.details == {"count": 11, "limit": 10}


def test_the_limit_counts_every_part_and_ring():
    ring = [[0, 0], [1, 0], [1, 1], [0, 0]]
    error = error_of({"type": "MultiPolygon", "coordinates": [[ring, ring], [ring]]}, allowed=POLYGON, limit=11)
    assert error.details["count"] == 12


def test_exactly_the_limit_is_fine():
    coordinates = [[113.37 + i * 1e-5, 31.69] for i in range(10)]
    assert len(parse_route({"type": "LineString", "coordinates": coordinates}, limit=10).coords) == 10


def test_altitude_is_accepted_and_dropped():
    line = parse_route({"type": "LineString", "coordinates": [[113.37, 31.69, 51.2], [113.371, 31.691]]})
    assert not line.has_z
    assert list(line.coords) == [(113.37, 31.69), (113.371, 31.691)]


def test_integers_and_tuples_are_numbers_and_positions():
    line = parse_route({"type": "LineString", "coordinates": ((113, 31), (113.5, 31.5))})
    assert list(line.coords) == [(113.0, 31.0), (113.5, 31.5)]


def test_foreign_members_are_ignored():
    line = parse_route({"type": "LineString", "coordinates": GOOD, "bbox": [0, 0, 1, 1], "id": 7})
    assert line.geom_type == "LineString"


@pytest.mark.parametrize("wkt", [
    "POINT (113.37 31.69)",
    "LINESTRING (113.37 31.69, 113.371 31.691)",
    "MULTILINESTRING ((113.37 31.69, 113.371 31.691), (113.372 31.69, 113.373 31.69))",
    "POLYGON ((0 0, 1 0, 1 1, 0 0), (0.5 0.2, 0.8 0.2, 0.8 0.5, 0.5 0.2))",
    "MULTIPOLYGON (((0 0, 1 0, 1 1, 0 0)), ((2 2, 3 2, 3 3, 2 2)))",
    "MULTILINESTRING EMPTY",
])
def test_to_geojson_writes_plain_lists_that_shapely_reads_back(wkt):
    geometry = shapely.from_wkt(wkt)
    written = to_geojson(geometry)
    assert json.loads(json.dumps(written)) == written
    assert shapely.from_geojson(json.dumps(written)).equals_exact(geometry, 0) or geometry.is_empty
    if geometry.is_empty:
        assert written == {"type": "MultiLineString", "coordinates": []}
