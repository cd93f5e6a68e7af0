"""The rules a read geometry must pass, each raising GeometryError at the first offending position,
and the checks that only warn.

Rules run on the coordinates as sent (the request's CRS), so every location in a message is one the
surveyor can find on their own drawing; only the zone-distance rule and the China warning need the
converted CGCS2000 lon/lat. Nothing is repaired: an invalid geometry is reported, never buffered or made
valid.
"""

from __future__ import annotations

import re

import numpy as np
import shapely
from numpy.typing import NDArray

from geo.codes import GeoCode
from geo.crs import CHINA_EXTENT, GK_MAX_OFFSET_DEG, CrsKind, InputCrs, gauss_kruger_epsg, is_gauss_kruger_zone
from geo.errors import GeometryError, GeometryWarning
from geo.geojson import CoordinateSequence, RawGeometry

_GEOS_REASON = re.compile(r"^(?P<reason>[^\[]+)\[(?P<x>\S+) (?P<y>\S+)\]")


def check_positions(raw: RawGeometry, crs: InputCrs) -> None:
    """Every position lies where its CRS can place it (range, axis order, Gauss-Krüger zone)."""
    for seq in raw.sequences():
        if crs.kind is CrsKind.GAUSS_KRUGER:
            _check_gauss_kruger(seq, crs)
        else:
            _check_geographic(seq, crs)


def check_zone_distance(raw: RawGeometry, lonlat: list[NDArray[np.float64]], crs: InputCrs) -> None:
    """Gauss-Krüger positions, once converted to lon/lat, lie within GK_MAX_OFFSET_DEG of the zone's meridian."""
    if crs.kind is not CrsKind.GAUSS_KRUGER:
        return
    for seq, seq_lonlat in zip(raw.sequences(), lonlat, strict=True):
        offset = np.abs(seq_lonlat[:, 0] - crs.central_meridian)
        far = np.flatnonzero(offset > GK_MAX_OFFSET_DEG)
        if far.size:
            i = int(far[0])
            raise GeometryError(
                GeoCode.OUTSIDE_PROJECTION_ZONE,
                f"{seq.position_field(i)} {_format(seq.xy[i], crs)} lies {offset[i]:.2f}° from the central "
                f"meridian {crs.central_meridian:g}°E of {crs.name}; a 3-degree zone reaches 1.5° "
                f"({GK_MAX_OFFSET_DEG:g}° with overlap): wrong zone?",
                field=seq.position_field(i),
                details={"coordinate": seq.xy[i].tolist(), "crs": crs.name,
                         "central_meridian": crs.central_meridian, "limit_deg": GK_MAX_OFFSET_DEG},
            )


def check_sequences(raw: RawGeometry, crs: InputCrs) -> None:
    """Rings are closed with at least 4 positions; lines have at least 2 positions and some length."""
    for seq in raw.sequences():
        if raw.is_polygonal:
            _check_ring(seq, crs)
        else:
            _check_line(seq)


def check_topology(raw: RawGeometry, crs: InputCrs) -> None:
    """Polygons are valid (OGC): rings simple, holes inside their shell and apart, parts not overlapping."""
    if not raw.is_polygonal:
        return
    polygons = [_polygon(part) for part in raw.parts]
    whole = polygons[0] if raw.type == "Polygon" else shapely.multipolygons(polygons)
    if shapely.is_valid(whole):
        return
    for part, polygon in zip(raw.parts, polygons, strict=True):
        for seq in part:
            _check_ring_simple(seq, crs)
        reason, location = _invalidity(polygon)
        if reason:
            hole = _nearest_hole(part, location)
            raise GeometryError(
                GeoCode.INVALID_HOLE,
                f"{hole.label} is not a valid hole: {reason.lower()} at {_format(location, crs)}",
                field=hole.field, details={"coordinate": location.tolist(), "reason": reason},
            )
    reason, location = _invalidity(whole)
    raise GeometryError(
        GeoCode.POLYGONS_OVERLAP,
        f"{raw.field} polygons overlap or touch along an edge at {_format(location, crs)}",
        field=f"{raw.field}.coordinates", details={"coordinate": location.tolist(), "reason": reason},
    )


def duplicate_vertex_warnings(raw: RawGeometry, crs: InputCrs) -> list[GeometryWarning]:
    """One warning per geometry that repeats a position right after itself."""
    repeats = _first_flagged(raw, [np.flatnonzero(np.all(seq.xy[1:] == seq.xy[:-1], axis=1)) + 1
                                   for seq in raw.sequences()])
    if repeats is None:
        return []
    count, seq, i = repeats
    return [GeometryWarning(
        "duplicate_vertex",
        f"{raw.field} has {count} duplicate consecutive vertices; the first is {seq.position_field(i)} "
        f"{_format(seq.xy[i], crs)}",
        field=seq.position_field(i),
    )]


