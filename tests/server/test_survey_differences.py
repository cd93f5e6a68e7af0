"""A push merges only the fields that differ; what differs is decided as the GeoJSON the device sees would."""
import pytest
import shapely

from server.services.surveys import as_json, differing_fields

SQUARE = "POLYGON((113.37 31.69, 113.38 31.69, 113.38 31.70, 113.37 31.69))"
GEOMETRIES = [
    None,
    f"MULTIPOLYGON(({SQUARE[8:-1]}))",
    "MULTIPOLYGON(((113.37 31.69, 113.38 31.69, 113.38 31.70, 113.37 31.69)), "
    "((113.40 31.70, 113.41 31.70, 113.41 31.71, 113.40 31.70)))",
    "MULTIPOLYGON(((113.37 31.69, 113.38 31.70, 113.38 31.69, 113.37 31.69)))",  # other ring orientation
    "MULTIPOLYGON(((113.37 31.69, 113.38 31.69, 113.38 31.700000001, 113.37 31.69)))",
    "MULTILINESTRING((113.37 31.69, 113.38 31.70))",
    "MULTILINESTRING((113.38 31.70, 113.37 31.69))",
    "MULTILINESTRING((113.37 31.69, 113.38 31.70), (113.39 31.70, 113.40 31.71))",
    "LINESTRING(113.37 31.69, 113.38 31.70)",
    "POINT(113.3713 31.6906)",
    "POINT(113.3713 31.6907)",
]
FIELD = {"POINT": "meter_position", "LINESTRING": "main", "MULTILINESTRING": "route", "MULTIPOLYGON": "red_line"}


def _geometry(wkt):
    return None if wkt is None else shapely.from_wkt(wkt)


def _pairs():
    """Every (field, before, after) of geometries a field can hold, None included."""
    for name in sorted(set(FIELD.values())):
        held = [None, *(wkt for wkt in GEOMETRIES if wkt and FIELD[wkt.split("(")[0]] == name)]
        yield from ((name, before, after) for before in held for after in held)


@pytest.mark.parametrize(("name", "before", "after"), list(_pairs()))
def test_a_geometry_differs_exactly_when_its_geojson_does(name, before, after):
    stored, values = {name: _geometry(before)}, {name: _geometry(after)}
    assert (differing_fields(stored, values) == [name]) == (as_json(stored) != as_json(values))


@pytest.mark.parametrize(("before", "after", "differs"), [
    ("阀门井在人行道下", "阀门井在人行道下", False), ("阀门井", "阀门井在人行道下", True), (None, "", True),
    ([{"dn": 50, "material": "PE100"}], [{"dn": 50, "material": "PE100"}], False),
    ([{"dn": 50, "material": "PE100"}], [{"dn": 63, "material": "PE100"}], True)])
def test_other_fields_differ_by_value(before, after, differs):
    name = "notes" if not isinstance(after, list) else "segments"
    assert (differing_fields({name: before}, {name: after}) == [name]) is differs


def test_green_areas_compare_as_their_list_of_polygons():
    one = shapely.from_wkt(f"MULTIPOLYGON(({SQUARE[8:-1]}))")
    assert differing_fields({"green_areas": one}, {"green_areas": shapely.from_wkt(one.wkt)}) == []
    assert differing_fields({"green_areas": None}, {"green_areas": one}) == ["green_areas"]
