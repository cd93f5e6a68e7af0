"""Every validation rule: the code, the field path to the offending position, a message a surveyor reads."""

import numpy as np
import pyproj
import pytest

from geo import GeometryError, parse_geometry, parse_measure_request

POLYGON = ("Polygon", "MultiPolygon")
LINE = ("LineString", "MultiLineString")


def error_of(obj, *, allowed=POLYGON, crs="EPSG:4490", field="red_line"):
    with pytest.raises(GeometryError) as caught:
        parse_geometry(obj, field=field, allowed=allowed, crs=crs, max_vertices=1000)
    return caught.value


def polygon(*rings):
    return {"type": "Polygon", "coordinates": [list(map(list, ring)) for ring in rings]}


def square(lon, lat, size):
    return [(lon, lat), (lon + size, lat), (lon + size, lat + size), (lon, lat + size), (lon, lat)]


SHELL = square(113.37, 31.69, 0.01)


# --- where coordinates may lie -------------------------------------------------------------------------

@pytest.mark.parametrize("position", [[181.0, 31.69], [-180.5, 31.69], [113.37, 90.01], [113.37, -91.0]])
def test_lonlat_out_of_range(position):
    error = error_of({"type": "LineString", "coordinates": [[113.37, 31.69], position]}, allowed=LINE, field="route")
    assert (error.code, error.field) == ("coordinate_out_of_range", "route.coordinates[1]")
    assert error.details["coordinate"] == position


@pytest.mark.parametrize("position", [[31.7, 113.3], [31.7, 80.0], [18.25, 109.51]])
def test_lat_lon_order_is_caught_as_swapped(position):
    # [31.7, 80.0] is a valid Arctic lon/lat, but nothing a Chinese utility draws; swapped it is Xinjiang.
    error = error_of({"type": "LineString", "coordinates": [[113.37, 31.69], [113.38, 31.69], position]},
                     allowed=LINE, field="route")
    assert (error.code, error.field) == ("coordinates_swapped", "route.coordinates[2]")
    assert "swapped?" in error.message
    assert error.details["coordinate"] == position


@pytest.mark.parametrize("crs", ["EPSG:4326", "GCJ-02"])
def test_swapped_in_every_geographic_crs(crs):
    error = error_of(polygon([(31.69, 113.37), (31.69, 113.38), (31.70, 113.38), (31.69, 113.37)]), crs=crs)
    assert (error.code, error.field) == ("coordinates_swapped", "red_line.coordinates[0][0]")


def _gauss_kruger(lonlat, epsg):
    easting, northing = pyproj.Transformer.from_crs("EPSG:4490", f"EPSG:{epsg}", always_xy=True).transform(
        *np.array(lonlat, dtype=float).T)
    return np.column_stack([easting, northing]).tolist()


SUIZHOU_LINE = [[113.37, 31.69], [113.38, 31.70]]


def test_gauss_kruger_easting_without_zone_prefix():
    coordinates = _gauss_kruger(SUIZHOU_LINE, 4547)  # CM 114E, no prefix …
    error = error_of({"type": "LineString", "coordinates": coordinates}, allowed=LINE, crs="EPSG:4526",
                     field="route")  # … sent as zone 38
    assert (error.code, error.field) == ("outside_projection_zone", "route.coordinates[0]")
    assert "no zone prefix" in error.message and "EPSG:4547" in error.message


def test_gauss_kruger_easting_with_zone_prefix_in_a_cm_crs():
    coordinates = _gauss_kruger(SUIZHOU_LINE, 4526)
    error = error_of({"type": "LineString", "coordinates": coordinates}, allowed=LINE, crs="EPSG:4547",
                     field="route")
    assert error.code == "outside_projection_zone"
    assert "zone prefix 38" in error.message and "EPSG:4526" in error.message


def test_gauss_kruger_in_the_wrong_zone():
    coordinates = _gauss_kruger(SUIZHOU_LINE, 4526)
    error = error_of({"type": "LineString", "coordinates": coordinates}, allowed=LINE, crs="EPSG:4527",
                     field="route")  # zone 39's prefix differs
    assert error.code == "outside_projection_zone"
    assert "wrong zone?" in error.message


def test_gauss_kruger_point_too_far_from_the_central_meridian():
    # 2.3° east of 114E at 45°N is ~181 km: a plausible easting, but beyond the zone and its overlap.
    coordinates = _gauss_kruger([[115.8, 45.0], [116.3, 45.0]], 4547)
    error = error_of({"type": "LineString", "coordinates": coordinates}, allowed=LINE, crs="EPSG:4547",
                     field="route")
    assert (error.code, error.field) == ("outside_projection_zone", "route.coordinates[1]")
    assert error.details["central_meridian"] == 114.0


