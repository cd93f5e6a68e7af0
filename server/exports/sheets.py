"""What an export shows of a task: its application, people, and each survey's geometry with what geo measured."""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime

from shapely import MultiLineString, MultiPolygon, Point
from shapely.geometry.base import BaseGeometry

import geo


@dataclass(frozen=True)
class PhotoPoint:
    """A site photo and where it was taken (from its EXIF GPS tags), in EPSG:4490."""

    sha256: str
    position: Point
    taken_at: str | None = None


@dataclass(frozen=True)
class SurveySheet:
    """One utility's survey: geometry in EPSG:4490, the measurement of it and the latest decision on it."""

    survey_id: uuid.UUID
    utility: str
    red_line: MultiPolygon | None
    route: MultiLineString | None
    main: BaseGeometry | None
    green_areas: MultiPolygon | None
    meter_position: Point | None
    meter_dn: int | None
    segments: list[dict]
    measurement: geo.Measurement | None
    decision: dict | None
    submitted_at: datetime | None
    photos: tuple[str, ...] = ()
    signature: str | None = None
    photo_points: tuple[PhotoPoint, ...] = ()

    @property
    def pipe_dn(self) -> int | None:
        """The largest DN the route lays, as the policy's pipe_dn reads it."""
        return max((segment["dn"] for segment in self.segments), default=None)

    @property
    def materials(self) -> str | None:
        return "/".join(dict.fromkeys(segment["material"] for segment in self.segments)) or None

    def geometries(self) -> list[BaseGeometry]:
        """What a drawing frames: everything but the main, which runs on for kilometres (it is clipped)."""
        return [g for g in (self.red_line, self.route, self.green_areas, self.meter_position)
                if g is not None and not g.is_empty]


@dataclass(frozen=True)
class TaskSheet:
    """A task as exports show it."""

    task_id: uuid.UUID
    application_id: uuid.UUID
    application_number: str
    applicant_unit: str
    address: str
    status: str
    profile_id: str
    crew_name: str | None
    engineer_name: str | None
    surveyed_at: datetime | None
    surveys: tuple[SurveySheet, ...] = field(default_factory=tuple)

    def geometries(self) -> list[BaseGeometry]:
        return [g for survey in self.surveys for g in survey.geometries()]
