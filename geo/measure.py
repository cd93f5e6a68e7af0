"""Measure a route against its red line: geodesic lengths inside and outside, green area, crossings.

Lengths and areas are geodesic on GRS80, in metres and square metres, at full precision (only the policy
rounds). Where the route leaves the red line is decided in a local metric plane (``LocalPlane``); the
boundary rule is ``geo.split``'s.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from shapely import MultiLineString, Polygon
from shapely.geometry.base import BaseGeometry

from geo.errors import GeometryWarning
from geo.geodesic import area_m2
from geo.geojson import to_geojson
from geo.local_plane import LocalPlane
from geo.request import MeasureRequest
from geo.split import split_route

#: How far the route may start from the main, or stop short of the red line, before a warning (metres).
PLACEMENT_TOLERANCE_M = 2.0


#: The reference layers a route's crossings are found in (Y3: expressways, rail, rivers "and similar facilities").
CONSTRAINT_LAYERS = ("expressway", "urban_expressway", "railway", "urban_rail", "river", "canal", "lake")


@dataclass(frozen=True)
class ConstraintFeature:
    """A reference feature a route must not cross unnoticed (expressway, railway, river…), in EPSG:4490."""

    layer: str
    name: str
    geometry: BaseGeometry


@dataclass(frozen=True)
class Crossing:
    """A constraint feature the route intersects."""

    layer: str
    name: str

    def to_dict(self) -> dict[str, str]:
        return {"layer": self.layer, "name": self.name}


@dataclass(frozen=True)
class Measurement:
    """The result of ``measure``: lengths in metres, area in m², geometry in EPSG:4490 lon/lat."""

    total_length_m: float
    outside_length_m: float
    inside_length_m: float
    green_area_m2: float
    outside_route: MultiLineString
    crossings: tuple[Crossing, ...]
    warnings: tuple[GeometryWarning, ...]
    # The rest of the route, for drawings and exports; the Measure contract does not carry it.
    inside_route: MultiLineString = MultiLineString()

    def to_dict(self) -> dict[str, Any]:
        """The Measure response body of the DESIGN contract."""
        return {
            "total_length_m": self.total_length_m,
            "outside_length_m": self.outside_length_m,
            "inside_length_m": self.inside_length_m,
            "green_area_m2": self.green_area_m2,
            "outside_route": to_geojson(self.outside_route),
            "crossings": [crossing.to_dict() for crossing in self.crossings],
            "warnings": [warning.to_dict() for warning in self.warnings],
        }


def measure(request: MeasureRequest, constraints: Sequence[ConstraintFeature] = ()) -> Measurement:
    """Measure ``request``'s route against its red line, green areas and main, and the ``constraints`` it crosses.

    ``outside_length_m`` + ``inside_length_m`` equals ``total_length_m`` (inside is the remainder).
    """
    plane = LocalPlane.around(request.route, request.red_line)
    route_m = plane.to_plane(request.route)
    red_line_m = plane.to_plane(request.red_line)
    split = split_route(request.route, route_m, red_line_m, plane)
    warnings = [*request.warnings, *_placement_warnings(request, plane, route_m, red_line_m)]
    return Measurement(
        total_length_m=split.total_length_m,
        outside_length_m=split.outside_length_m,
        inside_length_m=split.total_length_m - split.outside_length_m,
        green_area_m2=_green_area_m2(request.green_areas),
        outside_route=split.outside_route,
        crossings=_crossings(request.route, constraints),
        warnings=tuple(warnings),
        inside_route=split.inside_route,
    )


def _placement_warnings(request: MeasureRequest, plane: LocalPlane, route_m: BaseGeometry,
                        red_line_m: BaseGeometry) -> list[GeometryWarning]:
    warnings = []
    shapely.prepare(red_line_m)
    if not shapely.dwithin(red_line_m, route_m, PLACEMENT_TOLERANCE_M):
        short_by_m = shapely.distance(route_m, red_line_m)
        warnings.append(GeometryWarning(
            "route_short_of_red_line",
            f"the route stops {short_by_m:.2f} m short of the red line; it should reach it",
            field="route",
        ))
    if request.main is not None:
        start_m = shapely.points(shapely.get_coordinates(route_m)[0])
        off_main_m = shapely.distance(start_m, plane.to_plane(request.main))
        if off_main_m > PLACEMENT_TOLERANCE_M:
            warnings.append(GeometryWarning(
                "route_not_on_main",
                f"the route starts {off_main_m:.2f} m from the main; it should start on it",
                field="route",
            ))
    return warnings


def _green_area_m2(green_areas: Sequence[Polygon]) -> float:
    """Geodesic area of the union of the green areas, so overlaps count once."""
    if not green_areas:
        return 0.0
    return area_m2(shapely.union_all(list(green_areas)))


def _crossings(route: BaseGeometry, constraints: Sequence[ConstraintFeature]) -> tuple[Crossing, ...]:
    """Each (layer, name) the route intersects, once, sorted so the order does not follow the caller's."""
    if not constraints:
        return ()
    hits = shapely.intersects(route, np.array([c.geometry for c in constraints], dtype=object))
    found = {Crossing(c.layer, c.name) for c, hit in zip(constraints, hits, strict=True) if hit}
    return tuple(sorted(found, key=lambda crossing: (crossing.layer, crossing.name)))
