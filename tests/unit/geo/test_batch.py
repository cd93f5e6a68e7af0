"""parse_geometries answers each geometry of a batch exactly as parse_geometry answers it alone."""

import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

from geo import GeometryError, parse_geometry
from geo.batch import parse_geometries

LINEAL = ("LineString", "MultiLineString")
POLYGONAL = ("Polygon", "MultiPolygon")
SUIZHOU = (113.3712, 31.6905)


def square(lon, lat, size):
    return [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]


SHELL = square(*SUIZHOU, 0.01)
HOLE = square(SUIZHOU[0] + 0.002, SUIZHOU[1] + 0.002, 0.002)
BOWTIE = [[113.37, 31.69], [113.38, 31.70], [113.38, 31.69], [113.37, 31.70], [113.37, 31.69]]

POLYGONS = [
    {"type": "Polygon", "coordinates": [SHELL]},
    {"type": "Polygon", "coordinates": [SHELL, HOLE]},
    {"type": "MultiPolygon", "coordinates": [[SHELL], [square(113.40, 31.70, 0.01)]]},
    {"type": "MultiPolygon", "coordinates": [[SHELL], [square(113.375, 31.695, 0.01)]]},  # overlap
    {"type": "MultiPolygon", "coordinates": [[SHELL], [square(113.3812, 31.7005, 0.01)]]},  # corner touch
    {"type": "Polygon", "coordinates": [BOWTIE]},
    {"type": "Polygon", "coordinates": [SHELL[:-1]]},  # not closed
    {"type": "Polygon", "coordinates": [SHELL[:3]]},
    {"type": "Polygon", "coordinates": [[[113.37, 31.69], [113.38, 31.69], [113.37, 31.69], [113.37, 31.69]]]},
    {"type": "Polygon", "coordinates": [SHELL, square(113.50, 31.80, 0.001)]},  # hole outside
    {"type": "Polygon", "coordinates": [[[p[1], p[0]] for p in SHELL]]},  # lat/lon swapped
    {"type": "Polygon", "coordinates": []},
    {"type": "LineString", "coordinates": [[113.37, 31.69], [113.38, 31.70]]},  # wrong type
    {"type": "Polygon", "coordinates": [[[113.37, "31.69"], *SHELL[1:]]]},
    {"type": "Polygon", "coordinates": [[[1e400, 31.69], *SHELL[1:]]]},
    "not an object",
]
LINES = [
    {"type": "LineString", "coordinates": [[113.37, 31.69], [113.38, 31.70]]},
    {"type": "LineString", "coordinates": [[113.37, 31.69, 41.5], [113.371, 31.691, 42.0], [113.38, 31.70, 40]]},
    {"type": "MultiLineString", "coordinates": [[[113.37, 31.69], [113.38, 31.70]], [[113.39, 31.7], [113.4, 31.7]]]},
    {"type": "LineString", "coordinates": [[113.37, 31.69], [113.37, 31.69]]},  # no length
    {"type": "MultiLineString", "coordinates": [[[113.37, 31.69], [113.38, 31.70]], [[113.39, 31.7], [113.39, 31.7]]]},
    {"type": "LineString", "coordinates": [[113.37, 31.69]]},
    {"type": "LineString", "coordinates": [[113.37, 31.69], [181.0, 31.69]]},
    {"type": "LineString", "coordinates": [[113.37, 31.69], [31.7, 113.3]]},  # one position swapped
    {"type": "LineString", "coordinates": [[113.37, 31.69], [113.37, 91.0]]},
    {"type": "LineString", "coordinates": [[-74.0, 40.7], [-73.9, 40.8]]},  # outside China: a warning only
    {"type": "MultiLineString", "coordinates": []},
    {"type": "Polygon", "coordinates": [SHELL]},
    {"type": "LineString"},
]


def alone(obj, field, allowed, crs, max_vertices=50):
    try:
        return parse_geometry(obj, field=field, allowed=allowed, crs=crs, max_vertices=max_vertices)
    except GeometryError as error:
        return error


def assert_same(batched, single):
    if isinstance(single, GeometryError):
        assert isinstance(batched, GeometryError), (batched, single)
        assert (batched.code, batched.message, batched.field, batched.details) == (
            single.code, single.message, single.field, single.details)
    else:
        assert batched.geom_type == single.geom_type
        assert shapely.equals_exact(batched, single, tolerance=0), (batched, single)


@pytest.mark.parametrize("crs", ["EPSG:4490", "EPSG:4326", "GCJ-02"])
@pytest.mark.parametrize(("corpus", "allowed"), [(POLYGONS, POLYGONAL), (LINES, LINEAL),
                                                 (POLYGONS + LINES, POLYGONAL + LINEAL)])
def test_each_item_of_a_batch_is_answered_as_alone(crs, corpus, allowed):
    fields = [f"items[{i}]" for i in range(len(corpus))]
    batched = parse_geometries(corpus, fields=fields, allowed=allowed, crs=crs, max_vertices=50)
    assert len(batched) == len(corpus)
    for obj, field, result in zip(corpus, fields, batched, strict=True):
        assert_same(result, alone(obj, field, allowed, crs))


def test_gauss_kruger_input_is_converted_as_alone():
    line = {"type": "LineString", "coordinates": [[535_000.0, 3_505_000.0], [535_100.0, 3_505_050.0]]}
    far = {"type": "LineString", "coordinates": [[535_000.0, 3_505_000.0], [935_000.0, 3_505_000.0]]}
    batched = parse_geometries([line, far], fields=["a", "b"], allowed=LINEAL, crs="EPSG:4547")
    for obj, field, result in zip([line, far], ["a", "b"], batched, strict=True):
        assert_same(result, alone(obj, field, LINEAL, "EPSG:4547", max_vertices=10_000))


def test_the_vertex_limit_holds_per_geometry():
    big = {"type": "LineString", "coordinates": [[113.37 + i * 1e-4, 31.69] for i in range(60)]}
    small, too_big = parse_geometries([LINES[0], big], fields=["a", "b"], allowed=LINEAL, crs="EPSG:4490",
                                      max_vertices=50)
    assert small.geom_type == "LineString"
    assert (too_big.code, too_big.details) == ("too_many_vertices", {"count": 60, "limit": 50})


def test_an_empty_batch_is_empty():
    assert parse_geometries([], fields=[], allowed=LINEAL, crs="EPSG:4490") == []


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(POLYGONS + LINES), max_size=40), st.randoms(use_true_random=False))
def test_any_mix_in_any_order(items, random):
    random.shuffle(items)
    fields = [f"m[{i}]" for i in range(len(items))]
    allowed = POLYGONAL + LINEAL
    for obj, field, result in zip(items, fields, parse_geometries(items, fields=fields, allowed=allowed,
                                                                    crs="EPSG:4490", max_vertices=50), strict=True):
        assert_same(result, alone(obj, field, allowed, "EPSG:4490"))