def test_gauss_kruger_overlap_near_the_zone_edge_is_accepted():
    coordinates = _gauss_kruger([[115.6, 31.0], [115.8, 31.0]], 4547)  # 1.6-1.8° east of 114E
    line = parse_geometry({"type": "LineString", "coordinates": coordinates}, field="route", allowed=LINE,
                          crs="EPSG:4547", max_vertices=10)
    assert np.allclose(np.asarray(line.coords), [[115.6, 31.0], [115.8, 31.0]], atol=1e-9)


def test_gauss_kruger_swapped_easting_and_northing():
    coordinates = [[n, e] for e, n in _gauss_kruger(SUIZHOU_LINE, 4547)]
    error = error_of({"type": "LineString", "coordinates": coordinates}, allowed=LINE, crs="EPSG:4547",
                     field="route")
    assert error.code == "coordinates_swapped"
    assert "easting and northing swapped?" in error.message


def test_gauss_kruger_northing_outside_china():
    error = error_of({"type": "LineString", "coordinates": [[500_000.0, 3_500_000.0], [500_000.0, -10.0]]},
                     allowed=LINE, crs="EPSG:4547", field="route")
    assert (error.code, error.field) == ("coordinate_out_of_range", "route.coordinates[1]")


# --- lines and rings ----------------------------------------------------------------------------------

def test_ring_not_closed():
    ring = SHELL[:-1] + [(113.3701, 31.69)]
    error = error_of(polygon(ring))
    assert (error.code, error.field) == ("ring_not_closed", "red_line.coordinates[0][4]")
    assert "red_line ring 0 is not closed" in error.message


@pytest.mark.parametrize("ring", [SHELL[:3], SHELL[:1], []])
def test_ring_with_fewer_than_four_positions(ring):
    error = error_of(polygon(ring))
    assert (error.code, error.field) == ("too_few_positions", "red_line.coordinates[0]")
    assert error.details["minimum"] == 4


def test_ring_of_fewer_than_three_distinct_positions_encloses_nothing():
    a, b = (113.37, 31.69), (113.38, 31.69)
    error = error_of(polygon([a, b, b, a]))
    assert (error.code, error.field) == ("too_few_positions", "red_line.coordinates[0]")


@pytest.mark.parametrize("coordinates", [[], [[113.37, 31.69]]])
def test_line_with_fewer_than_two_positions(coordinates):
    error = error_of({"type": "LineString", "coordinates": coordinates}, allowed=LINE, field="route")
    assert (error.code, error.field) == ("too_few_positions", "route.coordinates")


def test_line_of_one_repeated_position_has_zero_length():
    error = error_of({"type": "LineString", "coordinates": [[113.37, 31.69]] * 3}, allowed=LINE, field="route")
    assert (error.code, error.field) == ("zero_length", "route.coordinates")


def test_each_piece_of_a_route_needs_length():
    pieces = [[[113.37, 31.69], [113.38, 31.69]], [[113.39, 31.69], [113.39, 31.69]]]
    error = error_of({"type": "MultiLineString", "coordinates": pieces}, allowed=LINE, field="route")
    assert (error.code, error.field) == ("zero_length", "route.coordinates[1]")
    assert "route part 1" in error.message


# --- topology -----------------------------------------------------------------------------------------

def test_self_intersecting_ring_names_the_crossing():
    bowtie = [(113.37, 31.69), (113.38, 31.70), (113.38, 31.69), (113.37, 31.70), (113.37, 31.69)]
    error = error_of(polygon(bowtie))
    assert (error.code, error.field) == ("self_intersection", "red_line.coordinates[0]")
    assert error.message == "red_line ring 0 intersects itself at (113.375, 31.695)"
    assert error.details["coordinate"] == pytest.approx([113.375, 31.695])


def test_ring_touching_itself_is_a_self_intersection():
    pinched = [(0, 0), (2, 0), (1, 1), (2, 2), (0, 2), (1, 1), (0, 0)]
    ring = [(113.37 + x / 1000, 31.69 + y / 1000) for x, y in pinched]
    error = error_of(polygon(ring))
    assert error.code == "self_intersection"
    assert error.details["coordinate"] == pytest.approx([113.371, 31.691])


def test_self_intersection_in_a_hole_names_the_hole():
    hole = [(113.372, 31.692), (113.374, 31.694), (113.374, 31.692), (113.372, 31.694), (113.372, 31.692)]
    error = error_of(polygon(SHELL, hole))
    assert (error.code, error.field) == ("self_intersection", "red_line.coordinates[1]")
    assert "red_line ring 1" in error.message


def test_self_intersection_in_a_multipolygon_names_polygon_and_ring():
    bowtie = [(113.40, 31.69), (113.41, 31.70), (113.41, 31.69), (113.40, 31.70), (113.40, 31.69)]
    error = error_of({"type": "MultiPolygon", "coordinates": [[SHELL], [bowtie]]})
    assert (error.code, error.field) == ("self_intersection", "red_line.coordinates[1][0]")
    assert "red_line polygon 1 ring 0 intersects itself" in error.message


