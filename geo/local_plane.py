"""A metric plane around a site, for the topology (route/red-line split) and short distances (warnings).

Lengths and areas are never taken from the plane: geo measures them geodesically on GRS80. The plane only
decides *where* a route crosses a boundary and how far apart two things are, to within millimetres.

It is a transverse Mercator on GRS80 whose central meridian runs through the middle of the site, so a
site of a few km is never more than a few km from it. There a geodesic bends away from the straight line
between its ends by under 0.1 mm per km of length, so splitting straight lines in the plane puts the
crossing points where the geodesic edges cross. (Straight lines in lon/lat bow away from the geodesic by
1-2 cm on a km-long east-west segment in China's latitudes.)
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pyproj
import shapely
from numpy.typing import NDArray
from shapely.geometry.base import BaseGeometry

from geo.crs import CGCS2000


class LocalPlane:
    """Transverse Mercator (metres) on GRS80 centred on ``central_meridian`` (degrees east)."""

    def __init__(self, central_meridian: float) -> None:
        self.central_meridian = central_meridian

    @classmethod
    def around(cls, *geometries: BaseGeometry) -> LocalPlane:
        """The plane for a site made of these CGCS2000 lon/lat geometries."""
        west, _, east, _ = shapely.total_bounds(list(geometries))
        return cls((west + east) / 2.0)

    def to_plane(self, geometry: BaseGeometry) -> BaseGeometry:
        """CGCS2000 lon/lat geometry to plane metres."""
        return shapely.transform(geometry, self.xy_to_plane, interleaved=False)

    # A transverse Mercator depends on longitude only through lon - lon_0, so one cached projection on
    # meridian 0 serves every site: shift the longitudes instead of building a Transformer (~9 ms) per site.
    def xy_to_plane(self, lon: NDArray[np.float64], lat: NDArray[np.float64]) -> tuple[NDArray, NDArray]:
        """CGCS2000 longitudes/latitudes (degrees) to plane x/y (metres)."""
        return _transverse_mercator().transform(lon - self.central_meridian, lat)

    def xy_to_lonlat(self, x: NDArray[np.float64], y: NDArray[np.float64]) -> tuple[NDArray, NDArray]:
        """Plane x/y (metres) to CGCS2000 longitudes/latitudes (degrees)."""
        lon, lat = _transverse_mercator().transform(x, y, direction=pyproj.enums.TransformDirection.INVERSE)
        return lon + self.central_meridian, lat


@cache
def _transverse_mercator() -> pyproj.Transformer:
    plane = pyproj.CRS.from_proj4("+proj=tmerc +lon_0=0 +lat_0=0 +k=1 +x_0=0 +y_0=0 +ellps=GRS80 +units=m")
    return pyproj.Transformer.from_crs(CGCS2000, plane, always_xy=True)
