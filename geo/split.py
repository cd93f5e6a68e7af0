"""Split a route at its red line: which stretches lie outside, and their geodesic length.

Each route segment is cut where it meets the red line's boundary (found in the local plane), and each
piece is classed by its midpoint. Working segment by segment, rather than overlaying the route as one
line, keeps a route that doubles back over itself from being dissolved into one stretch, and leaves every
route vertex in ``outside_route`` exactly as sent; only the crossing points are new.

The boundary rule: the red line polygon is closed, so a stretch running along its boundary is inside, and
"along" allows BOUNDARY_TOLERANCE_M. (A tablet that puts a vertex on an edge by interpolating in its map
projection lands up to a few millimetres off the geodesic edge; without the tolerance, the stretch from
there along the edge would count as outside for its whole length.)
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import shapely
from numpy.typing import NDArray
from shapely import LineString, MultiLineString, MultiPolygon, Polygon

from geo.geodesic import GRS80
from geo.local_plane import LocalPlane

BOUNDARY_TOLERANCE_M = 0.005
# Where a piece is tested for running along the boundary: a straight piece within the tolerance of the
# boundary at all three is taken to follow it (one midpoint could sit beside a corner of the boundary).
_ALONG_SAMPLES = np.array([0.25, 0.5, 0.75])


@dataclass(frozen=True)
class RouteSplit:
    """Geodesic lengths (metres) of a route and of its part outside the red line; geometry in lon/lat."""

    total_length_m: float
    outside_length_m: float
    outside_route: MultiLineString
    inside_route: MultiLineString


@dataclass(frozen=True)
class _Pieces:
    """Pieces of route segments: segment index and the fractions t0 < t1 of the plane segment they span."""

    segment: NDArray[np.intp]
    t0: NDArray[np.float64]
    t1: NDArray[np.float64]

    def __getitem__(self, mask: NDArray[np.bool_]) -> _Pieces:
        return _Pieces(self.segment[mask], self.t0[mask], self.t1[mask])


def split_route(route: LineString | MultiLineString, route_m: LineString | MultiLineString,
                red_line_m: Polygon | MultiPolygon, plane: LocalPlane) -> RouteSplit:
    """Split ``route`` (CGCS2000 lon/lat) by the red line, both also given in ``plane`` metres."""
    lonlat, part = shapely.get_coordinates(shapely.get_parts(route), return_index=True)
    xy = shapely.get_coordinates(route_m)
    # Segment i runs from vertex first[i] to first[i] + 1; the jump between two parts and repeated
    # vertices are no segments.
    first = np.flatnonzero((part[:-1] == part[1:]) & np.any(lonlat[:-1] != lonlat[1:], axis=1))
    a_ll, b_ll = lonlat[first], lonlat[first + 1]
    a, b = xy[first], xy[first + 1]
    _, _, segment_m = GRS80.inv(a_ll[:, 0], a_ll[:, 1], b_ll[:, 0], b_ll[:, 1], return_back_azimuth=False)
    segment_m = np.asarray(segment_m, dtype=np.float64)
    total_m = math.fsum(segment_m)

    boundary_m = red_line_m.boundary
    shapely.prepare(red_line_m)
    shapely.prepare(boundary_m)
    pieces = _pieces(a, b, boundary_m)
    inside_mask = _inside(pieces, a, b, red_line_m, boundary_m)
    outside, inside = pieces[~inside_mask], pieces[inside_mask]

    start_ll = _lonlat_at(outside.segment, outside.t0, a, b, a_ll, b_ll, plane)
    end_ll = _lonlat_at(outside.segment, outside.t1, a, b, a_ll, b_ll, plane)
    whole = (outside.t0 == 0.0) & (outside.t1 == 1.0)
    _, _, partial_m = GRS80.inv(start_ll[~whole, 0], start_ll[~whole, 1], end_ll[~whole, 0], end_ll[~whole, 1],
                                return_back_azimuth=False)
    outside_m = math.fsum(segment_m[outside.segment[whole]]) + math.fsum(np.asarray(partial_m))
    inside_route = _lines(_lonlat_at(inside.segment, inside.t0, a, b, a_ll, b_ll, plane),
                          _lonlat_at(inside.segment, inside.t1, a, b, a_ll, b_ll, plane))
    return RouteSplit(total_m, min(outside_m, total_m), _lines(start_ll, end_ll), inside_route)


def _pieces(a: NDArray, b: NDArray, boundary_m: shapely.Geometry) -> _Pieces:
    """Every segment a→b (plane metres) cut where it meets the boundary, in route order."""
    n = len(a)
    segment = [np.arange(n), np.arange(n)]
    t = [np.zeros(n), np.ones(n)]
    # Only segments whose box touches the boundary's box can meet it; a numpy test spares building the rest.
    near = np.flatnonzero(_in_box(np.minimum(a, b), np.maximum(a, b), boundary_m))
    if near.size:
        lines = shapely.linestrings(np.stack([a[near], b[near]], axis=1))
        meets = shapely.intersects(boundary_m, lines)
        cuts, owner = shapely.get_coordinates(shapely.intersection(lines[meets], boundary_m), return_index=True)
        cut_segment = near[meets][owner]
        d = b[cut_segment] - a[cut_segment]
        along = np.einsum("ij,ij->i", cuts - a[cut_segment], d) / np.einsum("ij,ij->i", d, d)
        segment.append(cut_segment)
        t.append(np.clip(along, 0.0, 1.0))
    segment_all, t_all = np.concatenate(segment), np.concatenate(t)
    order = np.lexsort((t_all, segment_all))
    segment_all, t_all = segment_all[order], t_all[order]
    consecutive = (segment_all[:-1] == segment_all[1:]) & (t_all[1:] > t_all[:-1])
    return _Pieces(segment_all[:-1][consecutive], t_all[:-1][consecutive], t_all[1:][consecutive])


def _inside(pieces: _Pieces, a: NDArray, b: NDArray, red_line_m: shapely.Geometry,
            boundary_m: shapely.Geometry) -> NDArray[np.bool_]:
    """Which pieces are inside the closed red line, the boundary (within tolerance) included."""
    start, d = a[pieces.segment], b[pieces.segment] - a[pieces.segment]
    span = (pieces.t1 - pieces.t0)[:, None]
    mid = start + (pieces.t0[:, None] + 0.5 * span) * d
    inside = shapely.intersects_xy(red_line_m, mid[:, 0], mid[:, 1])
    maybe_along = np.flatnonzero(~inside & _in_box(mid, mid, boundary_m))
    if maybe_along.size:
        fractions = pieces.t0[maybe_along, None] + _ALONG_SAMPLES * span[maybe_along]
        samples = start[maybe_along, None, :] + fractions[:, :, None] * d[maybe_along, None, :]
        near = shapely.dwithin(boundary_m, shapely.points(samples.reshape(-1, 2)), BOUNDARY_TOLERANCE_M)
        inside[maybe_along] = near.reshape(-1, len(_ALONG_SAMPLES)).all(axis=1)
    return inside


def _lonlat_at(segment: NDArray, t: NDArray, a: NDArray, b: NDArray, a_ll: NDArray, b_ll: NDArray,
               plane: LocalPlane) -> NDArray[np.float64]:
    """Lon/lat of the points at fractions ``t`` of the segments: route vertices exactly as sent, cuts via the plane."""
    lonlat = np.where((t == 0.0)[:, None], a_ll[segment], b_ll[segment])
    cut = (t > 0.0) & (t < 1.0)
    if cut.any():
        xy = a[segment[cut]] + t[cut, None] * (b[segment[cut]] - a[segment[cut]])
        lonlat[cut] = np.column_stack(plane.xy_to_lonlat(xy[:, 0], xy[:, 1]))
    return lonlat


def _lines(start: NDArray, end: NDArray) -> MultiLineString:
    """Pieces start→end joined into lines wherever one ends exactly where the next starts."""
    if not len(start):
        return MultiLineString()
    new_line = np.ones(len(start), dtype=bool)
    new_line[1:] = np.any(end[:-1] != start[1:], axis=1)
    # Each line is the start of its first piece followed by the end of every piece.
    end_at = np.arange(len(end)) + np.cumsum(new_line)
    coordinates = np.empty((len(end) + new_line.sum(), 2))
    coordinates[end_at] = end
    coordinates[end_at[new_line] - 1] = start[new_line]
    line_of = np.empty(len(coordinates), dtype=np.intp)
    line_of[end_at] = np.cumsum(new_line) - 1
    line_of[end_at[new_line] - 1] = np.cumsum(new_line)[new_line] - 1
    return shapely.multilinestrings(shapely.linestrings(coordinates, indices=line_of))


def _in_box(low: NDArray, high: NDArray, target: shapely.Geometry) -> NDArray[np.bool_]:
    """Which boxes [low, high] (rows of x, y) come within BOUNDARY_TOLERANCE_M of ``target``'s box."""
    min_x, min_y, max_x, max_y = shapely.bounds(target)
    tol = BOUNDARY_TOLERANCE_M
    return ((high[:, 0] >= min_x - tol) & (low[:, 0] <= max_x + tol)
            & (high[:, 1] >= min_y - tol) & (low[:, 1] <= max_y + tol))
