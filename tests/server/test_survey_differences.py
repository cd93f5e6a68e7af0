"""A push merges only the fields that differ; what differs is decided as the GeoJSON the device sees would,
by comparing the values as their columns hold them (geometries as EWKB)."""
import pytest
import shapely
from geoalchemy2 import Geometry
from sqlalchemy import func, select, type_coerce

from server.geometry import ewkb_of, to_ewkb
from server.services.surveys import as_json, as_stored, differing_fields

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
    assert (differing_fields(as_stored(stored), as_stored(values)) == [name]) == (as_json(stored) != as_json(values))


@pytest.mark.parametrize(("before", "after", "differs"), [
    ("阀门井在人行道下", "阀门井在人行道下", False), ("阀门井", "阀门井在人行道下", True), (None, "", True),
    ([{"dn": 50, "material": "PE100"}], [{"dn": 50, "material": "PE100"}], False),
    ([{"dn": 50, "material": "PE100"}], [{"dn": 63, "material": "PE100"}], True)])
def test_other_fields_differ_by_value(before, after, differs):
    name = "notes" if not isinstance(after, list) else "segments"
    assert (differing_fields(as_stored({name: before}), as_stored({name: after})) == [name]) is differs


def test_green_areas_compare_as_their_list_of_polygons():
    one = shapely.from_wkt(f"MULTIPOLYGON(({SQUARE[8:-1]}))")
    same = as_stored({"green_areas": shapely.from_wkt(one.wkt)})
    assert differing_fields(as_stored({"green_areas": one}), same) == []
    assert differing_fields(as_stored({"green_areas": None}), same) == ["green_areas"]


@pytest.mark.parametrize("wkt", [wkt for wkt in GEOMETRIES if wkt])
def test_a_geometry_reads_back_from_postgis_as_the_ewkb_it_was_written_as(db_session, wkt):
    """What makes EWKB a fair comparison: PostGIS writes back exactly the bytes it read, SRID included."""
    written = to_ewkb(shapely.from_wkt(wkt))
    element = db_session.scalar(select(type_coerce(func.ST_GeomFromEWKB(bytes.fromhex(written)),
                                                   Geometry(srid=4490))))
    assert ewkb_of(element) == written
