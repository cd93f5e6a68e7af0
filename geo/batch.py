"""Many GeoJSON geometries read at once: a push of 1,000 survey edits carries 1,000 routes and red lines.

``parse_geometry`` checks one geometry in a dozen small numpy calls, which for the few vertices a route has
cost more in call overhead than in arithmetic. ``parse_geometries`` runs each check once over every
coordinate of the batch and builds all geometries in one call; a geometry any check flags is parsed alone
by ``parse_geometry``, so its error (or its acceptance, when a check flagged it only as a suspect) is
exactly the single path's.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import shapely
from numpy.typing import NDArray
from shapely.geometry.base import BaseGeometry

from geo.crs import CrsKind, InputCrs, resolve_crs
from geo.errors import GeometryError
from geo.geojson import RawGeometry, read_geometry
from geo.parse import DEFAULT_MAX_VERTICES, parse_geometry
from geo.validation import in_china


def parse_geometries(objs: Sequence[Any], *, fields: Sequence[str], allowed: tuple[str, ...],
                     crs: str | InputCrs, max_vertices: int = DEFAULT_MAX_VERTICES,
                     ) -> list[BaseGeometry | GeometryError]:
    """``parse_geometry`` of each object (``fields[i]`` naming ``objs[i]``): its geometry in EPSG:4490 lon/lat,
    or the GeometryError ``parse_geometry`` raises for it, in the order of ``objs``.
    """
    input_crs = crs if isinstance(crs, InputCrs) else resolve_crs(crs)

    def alone(i: int) -> BaseGeometry | GeometryError:
        try:
            return parse_geometry(objs[i], field=fields[i], allowed=allowed, crs=input_crs,
                                  max_vertices=max_vertices)
        except GeometryError as error:
            return error

    if input_crs.kind is not CrsKind.GEOGRAPHIC:
        # Projected and GCJ-02 input spends its time converting coordinates, which is vectorised already.
        return [alone(i) for i in range(len(objs))]
    out: list[BaseGeometry | GeometryError | None] = [None] * len(objs)
    read: dict[int, RawGeometry] = {}
    for i, (obj, field) in enumerate(zip(objs, fields, strict=True)):
        try:
            read[i] = read_geometry(obj, field=field, allowed=allowed, max_vertices=max_vertices)
        except GeometryError as error:
            out[i] = error
    plausible = [i for i, raw in read.items() if not _too_short(raw)]
    sound = [i for i, bad in zip(plausible, _suspect(read[i] for i in plausible), strict=True) if not bad]
    for i, geometry in zip(sound, _build_valid([read[i] for i in sound]), strict=True):
        out[i] = geometry
    return [alone(i) if result is None else result for i, result in enumerate(out)]


def _too_short(raw: RawGeometry) -> bool:
    """Fewer positions than a ring (4) or a line (2) needs; such a sequence cannot be built at all."""
    minimum = 4 if raw.is_polygonal else 2
    return any(len(seq.xy) < minimum for seq in raw.sequences())


def _suspect(raws) -> list[bool]:
    """Per geometry: whether a position is out of range or swapped, a ring is open, or a line has no length."""
    raws = list(raws)
    if not raws:
        return []
    sequences = [(raw.is_polygonal, seq.xy) for raw in raws for seq in raw.sequences()]
    lengths = np.array([len(xy) for _, xy in sequences])
    starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))
    xy = np.concatenate([xy for _, xy in sequences])
    lon, lat = xy[:, 0], xy[:, 1]
    misplaced = (np.abs(lon) > 180.0) | (np.abs(lat) > 90.0) | (~in_china(lon, lat) & in_china(lat, lon))
    first = np.repeat(xy[starts], lengths, axis=0)
    moves = np.logical_or.reduceat(np.any(xy != first, axis=1), starts)
    closed = np.all(xy[starts] == xy[starts + lengths - 1], axis=1)
    polygonal = np.array([is_polygonal for is_polygonal, _ in sequences])
    bad = np.logical_or.reduceat(misplaced, starts) | (polygonal & ~closed) | (~polygonal & ~moves)
    per_raw = np.cumsum([0] + [sum(1 for _ in raw.sequences()) for raw in raws])[:-1]
    return np.logical_or.reduceat(bad, per_raw).tolist()


def _build_valid(raws: list[RawGeometry]) -> list[BaseGeometry | None]:
    """Each geometry built as ``parse_geometry`` builds it; None for a polygonal one that is not OGC-valid."""
    out: list[BaseGeometry | None] = [None] * len(raws)
    for polygonal in (True, False):
        picked = [i for i, raw in enumerate(raws) if raw.is_polygonal is polygonal]
        if not picked:
            continue
        multis = _multis([raws[i] for i in picked], polygonal)
        valid = shapely.is_valid(multis) if polygonal else np.ones(len(multis), dtype=bool)
        single = np.array([not raws[i].type.startswith("Multi") for i in picked])
        geometries = np.where(single, shapely.get_geometry(multis, 0), multis)
        for i, geometry, ok in zip(picked, geometries, valid, strict=True):
            out[i] = geometry if ok else None
    return out


def _multis(raws: list[RawGeometry], polygonal: bool) -> NDArray[np.object_]:
    """Every geometry as a MultiPolygon or MultiLineString, from one ragged array."""
    sequences = [seq.xy for raw in raws for seq in raw.sequences()]
    coords = np.concatenate(sequences)
    sequence_offsets = np.cumsum([0] + [len(xy) for xy in sequences])
    part_offsets = np.cumsum([0] + [len(part) for raw in raws for part in raw.parts])
    geometry_offsets = np.cumsum([0] + [len(raw.parts) for raw in raws])
    if polygonal:
        return shapely.from_ragged_array(shapely.GeometryType.MULTIPOLYGON, coords,
                                         (sequence_offsets, part_offsets, geometry_offsets))
    return shapely.from_ragged_array(shapely.GeometryType.MULTILINESTRING, coords,
                                     (sequence_offsets, geometry_offsets))

