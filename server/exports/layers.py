"""The layers every export shares: their names, geometry types, attribute fields, and the features of a task.

One table of fields serves the GeoJSON properties, the GeoPackage columns and the OGC API items, so a
GIS user finds the same attribute under the same name whichever door the data left by.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from shapely.geometry.base import BaseGeometry

from geo.geodesic import area_m2, length_m
from server.exports.sheets import SurveySheet, TaskSheet

#: Attribute types: str, float, int, bool, datetime.
COMMON_FIELDS = (("task_id", "str"), ("application_number", "str"), ("applicant_unit", "str"), ("address", "str"),
                 ("status", "str"), ("crew", "str"), ("utility", "str"), ("surveyed_at", "datetime"))


@dataclass(frozen=True)
class Layer:
    name: str
    title: str
    geometry_type: str
    fields: tuple[tuple[str, str], ...]

    @property
    def all_fields(self) -> tuple[tuple[str, str], ...]:
        return (*COMMON_FIELDS, *self.fields)


LAYERS = {layer.name: layer for layer in (
    Layer("red_lines", "建筑区划红线 red lines", "MultiPolygon",
          (("total_length_m", "float"), ("outside_length_m", "float"), ("inside_length_m", "float"),
           ("green_area_m2", "float"), ("applicable", "bool"), ("free_installation", "bool"),
           ("approval_path", "str"), ("clauses", "str"))),
    Layer("routes_outside", "外线管道 route outside the red line", "MultiLineString",
          (("dn", "int"), ("material", "str"), ("length_m", "float"))),
    Layer("routes_inside", "内线管道 route inside the red line", "MultiLineString",
          (("dn", "int"), ("material", "str"), ("length_m", "float"))),
    Layer("mains", "市政管道 municipal mains", "LineString", (("length_m", "float"),)),
    Layer("green_areas", "绿地 green areas", "Polygon", (("area_m2", "float"),)),
    Layer("meter_positions", "表位 meter positions", "Point", (("meter_dn", "int"),)),
    Layer("photo_points", "照片点 photo points", "Point", (("sha256", "str"), ("taken_at", "str"))),
)}


@dataclass(frozen=True)
class Feature:
    layer: str
    id: str
    geometry: BaseGeometry
    properties: dict[str, Any]


def task_features(sheet: TaskSheet) -> Iterable[Feature]:
    """Every feature of the task, layer by layer (in LAYERS order within each survey)."""
    for survey in sheet.surveys:
        yield from _survey_features(survey, common_properties(sheet, survey))


def common_properties(sheet: TaskSheet, survey: SurveySheet) -> dict:
    """What every feature of a survey says about where it belongs (COMMON_FIELDS)."""
    return {"task_id": str(sheet.task_id), "application_number": sheet.application_number,
            "applicant_unit": sheet.applicant_unit, "address": sheet.address, "status": sheet.status,
            "crew": sheet.crew_name, "utility": survey.utility, "surveyed_at": sheet.surveyed_at}


def _survey_features(survey: SurveySheet, common: dict) -> Iterable[Feature]:
    sid, measured = survey.survey_id, survey.measurement
    if survey.red_line is not None:
        yield Feature("red_lines", f"{sid}", survey.red_line, {**common, **red_line_summary(survey)})
    if measured is not None:
        pipe = {"dn": survey.pipe_dn, "material": survey.materials}
        if not measured.outside_route.is_empty:
            yield Feature("routes_outside", f"{sid}", measured.outside_route,
                          {**common, **pipe, "length_m": measured.outside_length_m})
        if not measured.inside_route.is_empty:
            yield Feature("routes_inside", f"{sid}", measured.inside_route,
                          {**common, **pipe, "length_m": measured.inside_length_m})
    elif survey.route is not None:
        # Without a red line nothing is inside: the whole route is outer works (外线) as drawn.
        yield Feature("routes_outside", f"{sid}", survey.route,
                      {**common, "dn": survey.pipe_dn, "material": survey.materials,
                       "length_m": length_m(survey.route)})
    if survey.main is not None:
        yield Feature("mains", f"{sid}", survey.main, {**common, "length_m": length_m(survey.main)})
    for i, area in enumerate(survey.green_areas.geoms if survey.green_areas else ()):
        yield Feature("green_areas", f"{sid}.{i}", area, {**common, "area_m2": area_m2(area)})
    if survey.meter_position is not None:
        yield Feature("meter_positions", f"{sid}", survey.meter_position, {**common, "meter_dn": survey.meter_dn})
    for photo in survey.photo_points:
        yield Feature("photo_points", f"{sid}.{photo.sha256[:12]}", photo.position,
                      {**common, "sha256": photo.sha256, "taken_at": photo.taken_at})


def red_line_summary(survey: SurveySheet) -> dict:
    """The red line's properties: what geo measured of the survey and the latest decision on it."""
    measured, decision = survey.measurement, survey.decision or {}
    return {"total_length_m": measured.total_length_m if measured else None,
            "outside_length_m": measured.outside_length_m if measured else None,
            "inside_length_m": measured.inside_length_m if measured else None,
            "green_area_m2": measured.green_area_m2 if measured else None,
            "applicable": decision.get("applicable"), "free_installation": decision.get("free_installation"),
            "approval_path": decision.get("approval_path"), "clauses": clauses(decision) or None}


def clauses(decision: dict | None) -> str:
    """The clauses a decision rests on, as `rule clause` pairs ("S4 000 二(四); …")."""
    return "; ".join(f"{entry['rule']} {entry['clause']}" for entry in (decision or {}).get("explanation", [])
                     if entry.get("status") == "decided")


def json_value(value: Any) -> Any:
    """A property as GeoJSON carries it: times as ISO 8601."""
    return value.isoformat() if isinstance(value, datetime) else value

