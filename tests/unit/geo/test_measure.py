"""Measure: geodesic lengths against independently constructed truths in every seed city and CRS family.

Each case is built on geodesics with pyproj's Geod.fwd, so the true lengths are known by construction: a
route A→B crossing a red-line edge at C, where A, C, B lie on one geodesic and C on the edge's geodesic,
is outside for exactly |AC| and inside for |CB|.
"""

import json
import math

import numpy as np
import pyproj
import pytest
import shapely

from geo import ConstraintFeature, measure, parse_measure_request
from geo.gcj02 import wgs84_to_gcj02
from geo.geodesic import length_m

GRS80 = pyproj.Geod(ellps="GRS80")


def fwd(point, azimuth, distance):
    """(point, forward azimuth there) a geodesic distance from ``point``."""
    lon, lat, back_azimuth = GRS80.fwd(point[0], point[1], azimuth, distance)
    return [lon, lat], back_azimuth + 180.0


def tolerance_m(route_length_m):
    return 0.01 * route_length_m / 1000.0  # the requirement: 1 cm per km


def crossing_case(origin, *, route_azimuth=60.0, crossing_angle=90.0, outside_m=1200.0, inside_m=300.0):
    """A route crossing into a parcel at ``origin``; returns (route coordinates, red-line ring)."""
    c = list(origin)
    edge_azimuth = route_azimuth + crossing_angle
    p, _ = fwd(c, edge_azimuth, -900.0)
    q, q_azimuth = fwd(c, edge_azimuth, 900.0)
    _, p_azimuth = fwd(c, edge_azimuth, -900.0)
    # The parcel lies on the left of P→Q, where the route goes.
    r, _ = fwd(q, q_azimuth - 90.0, 1000.0)
    s, _ = fwd(p, p_azimuth - 90.0, 1000.0)
    a, _ = fwd(c, route_azimuth, -outside_m)
    b, _ = fwd(c, route_azimuth, inside_m)
    return [a, b], [p, q, r, s, p]


def to_crs(coordinates, crs, site_lon):
    """Coordinates in ``crs`` ("EPSG:4490", "GCJ-02", "zoned" or "cm" Gauss-Krüger of the site's zone)."""
    xy = np.asarray(coordinates, dtype=float)
    if crs == "EPSG:4490":
        return crs, xy.tolist()
    if crs == "GCJ-02":
        return crs, np.column_stack(wgs84_to_gcj02(xy[:, 0], xy[:, 1])).tolist()
    zone = round(site_lon / 3.0)
    epsg = (4513 if crs == "zoned" else 4534) + zone - 25
    transformer = pyproj.Transformer.from_crs("EPSG:4490", f"EPSG:{epsg}", always_xy=True)
    return f"EPSG:{epsg}", np.column_stack(transformer.transform(xy[:, 0], xy[:, 1])).tolist()


def measured(route, ring, crs="EPSG:4490", site_lon=113.0, **fields):
    crs_name, route_xy = to_crs(route, crs, site_lon)
    _, ring_xy = to_crs(ring, crs, site_lon)
    body = {"crs": crs_name, "route": {"type": "LineString", "coordinates": route_xy},
            "red_line": {"type": "Polygon", "coordinates": [ring_xy]}, **fields}
    return measure(parse_measure_request(body))


@pytest.mark.parametrize("crs", ["EPSG:4490", "GCJ-02", "zoned", "cm"])
@pytest.mark.parametrize("crossing_angle", [90.0, 40.0, 12.0])
def test_crossing_in_every_city_and_crs(site, crs, crossing_angle):
    route, ring = crossing_case(site.origin, crossing_angle=crossing_angle)
    m = measured(route, ring, crs, site.origin[0])
    tolerance = tolerance_m(1500.0)
    assert m.total_length_m == pytest.approx(1500.0, abs=tolerance)
    assert m.outside_length_m == pytest.approx(1200.0, abs=tolerance)
    assert m.inside_length_m == pytest.approx(300.0, abs=tolerance)


