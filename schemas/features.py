"""Query shapes of OGC API – Features (Part 1: Core): bbox, datetime, limit, offset."""
from datetime import UTC, date, datetime, time, timedelta

import marshmallow as ma
from marshmallow import validate

from schemas.base import StrictSchema
from schemas.tasks import BBoxField


class IntervalField(ma.fields.Field):
    """An RFC 3339 instant or interval (`start/end`, either end open as `..` or empty); a date is its whole day."""

    def __init__(self, **kwargs):
        super().__init__(metadata={"type": "string", "example": "2026-11-01T00:00:00+08:00/..",
                                   "description": "when the task was surveyed: an instant, a date, or an interval "
                                                  "start/end with `..` for an open end"}, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        text = str(value).strip()
        if "/" not in text:
            start, end = self._bound(text, end=False), self._bound(text, end=True)
            if start is None:
                raise ma.ValidationError("an instant or interval, not an open end alone")
            return start, end
        first, _, second = text.partition("/")
        start, end = self._bound(first, end=False), self._bound(second, end=True)
        if start is None and end is None:
            raise ma.ValidationError("an interval needs at least one end")
        if start is not None and end is not None and start > end:
            raise ma.ValidationError("the interval ends before it starts")
        return start, end

    @staticmethod
    def _bound(text: str, *, end: bool) -> datetime | None:
        """One end: None when open; a date stands for its whole day (UTC)."""
        if text in ("", ".."):
            return None
        try:
            if len(text) == 10:
                day = datetime.combine(date.fromisoformat(text), time(), tzinfo=UTC)
                return day + timedelta(days=1) - timedelta(microseconds=1) if end else day
            moment = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
        except ValueError:
            raise ma.ValidationError(f"{text!r} is not an RFC 3339 date-time or date") from None
        if moment.tzinfo is None:
            raise ma.ValidationError(f"{text!r} needs a time zone offset (or Z)")
        return moment


class ItemsQuerySchema(StrictSchema):
    bbox = BBoxField(ogc=True, description="minlon,minlat,maxlon,maxlat in CRS84 (taken as EPSG:4490); a 3D "
                                                     "box by its 2D corners")
    datetime = IntervalField()
    limit = ma.fields.Integer(load_default=10, validate=validate.Range(min=1), metadata={
        "description": "items per page; past TAPLINE_FEATURES_LIMIT_MAX the server sends that many"})
    offset = ma.fields.Integer(load_default=0, validate=validate.Range(min=0),
                               metadata={"description": "items skipped; the `next` link carries it"})
    f = ma.fields.String(validate=validate.OneOf(("json", "geojson")),
                         metadata={"description": "the encoding; GeoJSON is the only one"})


class FormatQuerySchema(StrictSchema):
    f = ma.fields.String(validate=validate.OneOf(("json", "geojson")))
