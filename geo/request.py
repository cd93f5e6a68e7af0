"""The Measure request (DESIGN "Contracts … Measure"): the raw JSON body → a validated MeasureRequest."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from shapely import LineString, MultiLineString, MultiPolygon, Polygon

from domain_errors import CommonCode
from geo.codes import GeoCode
from geo.crs import resolve_crs
from geo.errors import GeometryError, GeometryWarning
from geo.geojson import LINEAL, POLYGONAL
from geo.parse import DEFAULT_MAX_VERTICES, parse_geometry_with_warnings

REQUEST_FIELDS = ("crs", "route", "red_line", "green_areas", "main")


@dataclass(frozen=True)
class MeasureRequest:
    """A valid measure request; every geometry is in CGCS2000 (EPSG:4490) lon/lat."""

    crs: str                                      # the CRS the client sent, e.g. "EPSG:4526"
    route: LineString | MultiLineString           # from the main to (and maybe into) the parcel
    red_line: Polygon | MultiPolygon              # the parcel boundary
    green_areas: tuple[Polygon, ...] = ()
    main: LineString | None = None
    warnings: tuple[GeometryWarning, ...] = ()    # raised by the input itself


def parse_measure_request(payload: Any, *, max_vertices: int = DEFAULT_MAX_VERTICES) -> MeasureRequest:
    """Validate a measure request body; raises GeometryError (422) at the first problem found.

    ``max_vertices`` limits the positions of each geometry. Fields are checked in the order
    crs, route, red_line, green_areas, main.
    """
    if not isinstance(payload, dict):
        raise GeometryError(GeoCode.INVALID_REQUEST, "the measure request must be a JSON object")
    unknown = [key for key in payload if key not in REQUEST_FIELDS]
    if unknown:
        raise GeometryError(CommonCode.UNKNOWN_FIELD,
                            f"{unknown[0]!r} is not a measure request field; expected {', '.join(REQUEST_FIELDS)}",
                            field=str(unknown[0]), details={"allowed": list(REQUEST_FIELDS)})
    for required in ("crs", "route", "red_line"):
        if payload.get(required) is None:
            raise GeometryError(GeoCode.MISSING_FIELD, f"the measure request needs {required}", field=required)
    crs = resolve_crs(payload["crs"])
    warnings: list[GeometryWarning] = []

    def parse(obj: Any, field: str, allowed: tuple[str, ...]) -> Any:
        parsed = parse_geometry_with_warnings(obj, field=field, allowed=allowed, crs=crs,
                                              max_vertices=max_vertices)
        warnings.extend(parsed.warnings)
        return parsed.geometry

    route = parse(payload["route"], "route", LINEAL)
    red_line = parse(payload["red_line"], "red_line", POLYGONAL)
    green_areas = payload.get("green_areas")
    if green_areas is None:
        green_areas = []
    elif not isinstance(green_areas, list):
        raise GeometryError(GeoCode.INVALID_GEOJSON, "green_areas must be an array of Polygons", field="green_areas")
    green = tuple(parse(area, f"green_areas[{i}]", ("Polygon",)) for i, area in enumerate(green_areas))
    main = payload.get("main")
    return MeasureRequest(
        crs=crs.name,
        route=route,
        red_line=red_line,
        green_areas=green,
        main=None if main is None else parse(main, "main", ("LineString",)),
        warnings=tuple(warnings),
    )
