"""Form definitions and submissions; their content is checked by `field_forms`, which reports every problem."""
import marshmallow as ma
from flask_smorest.fields import Upload

from schemas.base import StrictSchema


class FormDefinitionSchema(ma.Schema):
    """A whole definition in the language of GET /api/v1/forms/schema (JSON Schema)."""

    class Meta:
        unknown = ma.INCLUDE

    schema_uri = ma.fields.String(data_key="$schema", metadata={"description": "optional, for editors"})
    form_id = ma.fields.String(required=True, metadata={"example": "joint_survey"})
    version = ma.fields.Integer(required=True, metadata={"example": 2, "description": "the next version number"})
    # Declared so that responses carry them (INCLUDE keeps unknown keys on load only); their content is the
    # definition language's (GET /api/v1/forms/schema), checked whole by field_forms.
    title = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.String(),
                           metadata={"example": {"zh": "联合踏勘", "en": "Joint survey"}})
    choice_lists = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.List(ma.fields.Dict()),
                                  metadata={"description": "named choice lists: [{name, label}]"})
    questions = ma.fields.List(ma.fields.Dict(), metadata={"description": "questions, groups and repeats, in order"})


class SubmissionSchema(StrictSchema):
    answers = ma.fields.Dict(required=True, metadata={"example": {"water": {"meter_dn": 40}}})


class ValidatedSubmissionSchema(ma.Schema):
    valid = ma.fields.Boolean()
    answers = ma.fields.Dict(metadata={"description": "answers with calculations recomputed by the server"})


class XLSFormUploadSchema(ma.Schema):
    file = Upload(required=True, metadata={"description": "an .xlsx XLSForm: survey, choices and settings sheets"})
