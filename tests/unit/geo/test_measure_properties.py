"""Properties of measure over random parcels and routes in the seed cities (hypothesis)."""

import math
from itertools import pairwise

import numpy as np
import pyproj
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

from geo import measure, parse_measure_request

GRS80 = pyproj.Geod(ellps="GRS80")
SAMPLE_SPACING_M = 0.05


@st.composite
def parcels(draw, min_vertices=3):
    """A star-shaped (hence simple) red line: vertex radii in metres at strictly increasing bearings.

    Bearing steps vary at most twofold, so with 4 vertices or more no gap reaches 180° and the polygon
    surrounds its centre.
    """
    n = draw(st.integers(min_vertices, 30))
    steps = draw(st.lists(st.floats(0.5, 1.0), min_size=n, max_size=n))
    bearings = np.cumsum(steps) / sum(steps) * 360.0
    gaps = np.diff(np.concatenate([[bearings[-1] - 360.0], bearings]))
    radii = draw(st.lists(st.floats(20.0, 300.0), min_size=n, max_size=n))
    return list(zip(bearings, radii, strict=True)), float(np.max(gaps))


def east_north(bearing_deg, radius_m):
    return radius_m * math.sin(math.radians(bearing_deg)), radius_m * math.cos(math.radians(bearing_deg))


offsets = st.tuples(st.floats(-500.0, 500.0), st.floats(-500.0, 500.0))


def with_length(points):
    """The route points, with a far start added when they are all (nearly) one point: a route needs length."""
    if max(math.dist(points[0], p) for p in points) < 0.01:
        return [(-600.0, 0.0), *points]
    return points


def body(site, route_points, parcel):
    ring = [site.at(*east_north(b, r)) for b, r in parcel]
    return {"crs": "EPSG:4490",
            "route": {"type": "LineString", "coordinates": [site.at(*p) for p in route_points]},
            "red_line": {"type": "Polygon", "coordinates": [ring + [ring[0]]]}}


@settings(max_examples=60, deadline=None)
@given(data=st.data(), parcel=parcels(), route=st.lists(offsets, min_size=2, max_size=25))
def test_inside_plus_outside_is_total(sites, data, parcel, route):
    site = sites[data.draw(st.sampled_from(sorted(sites)))]
    m = measure(parse_measure_request(body(site, with_length(route), parcel[0])))
    assert abs(m.inside_length_m + m.outside_length_m - m.total_length_m) < 1e-3
    assert 0.0 <= m.outside_length_m <= m.total_length_m
    assert m.inside_length_m >= 0.0


@settings(max_examples=60, deadline=None)
@given(data=st.data(), parcel=parcels(min_vertices=4),
       route=st.lists(st.tuples(st.floats(0.0, 360.0), st.floats(0.0, 0.9)), min_size=2, max_size=25))
def test_route_wholly_inside_has_nothing_outside(sites, data, parcel, route):
    site = sites[data.draw(st.sampled_from(sorted(sites)))]
    corners, widest_gap = parcel
    # Every edge stays farther from the centre than its nearer end's radius × cos(gap / 2), so this disk is inside.
    safe_radius = min(r for _, r in corners) * math.cos(math.radians(widest_gap / 2.0))
    points = [east_north(bearing, fraction * safe_radius) for bearing, fraction in route]
    if max(math.dist(points[0], p) for p in points) < 0.01:
        points.append(east_north(0.0, 0.95 * safe_radius))
    m = measure(parse_measure_request(body(site, points, corners)))
    assert m.outside_length_m == 0.0
    assert m.inside_length_m == m.total_length_m
    assert m.outside_route.is_empty


@settings(max_examples=30, deadline=None)
@given(data=st.data(), parcel=parcels(), route=st.lists(offsets, min_size=2, max_size=8))
def test_outside_length_matches_dense_geodesic_sampling(sites, data, parcel, route):
    """An independent estimate: walk each geodesic segment in 5 cm steps and test each step's midpoint."""
    site = sites[data.draw(st.sampled_from(sorted(sites)))]
    request = body(site, with_length(route), parcel[0])
    m = measure(parse_measure_request(request))

    ring = request["red_line"]["coordinates"][0]
    red_line = shapely.Polygon(_densified(ring, spacing_m=1.0))  # follows the geodesic edges to ~1e-8 m
    outside_m, crossings = 0.0, 0
    coordinates = request["route"]["coordinates"]
    for a, b in pairwise(coordinates):
        length_m = GRS80.inv(*a, *b)[2]
        if length_m == 0.0:
            continue
        steps = max(1, math.ceil(length_m / SAMPLE_SPACING_M))
        mids = np.array(GRS80.npts(*a, *b, 2 * steps - 1))[::2]  # midpoints of `steps` equal pieces
        outside = ~shapely.contains_xy(red_line, mids[:, 0], mids[:, 1])
        outside_m += outside.sum() * length_m / steps
        crossings += int(np.count_nonzero(np.diff(outside.astype(int))))
    assert abs(m.outside_length_m - outside_m) <= (crossings + 2) * SAMPLE_SPACING_M + 0.01 * m.total_length_m / 1000


def _densified(ring, spacing_m):
    dense = []
    for a, b in pairwise(ring):
        n = int(GRS80.inv(*a, *b)[2] // spacing_m)
        dense += [a, *GRS80.npts(*a, *b, n)] if n else [a]
    return dense


@settings(max_examples=40, deadline=None)
@given(data=st.data(), parcel=parcels(), first=st.lists(offsets, min_size=2, max_size=10),
       second=st.lists(offsets, min_size=2, max_size=10))
def test_a_route_in_pieces_measures_as_its_pieces_apart(sites, data, parcel, first, second):
    site = sites[data.draw(st.sampled_from(sorted(sites)))]
    pieces = [body(site, with_length(points), parcel[0]) for points in (first, second)]
    whole = {**pieces[0], "route": {"type": "MultiLineString",
                                    "coordinates": [piece["route"]["coordinates"] for piece in pieces]}}
    together = measure(parse_measure_request(whole))
    apart = [measure(parse_measure_request(piece)) for piece in pieces]
    # Each measurement splits in its own local plane, so the sums may differ by micrometres, never by 0.1 mm.
    assert together.total_length_m == pytest.approx(sum(m.total_length_m for m in apart), abs=1e-4)
    assert together.outside_length_m == pytest.approx(sum(m.outside_length_m for m in apart), abs=1e-4)
