"""Shared schema behaviour: unknown fields are errors, never silently dropped."""
import marshmallow as ma


class StrictSchema(ma.Schema):
    class Meta:
        unknown = ma.RAISE
