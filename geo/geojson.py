"""Reading GeoJSON (RFC 7946) geometry objects into coordinate arrays, and writing shapely geometries back.

Reading checks structure only (types, nesting, positions, finite numbers, the vertex limit); what the
coordinates mean is ``geo.validation``'s business. Every problem names its JSON path.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import chain
from typing import Any

import numpy as np
import shapely
from numpy.typing import NDArray
from shapely.geometry.base import BaseGeometry

from geo.codes import GeoCode
from geo.errors import GeometryError

#: Every type RFC 7946 defines, so that a well-formed but unwanted object gets ``wrong_geometry_type``.
GEOJSON_TYPES = ("Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon",
                 "GeometryCollection", "Feature", "FeatureCollection")
#: The types geo reads.
LINEAL = ("LineString", "MultiLineString")
POLYGONAL = ("Polygon", "MultiPolygon")

_NUMBER_TYPES = {int, float}
_SEQUENCE_TYPES = {list, tuple}
_Group = list[tuple[str, str, list[Any]]]  # (JSON path, label, raw positions) of each sequence in a part


@dataclass(frozen=True)
class CoordinateSequence:
    """One line or ring of a geometry as read: (n, 2) x/y in the request's CRS (any z dropped)."""

    field: str   # JSON path of the array of positions, e.g. "red_line.coordinates[0]"
    label: str   # how a surveyor reads it, e.g. "red_line ring 0"
    xy: NDArray[np.float64]

    def position_field(self, index: int) -> str:
        return f"{self.field}[{index}]"


@dataclass(frozen=True)
class RawGeometry:
    """A GeoJSON geometry read but not yet validated.

    ``parts`` holds one tuple per part: a line is ``(line,)``, a polygon is ``(shell, *holes)``.
    """

    type: str
    field: str
    parts: tuple[tuple[CoordinateSequence, ...], ...]

    @property
    def is_polygonal(self) -> bool:
        return self.type in POLYGONAL

    def sequences(self) -> Iterator[CoordinateSequence]:
        return chain.from_iterable(self.parts)


def read_geometry(obj: Any, *, field: str, allowed: tuple[str, ...], max_vertices: int) -> RawGeometry:
    """Read a GeoJSON geometry object of one of the ``allowed`` types; raises GeometryError."""
    if not isinstance(obj, dict):
        raise GeometryError(GeoCode.INVALID_GEOJSON, f"{field} must be a GeoJSON geometry object",
                            field=field)
    kind = obj.get("type")
    if kind not in GEOJSON_TYPES:
        raise GeometryError(GeoCode.INVALID_GEOJSON,
                            f"{field}.type must name a GeoJSON geometry type, not {kind!r}",
                            field=f"{field}.type")
    if kind not in allowed:
        raise GeometryError(GeoCode.WRONG_GEOMETRY_TYPE,
                            f"{field} is a {kind}; expected {' or '.join(allowed)}",
                            field=f"{field}.type", details={"type": kind, "allowed": list(allowed)})
    if "coordinates" not in obj:
        raise GeometryError(GeoCode.INVALID_GEOJSON, f"{field} has no coordinates",
                            field=f"{field}.coordinates")
    groups = list(_groups(kind, obj["coordinates"], field))
    vertex_count = sum(len(positions) for group in groups for _, _, positions in group)
    if vertex_count > max_vertices:
        raise GeometryError(GeoCode.TOO_MANY_VERTICES,
                            f"{field} has {vertex_count} positions; the limit is {max_vertices}",
                            field=field, details={"count": vertex_count, "limit": max_vertices})
    parts = tuple(
        tuple(CoordinateSequence(path, label, _read_positions(positions, path))
              for path, label, positions in group)
        for group in groups
    )
    return RawGeometry(kind, field, parts)


def to_geojson(geometry: BaseGeometry) -> dict[str, Any]:
    """A shapely Point, (Multi)LineString or (Multi)Polygon as a GeoJSON geometry dict with list coordinates."""
    kind = geometry.geom_type
    if kind == "Point":
        coordinates: list[Any] = [geometry.x, geometry.y]
    elif kind == "LineString":
        coordinates = _coordinates(geometry)
    elif kind == "Polygon":
        coordinates = _rings(geometry)
    elif kind == "MultiLineString":
        coordinates = [_coordinates(part) for part in shapely.get_parts(geometry)]
    elif kind == "MultiPolygon":
        coordinates = [_rings(part) for part in shapely.get_parts(geometry)]
    else:
        raise ValueError(f"to_geojson does not write {kind}")
    return {"type": kind, "coordinates": coordinates}