def outside_china_warnings(raw: RawGeometry, lonlat: list[NDArray[np.float64]],
                           crs: InputCrs) -> list[GeometryWarning]:
    """One warning per geometry with positions outside mainland China's extent (CGCS2000 lon/lat)."""
    outside = _first_flagged(raw, [np.flatnonzero(~in_china(xy[:, 0], xy[:, 1])) for xy in lonlat])
    if outside is None:
        return []
    count, seq, i = outside
    return [GeometryWarning(
        "outside_china",
        f"{raw.field} has {count} positions outside mainland China; the first is {seq.position_field(i)} "
        f"{_format(seq.xy[i], crs)} in {crs.name}: wrong crs?",
        field=seq.position_field(i),
    )]


def _first_flagged(raw: RawGeometry,
                   flagged: list[NDArray[np.intp]]) -> tuple[int, CoordinateSequence, int] | None:
    """Given the flagged position indices of each sequence: how many in all, and the first (sequence, index)."""
    count = sum(len(indices) for indices in flagged)
    if not count:
        return None
    seq, indices = next((seq, indices) for seq, indices in zip(raw.sequences(), flagged, strict=True)
                        if len(indices))
    return count, seq, int(indices[0])


def _check_geographic(seq: CoordinateSequence, crs: InputCrs) -> None:
    lon, lat = seq.xy[:, 0], seq.xy[:, 1]
    out_of_range = (np.abs(lon) > 180.0) | (np.abs(lat) > 90.0)
    # A lat/lon pair sent as [lat, lon]: outside China as sent, inside once swapped.
    swapped = ~in_china(lon, lat) & in_china(lat, lon)
    bad = np.flatnonzero(out_of_range | swapped)
    if not bad.size:
        return
    i = int(bad[0])
    where, coordinate = seq.position_field(i), seq.xy[i]
    if swapped[i]:
        raise _swapped(where, coordinate, crs, "longitude and latitude")
    raise GeometryError(
        GeoCode.COORDINATE_OUT_OF_RANGE,
        f"{where} {_format(coordinate, crs)} is not a longitude in [-180, 180] and a latitude in [-90, 90]",
        field=where, details={"coordinate": coordinate.tolist(), "crs": crs.name},
    )


def _check_gauss_kruger(seq: CoordinateSequence, crs: InputCrs) -> None:
    easting, northing = seq.xy[:, 0], seq.xy[:, 1]
    east_ok, north_ok = crs.plausible_easting(easting), crs.plausible_northing(northing)
    swapped = ~(east_ok & north_ok) & crs.plausible_easting(northing) & crs.plausible_northing(easting)
    bad = np.flatnonzero(~(east_ok & north_ok))
    if not bad.size:
        return
    i = int(bad[0])
    where, coordinate = seq.position_field(i), seq.xy[i]
    details = {"coordinate": coordinate.tolist(), "crs": crs.name}
    if swapped[i]:
        raise _swapped(where, coordinate, crs, "easting and northing")
    if not north_ok[i]:
        raise GeometryError(
            GeoCode.COORDINATE_OUT_OF_RANGE,
            f"{where} northing {northing[i]:.3f} m is not a CGCS2000 northing in China",
            field=where, details=details,
        )
    raise GeometryError(GeoCode.OUTSIDE_PROJECTION_ZONE, f"{where} {_easting_problem(easting[i], crs)}",
                        field=where, details={**details, "false_easting": crs.false_easting})


