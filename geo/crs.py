"""The coordinate reference systems a request may use, and their conversion to CGCS2000 (EPSG:4490).

Coordinates are always x = easting / longitude, y = northing / latitude, whatever axis order the EPSG
definition declares (pyproj ``always_xy=True``).

WGS84 (EPSG:4326) and CGCS2000 (EPSG:4490) are treated as coincident, as PROJ does (its only 4326→4490
operation is a null "ballpark" one): EPSG:4326 and EPSG:4490 coordinates pass through unchanged, and GCJ-02
is undone to WGS84 and taken as CGCS2000. The ellipsoids differ by under 0.1 mm; the frames agree to
centimetres at CGCS2000's epoch 2000.0, and plate motion (~3 cm a year) has since moved today's WGS84
coordinates of a point by well under a metre. That moves a whole site at once: no length or area changes
measurably, and it is below what a tablet's GNSS fix resolves. See docs/geo.md.

CGCS2000 3-degree Gauss-Krüger zones come in two EPSG families with the same central meridians 75°E..135°E:
EPSG:4513-4533 ("zone 25".."zone 45") put the zone number in front of the false easting
(zone 38 → 38 500 000 m), EPSG:4534-4554 ("CM 75E".."CM 135E") use a plain 500 000 m.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from functools import cache

import numpy as np
import pyproj
from numpy.typing import NDArray

from geo import gcj02
from geo.codes import GeoCode
from geo.errors import GeometryError

CGCS2000 = "EPSG:4490"

#: Mainland China (with Hainan) as a lon/lat box: the test for warnings and swapped axes, not a border.
CHINA_EXTENT = (73.4, 18.0, 135.1, 53.6)

_FIRST_ZONED_EPSG, _LAST_ZONED_EPSG = 4513, 4533
_FIRST_CM_EPSG, _LAST_CM_EPSG = 4534, 4554
_FIRST_ZONE = 25
_ZONE_WIDTH_DEG = 3.0
_GK_FALSE_EASTING_M = 500_000.0

#: How far from its central meridian a zone's coordinates may lie: half the 3° zone plus a margin for the
#: overlap that surveys near a zone edge routinely keep using.
GK_MAX_OFFSET_DEG = 1.5 + 0.5
#: The easting half-width that GK_MAX_OFFSET_DEG spans at the equator, where it is widest (2° ≈ 222.6 km).
_GK_MAX_EASTING_OFFSET_M = 225_000.0
#: Northing of any point between the equator and 60°N on CGCS2000.
_GK_NORTHING_RANGE_M = (0.0, 6_700_000.0)


class CrsKind(Enum):
    GEOGRAPHIC = "geographic"
    GCJ02 = "gcj02"
    GAUSS_KRUGER = "gauss_kruger"


@dataclass(frozen=True)
class InputCrs:
    """A CRS accepted in a request, with what validation needs to know about it."""

    name: str
    kind: CrsKind
    epsg: int | None = None
    zone: int | None = None                 # Gauss-Krüger only: the 3-degree zone number, 25..45
    central_meridian: float | None = None   # degrees east
    false_easting: float | None = None      # metres

    @property
    def is_projected(self) -> bool:
        return self.kind is CrsKind.GAUSS_KRUGER

    def to_cgcs2000(self, xy: NDArray[np.float64]) -> NDArray[np.float64]:
        """(n, 2) coordinates in this CRS to (n, 2) CGCS2000 longitude/latitude in degrees."""
        if self.kind is CrsKind.GEOGRAPHIC:
            return xy
        if self.kind is CrsKind.GCJ02:
            lon, lat = gcj02.gcj02_to_wgs84(xy[:, 0], xy[:, 1])
        else:
            lon, lat = _gauss_kruger_to_cgcs2000(self.epsg).transform(xy[:, 0], xy[:, 1])
        return np.column_stack((lon, lat))

    def plausible_easting(self, easting: NDArray[np.float64]) -> NDArray[np.bool_]:
        """Which eastings (metres) can belong to this Gauss-Krüger zone."""
        return np.abs(easting - self.false_easting) <= _GK_MAX_EASTING_OFFSET_M

    @staticmethod
    def plausible_northing(northing: NDArray[np.float64]) -> NDArray[np.bool_]:
        """Which northings (metres) can lie in China."""
        low, high = _GK_NORTHING_RANGE_M
        return (northing >= low) & (northing <= high)


def gauss_kruger_epsg(zone: int, *, zone_prefix: bool) -> int:
    """The EPSG code of a CGCS2000 3-degree zone, in the family with or without the zone number prefix."""
    return (_FIRST_ZONED_EPSG if zone_prefix else _FIRST_CM_EPSG) + zone - _FIRST_ZONE


def is_gauss_kruger_zone(zone: int) -> bool:
    return _FIRST_ZONE <= zone <= _FIRST_ZONE + _LAST_ZONED_EPSG - _FIRST_ZONED_EPSG


def _gauss_kruger(epsg: int) -> InputCrs:
    zone_prefix = epsg <= _LAST_ZONED_EPSG
    zone = _FIRST_ZONE + epsg - (_FIRST_ZONED_EPSG if zone_prefix else _FIRST_CM_EPSG)
    false_easting = zone * 1_000_000.0 + _GK_FALSE_EASTING_M if zone_prefix else _GK_FALSE_EASTING_M
    return InputCrs(f"EPSG:{epsg}", CrsKind.GAUSS_KRUGER, epsg=epsg, zone=zone,
                    central_meridian=zone * _ZONE_WIDTH_DEG, false_easting=false_easting)


SUPPORTED_CRS: dict[str, InputCrs] = {
    "EPSG:4326": InputCrs("EPSG:4326", CrsKind.GEOGRAPHIC, epsg=4326),
    "EPSG:4490": InputCrs("EPSG:4490", CrsKind.GEOGRAPHIC, epsg=4490),
    "GCJ-02": InputCrs("GCJ-02", CrsKind.GCJ02),
    **{f"EPSG:{code}": _gauss_kruger(code) for code in range(_FIRST_ZONED_EPSG, _LAST_CM_EPSG + 1)},
}


def resolve_crs(name: object, *, field: str = "crs") -> InputCrs:
    """The InputCrs named ``name`` (case-insensitive); raises GeometryError ``unsupported_crs``."""
    crs = SUPPORTED_CRS.get(name.strip().upper()) if isinstance(name, str) else None
    if crs is None:
        raise GeometryError(
            GeoCode.UNSUPPORTED_CRS,
            f"crs {name!r} is not supported; use EPSG:4326, EPSG:4490, GCJ-02 or a CGCS2000 "
            "3-degree Gauss-Krüger zone EPSG:4513 to EPSG:4554",
            field=field,
            details={"crs": name if isinstance(name, str) else None, "supported": list(SUPPORTED_CRS)},
        )
    return crs


@cache  # at most 42 zones; a Transformer takes milliseconds to build
def _gauss_kruger_to_cgcs2000(epsg: int) -> pyproj.Transformer:
    return pyproj.Transformer.from_crs(f"EPSG:{epsg}", CGCS2000, always_xy=True)


#: How GeoJSON's old `crs` member (GeoJSON 2008, still written by GDAL and QGIS) names lon/lat on WGS84 or
#: CGCS2000, lower-cased; RFC 7946 coordinates are lon/lat on WGS84, which Tapline takes as CGCS2000.
_GEOJSON_LONLAT_NAMES = {
    **dict.fromkeys(("urn:ogc:def:crs:ogc:1.3:crs84", "urn:ogc:def:crs:ogc::crs84", "ogc:crs84", "crs84",
                     "http://www.opengis.net/def/crs/ogc/1.3/crs84", "epsg:4326", "urn:ogc:def:crs:epsg::4326",
                     "http://www.opengis.net/def/crs/epsg/0/4326"), "EPSG:4326"),
    **dict.fromkeys(("epsg:4490", "urn:ogc:def:crs:epsg::4490", "http://www.opengis.net/def/crs/epsg/0/4490"),
                    "EPSG:4490"),
}


def crs_of_geojson_member(member: object, *, field: str = "crs") -> str:
    """The CRS a GeoJSON `crs` member names ({"type": "name", "properties": {"name": …}}), if lon/lat.

    Only CRS84 / EPSG:4326 / EPSG:4490 are taken: anything else raises GeometryError ``unsupported_crs``
    naming it, because reading projected or other datums' coordinates as lon/lat would misplace everything.
    """
    name = member.get("properties", {}).get("name") if isinstance(member, dict) else None
    if isinstance(member, dict) and member.get("type") == "name" and isinstance(name, str):
        found = _GEOJSON_LONLAT_NAMES.get(name.strip().lower())
        if found is not None:
            return found
    raise GeometryError(
        GeoCode.UNSUPPORTED_CRS,
        f"the collection's crs {name or member!r} is not longitude/latitude on CGCS2000 or WGS84; export it "
        "again in EPSG:4490 (QGIS: Export > Save Features As, CRS EPSG:4490) or leave the crs member out",
        field=field, details={"crs": name if isinstance(name, str) else None,
                              "accepted": ["urn:ogc:def:crs:OGC:1.3:CRS84", "EPSG:4326", "EPSG:4490"]})
