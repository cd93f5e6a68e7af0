"""The working-day calendar of a year."""
import marshmallow as ma

from schemas.base import StrictSchema


class CalendarYearSchema(StrictSchema):
    year = ma.fields.Integer(dump_only=True, metadata={"example": 2026})
    source = ma.fields.String(dump_only=True, metadata={
        "description": "official (the pinned holidays package has the State Council schedule), override (the "
                       "tenant's upload) or estimated (statutory holidays by rule, no make-up workdays: deadlines "
                       "in such a year carry calendar: estimated)", "example": "official"})
    holidays = ma.fields.List(ma.fields.Date(), required=True, metadata={
        "description": "weekdays that are rest days", "example": ["2026-10-01", "2026-10-02", "2026-10-05"]})
    workdays = ma.fields.List(ma.fields.Date(), required=True, metadata={
        "description": "weekend days that are working days (调休)", "example": ["2026-09-20", "2026-10-10"]})
