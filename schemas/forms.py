"""Form definitions and submissions; their content is checked by `field_forms`, which reports every problem."""
import marshmallow as ma

from schemas.base import StrictSchema


class FormDefinitionSchema(ma.Schema):
    """A whole definition in the language of GET /api/v1/forms/schema (JSON Schema)."""

    class Meta:
        unknown = ma.INCLUDE

    form_id = ma.fields.String(required=True, metadata={"example": "joint_survey"})
    version = ma.fields.Integer(required=True, metadata={"example": 2, "description": "the next version number"})


class SubmissionSchema(StrictSchema):
    answers = ma.fields.Dict(required=True, metadata={"example": {"water": {"meter_dn": 40}}})


class ValidatedSubmissionSchema(ma.Schema):
    valid = ma.fields.Boolean()
    answers = ma.fields.Dict(metadata={"description": "answers with calculations recomputed by the server"})