def test_the_inside_route_is_the_rest_and_its_parts_measure_the_same(site):
    route, ring = crossing_case(site.origin, crossing_angle=40.0)
    m = measured(route, ring)
    assert length_m(m.outside_route) == pytest.approx(m.outside_length_m, abs=1e-6)
    assert length_m(m.inside_route) == pytest.approx(m.inside_length_m, abs=1e-6)
    assert m.inside_route.geoms[0].coords[0] == m.outside_route.geoms[0].coords[-1]
    assert list(m.inside_route.geoms[0].coords[-1]) == route[1]


@pytest.mark.parametrize("route_azimuth", [0.0, 45.0, 90.0, 135.0, 250.0])
def test_five_km_route_with_long_segments(site, route_azimuth):
    route, ring = crossing_case(site.origin, route_azimuth=route_azimuth, crossing_angle=25.0,
                                outside_m=4200.0, inside_m=800.0)
    m = measured(route, ring)
    assert m.outside_length_m == pytest.approx(4200.0, abs=tolerance_m(5000.0))
    assert m.total_length_m == pytest.approx(5000.0, abs=tolerance_m(5000.0))


def test_many_vertex_route_along_the_geodesic(site):
    route, ring = crossing_case(site.origin)
    a, b = route
    dense = [a, *GRS80.npts(*a, *b, 998), b]
    m = measured(dense, ring)
    assert m.outside_length_m == pytest.approx(1200.0, abs=tolerance_m(1500.0))
    assert m.total_length_m == pytest.approx(1500.0, abs=tolerance_m(1500.0))


def test_route_ending_on_the_red_line(site):
    route, ring = crossing_case(site.origin)
    m = measured([route[0], list(site.origin)], ring)
    assert m.outside_length_m == pytest.approx(1200.0, abs=tolerance_m(1200.0))
    assert m.inside_length_m == pytest.approx(0.0, abs=tolerance_m(1200.0))
    assert m.warnings == ()


def test_lengths_agree_with_pyproj_geometry_length(site):
    route = [site.at(-300.0, 0.0), site.at(-120.0, 40.0), site.at(-10.0, -30.0), site.at(25.0, 5.0)]
    ring = site.rectangle(0.0, -200.0, 400.0, 200.0)["coordinates"][0]
    m = measured(route, ring)
    assert m.total_length_m == pytest.approx(GRS80.geometry_length(shapely.LineString(route)), abs=1e-6)
    assert m.outside_length_m == pytest.approx(GRS80.geometry_length(m.outside_route), abs=1e-6)


def test_inside_plus_outside_is_total(site):
    route, ring = crossing_case(site.origin, crossing_angle=33.0)
    m = measured(route, ring)
    assert m.inside_length_m + m.outside_length_m == pytest.approx(m.total_length_m, abs=1e-9)


def test_route_wholly_inside(site):
    m = measure(parse_measure_request(site.request(route=site.line((5.0, 0.0), (35.0, 10.0)))))
    assert m.outside_length_m == 0.0
    assert m.inside_length_m == m.total_length_m > 29.0
    assert m.outside_route.is_empty and m.outside_route.geom_type == "MultiLineString"


def test_route_wholly_outside(site):
    route = site.line((-80.0, 0.0), (-1.0, 0.0))
    m = measure(parse_measure_request(site.request(route=route)))
    assert m.outside_length_m == m.total_length_m
    assert m.inside_length_m == 0.0


def test_outside_route_runs_from_the_route_start(suizhou):
    m = measure(parse_measure_request(suizhou.request()))
    [piece] = shapely.get_parts(m.outside_route)
    assert list(piece.coords)[0] == pytest.approx(suizhou.at(-40.0, 0.0), abs=1e-12)


# --- the boundary rule ----------------------------------------------------------------------------------

