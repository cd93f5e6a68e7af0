"""Plane coordinates for drawings: the CGCS2000 3-degree Gauss-Krüger zone a site lies in (CAD's metres).

Design institutes draw in the zone of the site without the zone number in the easting: EPSG:4534-4554
("CGCS2000 / 3-degree Gauss-Kruger CM 75E".."CM 135E"), false easting 500 000 m.
"""

from __future__ import annotations

from functools import cache

import pyproj
import shapely
from shapely.geometry.base import BaseGeometry

from geo.codes import GeoCode
from geo.crs import CGCS2000, SUPPORTED_CRS, gauss_kruger_epsg, is_gauss_kruger_zone
from geo.errors import GeometryError

_ZONE_WIDTH_DEG = 3.0


def site_zone_epsg(longitude: float) -> int:
    """The EPSG code (4534-4554) of the 3-degree zone whose central meridian is nearest ``longitude``."""
    zone = int(longitude / _ZONE_WIDTH_DEG + 0.5)
    if not is_gauss_kruger_zone(zone):
        raise GeometryError(GeoCode.OUTSIDE_GAUSS_KRUGER_ZONES,
                            f"longitude {longitude:.6f} lies outside China's 3-degree zones (73.5°E..136.5°E)",
                            details={"longitude": longitude})
    return gauss_kruger_epsg(zone, zone_prefix=False)


def site_zone_of(*geometries: BaseGeometry) -> int:
    """The zone EPSG code of a site made of these CGCS2000 lon/lat geometries (by the middle of their box)."""
    west, _, east, _ = shapely.total_bounds([g for g in geometries if g is not None])
    return site_zone_epsg((west + east) / 2.0)


def to_zone(geometry: BaseGeometry, epsg: int) -> BaseGeometry:
    """A CGCS2000 lon/lat geometry in the zone's plane metres (x = easting, y = northing)."""
    if f"EPSG:{epsg}" not in SUPPORTED_CRS:
        raise ValueError(f"EPSG:{epsg} is not a CGCS2000 3-degree Gauss-Krüger zone")
    return shapely.transform(geometry, _transformer(epsg).transform, interleaved=False)


@cache
def _transformer(epsg: int) -> pyproj.Transformer:
    return pyproj.Transformer.from_crs(CGCS2000, f"EPSG:{epsg}", always_xy=True)