@pytest.mark.parametrize(("hole", "reason"), [
    (square(113.39, 31.69, 0.001), "hole lies outside shell"),
    (square(113.375, 31.695, 0.01), "self-intersection"),        # crosses the shell
])
def test_invalid_hole(hole, reason):
    error = error_of(polygon(SHELL, hole))
    assert (error.code, error.field) == ("invalid_hole", "red_line.coordinates[1]")
    assert reason in error.message


def test_nested_holes_name_the_inner_one():
    outer = square(113.371, 31.691, 0.008)
    inner = square(113.373, 31.693, 0.002)
    error = error_of(polygon(SHELL, outer, inner))
    assert (error.code, error.field) == ("invalid_hole", "red_line.coordinates[2]")
    assert "holes are nested" in error.message


def test_overlapping_polygons_of_a_multipolygon():
    error = error_of({"type": "MultiPolygon", "coordinates": [[SHELL], [square(113.375, 31.695, 0.01)]]})
    assert (error.code, error.field) == ("polygons_overlap", "red_line.coordinates")


def test_multipolygon_touching_at_a_corner_is_valid():
    corner = SHELL[2]
    shape = parse_geometry({"type": "MultiPolygon", "coordinates": [[SHELL], [square(*corner, 0.01)]]},
                           field="red_line", allowed=POLYGON, crs="EPSG:4490", max_vertices=100)
    assert shape.geom_type == "MultiPolygon"


def test_an_invalid_red_line_is_reported_not_repaired(suizhou):
    bowtie = suizhou.polygon((0, 0), (40, 40), (40, 0), (0, 40))
    with pytest.raises(GeometryError) as caught:
        parse_measure_request(suizhou.request(red_line=bowtie))
    assert caught.value.code == "self_intersection"


def test_projected_locations_are_reported_in_metres():
    ring = _gauss_kruger([(113.37, 31.69), (113.38, 31.70), (113.38, 31.69), (113.37, 31.70), (113.37, 31.69)],
                         4526)
    error = error_of(polygon(ring), crs="EPSG:4526")
    assert error.code == "self_intersection"
    assert error.details["coordinate"][0] == pytest.approx(38_000_000 + 500_000 - 59_750, abs=1_000)


# --- the request as a whole ---------------------------------------------------------------------------

def request_error(body):
    with pytest.raises(GeometryError) as caught:
        parse_measure_request(body)
    return caught.value


def test_unknown_top_level_field(suizhou):
    error = request_error({**suizhou.request(), "redline": {}})
    assert (error.code, error.field) == ("unknown_field", "redline")
    assert "red_line" in error.details["allowed"]


@pytest.mark.parametrize("field", ["crs", "route", "red_line"])
def test_missing_required_field(suizhou, field):
    body = suizhou.request()
    del body[field]
    assert (request_error(body).code, request_error(body).field) == ("missing_field", field)


def test_body_must_be_an_object():
    assert request_error([1, 2]).code == "invalid_request"


def test_green_areas_must_be_a_list_of_polygons(suizhou):
    assert request_error(suizhou.request(green_areas=suizhou.rectangle(0, 0, 5, 5))).field == "green_areas"
    error = request_error(suizhou.request(green_areas=[suizhou.rectangle(0, 0, 5, 5), suizhou.line((0, 0), (5, 5))]))
    assert (error.code, error.field) == ("wrong_geometry_type", "green_areas[1].type")


def test_main_must_be_a_linestring(suizhou):
    error = request_error(suizhou.request(main=suizhou.rectangle(0, 0, 5, 5)))
    assert (error.code, error.field) == ("wrong_geometry_type", "main.type")


def test_red_line_must_be_polygonal(suizhou):
    error = request_error(suizhou.request(red_line=suizhou.line((0, 0), (5, 5))))
    assert (error.code, error.field) == ("wrong_geometry_type", "red_line.type")


def test_the_first_problem_in_field_order_is_reported(suizhou):
    body = suizhou.request(route={"type": "LineString", "coordinates": [[113.37, 31.69]]},
                           red_line={"type": "Polygon", "coordinates": [[[113.37, 31.69]]]})
    assert request_error(body).field == "route.coordinates"


def test_vertex_limit_is_per_geometry(suizhou):
    route = suizhou.line(*[(-40.0 + i, 0.0) for i in range(60)])
    with pytest.raises(GeometryError) as caught:
        parse_measure_request(suizhou.request(route=route), max_vertices=50)
    assert (caught.value.code, caught.value.details["limit"]) == ("too_many_vertices", 50)
    assert parse_measure_request(suizhou.request(route=route), max_vertices=60).route.geom_type == "LineString"


def test_error_dict_has_the_design_shape():
    error = error_of(polygon(SHELL[:3]))
    assert set(error.to_dict()) == {"code", "message", "field", "details"}
    assert error.status == 422