def test_route_along_an_edge_between_red_line_vertices_is_inside(site, geodesic):
    red_line = site.rectangle(0.0, -20.0, 40.0, 20.0)
    route = site.line((-40.0, 20.0), (0.0, 20.0), (40.0, 20.0), (40.0, -20.0))
    m = measure(parse_measure_request(site.request(route=route, red_line=red_line)))
    assert m.outside_length_m == pytest.approx(geodesic(site.at(-40.0, 20.0), site.at(0.0, 20.0)), abs=1e-6)


def test_route_joining_an_edge_midway_then_running_along_it_is_inside(site, geodesic):
    # A tablet snapping to the middle of a 400 m edge interpolates lon/lat: that point lies ~2 mm south of
    # the geodesic edge, i.e. outside the parcel when the edge is its southern one.
    red_line = site.rectangle(0.0, -200.0, 400.0, 200.0)
    west, east = red_line["coordinates"][0][0], red_line["coordinates"][0][1]
    midway = [(west[0] + east[0]) / 2.0, (west[1] + east[1]) / 2.0]
    start = site.at(200.0, -260.0)
    route = {"type": "LineString", "coordinates": [start, midway, east, site.at(300.0, -100.0)]}
    m = measure(parse_measure_request(site.request(route=route, red_line=red_line)))
    assert m.outside_length_m == pytest.approx(geodesic(start, midway), abs=1e-3)


@pytest.mark.parametrize(("offset_m", "along_is_inside"), [(0.003, True), (0.02, False)])
def test_running_beside_an_edge_within_tolerance_is_along_it(site, geodesic, offset_m, along_is_inside):
    red_line = site.rectangle(0.0, -200.0, 400.0, 200.0)
    west, east = red_line["coordinates"][0][0], red_line["coordinates"][0][1]
    azimuth = GRS80.inv(*west, *east)[0]
    beside = []
    for distance in (100.0, 300.0):
        on_edge, edge_azimuth = fwd(west, azimuth, distance)
        beside.append(fwd(on_edge, edge_azimuth + 90.0, offset_m)[0])  # to the south: outside
    start = site.at(100.0, -300.0)
    route = {"type": "LineString", "coordinates": [start, *beside, site.at(300.0, -100.0)]}
    m = measure(parse_measure_request(site.request(route=route, red_line=red_line)))
    expected = geodesic(start, beside[0]) + (0.0 if along_is_inside else 200.0)
    assert m.outside_length_m == pytest.approx(expected, abs=0.05)


def test_route_doubling_back_outside_counts_both_ways(site, geodesic):
    out, back = site.at(-60.0, 0.0), site.at(-20.0, 0.0)
    route = {"type": "LineString", "coordinates": [back, out, back, site.at(20.0, 0.0)]}
    m = measure(parse_measure_request(site.request(route=route)))
    assert m.outside_length_m == pytest.approx(2 * geodesic(back, out) + 20.0, abs=1e-3)
    assert m.inside_length_m == pytest.approx(20.0, abs=1e-3)


def test_outside_route_keeps_the_route_vertices_exactly(suizhou):
    route = suizhou.line((-40.0, 5.0), (-25.0, -3.0), (-10.0, 2.0), (20.0, 0.0))
    m = measure(parse_measure_request(suizhou.request(route=route)))
    [piece] = shapely.get_parts(m.outside_route)
    assert [list(p) for p in piece.coords][:3] == route["coordinates"][:3]
    assert piece.coords[3][0] == pytest.approx(suizhou.at(0.0, 0.0)[0], abs=1e-6)


def test_route_wholly_outside_measures_exactly_its_total(suizhou):
    route = suizhou.line((-40.0, 5.0), (-25.0, -3.0), (-10.0, 2.0), (0.0, 0.0))
    m = measure(parse_measure_request(suizhou.request(route=route)))
    assert m.outside_length_m == m.total_length_m
    assert m.inside_length_m == 0.0


