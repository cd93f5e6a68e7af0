"""Geodesic measurement on the GRS80 ellipsoid (CGCS2000's) of CGCS2000 lon/lat geometries.

Every edge between two vertices is taken as the geodesic joining them.
"""

from __future__ import annotations

import pyproj
import shapely
from shapely.geometry.base import BaseGeometry

GRS80 = pyproj.Geod(ellps="GRS80")


def area_m2(geometry: BaseGeometry) -> float:
    """Geodesic area in square metres of a (Multi)Polygon in CGCS2000 lon/lat, holes subtracted."""
    if geometry.is_empty:
        return 0.0
    # pyproj signs a ring's area by its orientation: counter-clockwise shells and clockwise holes add up.
    area, _ = GRS80.geometry_area_perimeter(shapely.orient_polygons(geometry, exterior_cw=False))
    return float(area)


def length_m(geometry: BaseGeometry) -> float:
    """Geodesic length in metres of a (Multi)LineString in CGCS2000 lon/lat, each edge a geodesic."""
    if geometry.is_empty:
        return 0.0
    return float(GRS80.geometry_length(geometry))
