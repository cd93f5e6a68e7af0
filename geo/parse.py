"""GeoJSON in any accepted CRS → validated shapely geometry in CGCS2000 (EPSG:4490) lon/lat."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from geo import validation
from geo.crs import InputCrs, resolve_crs
from geo.errors import GeometryWarning
from geo.geojson import LINEAL, POLYGONAL, RawGeometry, read_geometry

DEFAULT_MAX_VERTICES = 10_000


@dataclass(frozen=True)
class ParsedGeometry:
    """A validated geometry in CGCS2000 lon/lat and the warnings its input raised."""

    geometry: BaseGeometry
    warnings: tuple[GeometryWarning, ...]


def parse_geometry(obj: Any, *, field: str, allowed: tuple[str, ...], crs: str | InputCrs,
                   max_vertices: int = DEFAULT_MAX_VERTICES) -> BaseGeometry:
    """Read, validate and convert a GeoJSON geometry; the shapely geometry is in EPSG:4490 lon/lat.

    ``allowed`` names the acceptable GeoJSON types among LineString, MultiLineString, Polygon and
    MultiPolygon. Raises GeometryError (status 422) at the first problem, with ``field`` the JSON path
    under ``field``.
    """
    return parse_geometry_with_warnings(obj, field=field, allowed=allowed, crs=crs,
                                        max_vertices=max_vertices).geometry


def parse_geometry_with_warnings(obj: Any, *, field: str, allowed: tuple[str, ...], crs: str | InputCrs,
                                 max_vertices: int = DEFAULT_MAX_VERTICES) -> ParsedGeometry:
    """``parse_geometry`` that also returns the input's warnings (duplicate vertices, outside China)."""
    unsupported = set(allowed) - set(LINEAL + POLYGONAL)
    if unsupported:
        raise ValueError(f"parse_geometry reads only {LINEAL + POLYGONAL}, not {sorted(unsupported)}")
    input_crs = crs if isinstance(crs, InputCrs) else resolve_crs(crs)
    raw = read_geometry(obj, field=field, allowed=allowed, max_vertices=max_vertices)
    validation.check_positions(raw, input_crs)
    lonlat = _to_cgcs2000(raw, input_crs)
    validation.check_zone_distance(raw, lonlat, input_crs)
    validation.check_sequences(raw, input_crs)
    validation.check_topology(raw, input_crs)
    warnings = (validation.duplicate_vertex_warnings(raw, input_crs)
                + validation.outside_china_warnings(raw, lonlat, input_crs))
    return ParsedGeometry(_build(raw, lonlat), tuple(warnings))


def _to_cgcs2000(raw: RawGeometry, crs: InputCrs) -> list[np.ndarray]:
    """Each sequence's coordinates in CGCS2000 lon/lat, converted in one vectorised call."""
    arrays = [seq.xy for seq in raw.sequences()]
    converted = crs.to_cgcs2000(np.concatenate(arrays))
    return np.split(converted, np.cumsum([len(xy) for xy in arrays])[:-1])


def _build(raw: RawGeometry, lonlat: list[np.ndarray]) -> BaseGeometry:
    """The shapely geometry of ``raw``'s structure over the converted coordinates."""
    remaining = iter(lonlat)
    if raw.is_polygonal:
        polygons = []
        for part in raw.parts:
            shell, *holes = (next(remaining) for _ in part)
            polygons.append(shapely.polygons(shell, holes=holes or None))
        return polygons[0] if raw.type == "Polygon" else shapely.multipolygons(polygons)
    lines = [shapely.linestrings(next(remaining)) for _ in raw.parts]
    return lines[0] if raw.type == "LineString" else shapely.multilinestrings(lines)