def test_route_through_a_red_line_corner(site, geodesic):
    red_line = site.rectangle(0.0, 0.0, 40.0, 40.0)
    corner = red_line["coordinates"][0][0]
    start, end = site.at(-30.0, -30.0), site.at(20.0, 20.0)
    route = {"type": "LineString", "coordinates": [start, corner, end]}
    m = measure(parse_measure_request(site.request(route=route, red_line=red_line)))
    assert m.outside_length_m == pytest.approx(geodesic(start, corner), abs=1e-6)


def test_route_touching_the_red_line_and_turning_back_is_outside(suizhou):
    red_line = suizhou.rectangle(0.0, -20.0, 40.0, 20.0)
    touch = red_line["coordinates"][0][0]
    route = {"type": "LineString", "coordinates": [suizhou.at(-30.0, -40.0), touch, suizhou.at(-30.0, 0.0)]}
    m = measure(parse_measure_request(suizhou.request(route=route, red_line=red_line)))
    assert m.outside_length_m == m.total_length_m


# --- multipart geometry ---------------------------------------------------------------------------------

def test_multipolygon_red_line(site, geodesic):
    # Along one geodesic from A: enter parcel 1 at 100 m, leave at 160 m, enter parcel 2 at 200 m, stop at 230 m.
    a = site.at(-100.0, 0.0)
    azimuth = 75.0
    cuts = {}
    for name, s in {"c1": 100.0, "c2": 160.0, "c3": 200.0, "b": 230.0, "c4": 260.0}.items():
        cuts[name] = fwd(a, azimuth, s)

    def edge(name):
        point, forward_azimuth = cuts[name]
        return fwd(point, forward_azimuth - 90.0, 30.0)[0], fwd(point, forward_azimuth + 90.0, 30.0)[0]

    def parcel(first, second):
        (p1, q1), (p2, q2) = edge(first), edge(second)
        return [[p1, q1, q2, p2, p1]]

    red_line = {"type": "MultiPolygon", "coordinates": [parcel("c1", "c2"), parcel("c3", "c4")]}
    route = {"type": "LineString", "coordinates": [a, cuts["b"][0]]}
    m = measure(parse_measure_request(site.request(route=route, red_line=red_line)))
    assert m.total_length_m == pytest.approx(230.0, abs=1e-6)
    assert m.outside_length_m == pytest.approx(100.0 + 40.0, abs=tolerance_m(230.0))
    assert len(shapely.get_parts(m.outside_route)) == 2


def test_route_in_pieces(site):
    route, ring = crossing_case(site.origin)
    inner = [site.at(-10.0, 100.0), site.at(-30.0, 150.0)]  # left of the crossing: inside the parcel
    crs, _ = "EPSG:4490", None
    body = {"crs": crs, "route": {"type": "MultiLineString", "coordinates": [route, inner]},
            "red_line": {"type": "Polygon", "coordinates": [ring]}}
    m = measure(parse_measure_request(body))
    inner_m = GRS80.inv(*inner[0], *inner[1])[2]
    # the gap between the pieces is not route
    assert m.total_length_m == pytest.approx(1500.0 + inner_m, abs=tolerance_m(1500.0))
    assert m.outside_length_m == pytest.approx(1200.0, abs=tolerance_m(1500.0))


# --- green areas ----------------------------------------------------------------------------------------

def _area(ring):
    return abs(GRS80.polygon_area_perimeter(*np.asarray(ring).T)[0])


def test_overlapping_green_areas_count_once(site):
    west = site.rectangle(0.0, 0.0, 100.0, 100.0)
    east = site.rectangle(50.0, 0.0, 150.0, 100.0)
    both = site.rectangle(0.0, 0.0, 150.0, 100.0)["coordinates"][0]
    m = measure(parse_measure_request(site.request(green_areas=[west, east])))
    assert m.green_area_m2 == pytest.approx(_area(both), rel=1e-6)
    assert m.green_area_m2 < _area(west["coordinates"][0]) + _area(east["coordinates"][0]) - 4000.0