def _easting_problem(easting: float, crs: InputCrs) -> str:
    """Why an easting cannot belong to ``crs``, naming the likely mix-up between the two GK families."""
    has_prefix = crs.false_easting > 1_000_000.0
    if has_prefix and 0.0 < easting < 1_000_000.0:
        return (f"easting {easting:.3f} m has no zone prefix, but {crs.name} (zone {crs.zone}) eastings start "
                f"with {crs.zone}; use EPSG:{gauss_kruger_epsg(crs.zone, zone_prefix=False)} for eastings "
                "without it")
    prefix = int(easting // 1_000_000)
    if not has_prefix and is_gauss_kruger_zone(prefix):
        return (f"easting {easting:.3f} m looks like it carries zone prefix {prefix}, but {crs.name} "
                f"(CM {crs.central_meridian:g}E) eastings have none; use "
                f"EPSG:{gauss_kruger_epsg(prefix, zone_prefix=True)} for eastings with it")
    return (f"easting {easting:.3f} m is not in {crs.name} (central meridian {crs.central_meridian:g}°E, "
            f"false easting {crs.false_easting:.0f} m): wrong zone?")


def _swapped(where: str, coordinate: NDArray[np.float64], crs: InputCrs, axes: str) -> GeometryError:
    place = crs.name if crs.is_projected else "China"
    return GeometryError(
        GeoCode.COORDINATES_SWAPPED,
        f"{where} {_format(coordinate, crs)} is not in {place} but {_format(coordinate[::-1], crs)} is: "
        f"{axes} swapped? Send x = {axes.split(' and ')[0]} first",
        field=where, details={"coordinate": coordinate.tolist(), "crs": crs.name},
    )


def _check_ring(seq: CoordinateSequence, crs: InputCrs) -> None:
    n = len(seq.xy)
    if n < 4:
        raise GeometryError(
            GeoCode.TOO_FEW_POSITIONS,
            f"{seq.label} has {n} positions; a closed ring needs at least 4, the last repeating the first",
            field=seq.field, details={"count": n, "minimum": 4},
        )
    if not np.array_equal(seq.xy[0], seq.xy[-1]):
        raise GeometryError(
            GeoCode.RING_NOT_CLOSED,
            f"{seq.label} is not closed: its last position {_format(seq.xy[-1], crs)} must repeat "
            f"its first {_format(seq.xy[0], crs)}",
            field=seq.position_field(n - 1),
            details={"first": seq.xy[0].tolist(), "last": seq.xy[-1].tolist()},
        )


def _check_line(seq: CoordinateSequence) -> None:
    n = len(seq.xy)
    if n < 2:
        raise GeometryError(GeoCode.TOO_FEW_POSITIONS, f"{seq.label} has {n} positions; a line needs at least 2",
                            field=seq.field, details={"count": n, "minimum": 2})
    if np.all(seq.xy == seq.xy[0]):
        raise GeometryError(GeoCode.ZERO_LENGTH,
                            f"{seq.label} has no length: all its {n} positions are the same point",
                            field=seq.field, details={"coordinate": seq.xy[0].tolist()})


def _check_ring_simple(seq: CoordinateSequence, crs: InputCrs) -> None:
    reason, location = _invalidity(shapely.polygons(seq.xy))
    if not reason:
        return
    if reason.startswith("Too few points"):
        raise GeometryError(
            GeoCode.TOO_FEW_POSITIONS,
            f"{seq.label} has fewer than 3 distinct positions, so it encloses nothing",
            field=seq.field, details={"coordinate": location.tolist()},
        )
    raise GeometryError(
        GeoCode.SELF_INTERSECTION,
        f"{seq.label} intersects itself at {_format(location, crs)}",
        field=seq.field, details={"coordinate": location.tolist(), "reason": reason},
    )


def _polygon(part: tuple[CoordinateSequence, ...]) -> shapely.Polygon:
    shell, *holes = part
    return shapely.polygons(shell.xy, holes=[hole.xy for hole in holes] or None)


def _invalidity(geometry: shapely.Geometry) -> tuple[str | None, NDArray[np.float64]]:
    """GEOS's reason a geometry is invalid and where, or (None, empty) when it is valid."""
    match = _GEOS_REASON.match(shapely.is_valid_reason(geometry))
    if match is None:  # "Valid Geometry"
        return None, np.empty(0)
    return match["reason"], np.array([float(match["x"]), float(match["y"])])


def _nearest_hole(part: tuple[CoordinateSequence, ...], location: NDArray[np.float64]) -> CoordinateSequence:
    holes = part[1:]
    distances = shapely.distance(shapely.points(location), [shapely.linestrings(h.xy) for h in holes])
    return holes[int(np.argmin(distances))]


def in_china(lon: NDArray[np.float64], lat: NDArray[np.float64]) -> NDArray[np.bool_]:
    west, south, east, north = CHINA_EXTENT
    return (lon >= west) & (lon <= east) & (lat >= south) & (lat <= north)


def _format(xy: NDArray[np.float64], crs: InputCrs) -> str:
    """A position as a surveyor reads it: millimetres for metres, ~1 cm (7 decimals) for degrees."""
    decimals = 3 if crs.is_projected else 7
    return "(" + ", ".join(_trim(f"{v:.{decimals}f}") for v in xy) + ")"


def _trim(number: str) -> str:
    return number.rstrip("0").rstrip(".") if "." in number else number