def _coordinates(geometry: BaseGeometry) -> list[list[float]]:
    return shapely.get_coordinates(geometry).tolist()


def _rings(polygon: BaseGeometry) -> list[list[list[float]]]:
    return [_coordinates(polygon.exterior), *(_coordinates(ring) for ring in polygon.interiors)]


def _groups(kind: str, coordinates: Any, field: str) -> Iterator[_Group]:
    """Walk the nesting of ``kind`` down to the arrays of positions, checking it is arrays all the way."""
    path = f"{field}.coordinates"
    if kind == "LineString":
        yield [(path, field, _array(coordinates, path, "positions"))]
    elif kind == "MultiLineString":
        for i, line in enumerate(_parts(coordinates, path, field, "lines")):
            yield [(f"{path}[{i}]", f"{field} part {i}", _array(line, f"{path}[{i}]", "positions"))]
    elif kind == "Polygon":
        yield _polygon_rings(coordinates, path, field)
    else:
        for i, polygon in enumerate(_parts(coordinates, path, field, "polygons")):
            yield _polygon_rings(polygon, f"{path}[{i}]", f"{field} polygon {i}")


def _polygon_rings(rings: Any, path: str, label: str) -> _Group:
    return [(f"{path}[{r}]", f"{label} ring {r}", _array(ring, f"{path}[{r}]", "positions"))
            for r, ring in enumerate(_parts(rings, path, label, "rings"))]


def _parts(value: Any, path: str, label: str, what: str) -> list[Any]:
    parts = _array(value, path, what)
    if not parts:
        raise GeometryError(GeoCode.EMPTY_GEOMETRY, f"{label} has no {what}", field=path)
    return parts


def _array(value: Any, path: str, what: str) -> list[Any]:
    if type(value) not in _SEQUENCE_TYPES:
        raise GeometryError(GeoCode.INVALID_GEOJSON, f"{path} must be an array of {what}", field=path)
    return value


def _read_positions(positions: list[Any], path: str) -> NDArray[np.float64]:
    """(n, 2) float array of the positions' x/y; raises GeometryError at the first bad position."""
    xy = _well_formed_positions(positions)
    if xy is None:  # find and name the first bad position
        for i, position in enumerate(positions):
            _check_position(position, f"{path}[{i}]")
        xy = np.array([position[:2] for position in positions], dtype=np.float64)
    return xy.reshape(-1, 2)


def _well_formed_positions(positions: list[Any]) -> NDArray[np.float64] | None:
    """The (n, 2) array if every position is 2 or 3 finite plain numbers, else None; type checks run in C."""
    if not set(map(type, positions)) <= _SEQUENCE_TYPES:
        return None
    lengths = set(map(len, positions))
    # bool subclasses int but is not the same type, so true/false fail here as they should
    if not lengths <= {2, 3} or not set(map(type, chain.from_iterable(positions))) <= _NUMBER_TYPES:
        return None
    try:
        xy = np.array(positions if lengths == {2} else [p[:2] for p in positions], dtype=np.float64)
    except OverflowError:  # an integer beyond float range
        return None
    return xy if np.isfinite(xy).all() else None


def _check_position(position: Any, path: str) -> None:
    if type(position) not in _SEQUENCE_TYPES:
        raise GeometryError(GeoCode.INVALID_POSITION, f"{path} must be a position [x, y], not {position!r}",
                            field=path)
    if not 2 <= len(position) <= 3:
        raise GeometryError(GeoCode.INVALID_POSITION,
                            f"{path} has {len(position)} values; a position is [x, y] or [x, y, z]",
                            field=path, details={"values": len(position)})
    for value in position:
        if type(value) not in _NUMBER_TYPES:
            raise GeometryError(GeoCode.INVALID_POSITION, f"{path} holds {value!r}, which is not a number",
                                field=path)
        try:
            finite = math.isfinite(value)
        except OverflowError:  # an integer too large for a float
            finite = False
        if not finite:
            raise GeometryError(GeoCode.NOT_FINITE, f"{path} holds {value!r}, which is not a finite number",
                                field=path)