def test_the_same_green_area_twice_counts_once(suizhou):
    green = suizhou.rectangle(0.0, 0.0, 30.0, 20.0)
    m = measure(parse_measure_request(suizhou.request(green_areas=[green, green])))
    assert m.green_area_m2 == pytest.approx(_area(green["coordinates"][0]), rel=1e-12)


def test_disjoint_green_areas_add_up_and_holes_subtract(suizhou):
    plain = suizhou.rectangle(0.0, 0.0, 30.0, 20.0)
    shell = suizhou.rectangle(100.0, 0.0, 140.0, 40.0)["coordinates"][0]
    hole = suizhou.rectangle(110.0, 10.0, 120.0, 20.0)["coordinates"][0][::-1]
    holed = {"type": "Polygon", "coordinates": [shell, hole]}
    m = measure(parse_measure_request(suizhou.request(green_areas=[plain, holed])))
    expected = _area(plain["coordinates"][0]) + _area(shell) - _area(hole)
    assert m.green_area_m2 == pytest.approx(expected, rel=1e-9)
    assert m.green_area_m2 == pytest.approx(600.0 + 1600.0 - 100.0, rel=1e-3)


def test_no_green_areas(suizhou):
    assert measure(parse_measure_request(suizhou.request(green_areas=[]))).green_area_m2 == 0.0
    assert measure(parse_measure_request(suizhou.request(green_areas=None))).green_area_m2 == 0.0


# --- crossings ------------------------------------------------------------------------------------------

def test_crossings_are_listed_once_in_a_stable_order(suizhou):
    line = lambda *points: shapely.LineString([suizhou.at(*p) for p in points])  # noqa: E731
    constraints = [
        ConstraintFeature("river", "涢水", shapely.Polygon([suizhou.at(*p) for p in
                                                            [(-30, -50), (-25, -50), (-25, 50), (-30, 50)]])),
        ConstraintFeature("railway", "汉丹铁路", line((-20, -50), (-20, 50))),
        ConstraintFeature("expressway", "福银高速", line((-60, -50), (-60, 50))),  # west of the route
        ConstraintFeature("railway", "汉丹铁路", line((-15, -50), (-15, 50))),   # the same line, second track
    ]
    m = measure(parse_measure_request(suizhou.request()), constraints)
    assert [c.to_dict() for c in m.crossings] == [{"layer": "railway", "name": "汉丹铁路"},
                                                  {"layer": "river", "name": "涢水"}]
    assert measure(parse_measure_request(suizhou.request()), constraints[::-1]).crossings == m.crossings


def test_no_constraints_no_crossings(suizhou):
    assert measure(parse_measure_request(suizhou.request())).crossings == ()


# --- the response ---------------------------------------------------------------------------------------

def test_to_dict_is_the_contract_shape(suizhou):
    body = suizhou.request(green_areas=[suizhou.rectangle(0.0, 0.0, 5.0, 5.0)],
                           main=suizhou.line((-40.0, -5.0), (-40.0, 5.0)))
    response = measure(parse_measure_request(body)).to_dict()
    assert set(response) == {"total_length_m", "outside_length_m", "inside_length_m", "green_area_m2",
                             "outside_route", "crossings", "warnings"}
    assert all(type(response[k]) is float for k in
               ("total_length_m", "outside_length_m", "inside_length_m", "green_area_m2"))
    assert response["outside_route"]["type"] == "MultiLineString"
    assert json.loads(json.dumps(response, allow_nan=False)) == response
    assert response["outside_length_m"] == pytest.approx(40.0, abs=1e-3)
    assert math.isclose(response["inside_length_m"] + response["outside_length_m"], response["total_length_m"])
