"""Policy profiles and evaluation: facts in, a decision with its clauses out."""
import marshmallow as ma
from marshmallow import validate

from policy import FACT_NAMES
from policy.calendar import CalendarSource
from schemas.base import StrictSchema

# Types and allowed values are checked by the policy engine itself (FactError names the fact); this
# schema documents every fact and refuses unknown ones.
FactsSchema = StrictSchema.from_dict(
    {name: ma.fields.Raw(allow_none=True, metadata={"description": description})
     for name, description in FACT_NAMES.items()},
    name="FactsSchema",
)


class ProfileSummarySchema(ma.Schema):
    id = ma.fields.String(metadata={"example": "sanya"})
    name_zh = ma.fields.String(metadata={"example": "三亚市"})
    name_en = ma.fields.String(metadata={"example": "Sanya"})
    utilities = ma.fields.List(ma.fields.String(), metadata={"example": ["water"]})
    business_types = ma.fields.List(ma.fields.String())
    customer_classes = ma.fields.List(ma.fields.String())
    version = ma.fields.String(metadata={"example": "1.0"})
    effective_date = ma.fields.String(metadata={"example": "2023-01-01"})
    source_seed = ma.fields.String(metadata={"example": "004_e73b0a062898c73b.txt"})
    notice_title = ma.fields.String()
    notice_issuer = ma.fields.String()
    notice_date = ma.fields.String()


class ProfileSchema(ProfileSummarySchema):
    rules = ma.fields.List(ma.fields.Dict(), metadata={"description": "each rule with its id, clause, facts read, "
                                                                      "thresholds and outcomes"})


class DeadlineSchema(ma.Schema):
    step = ma.fields.String()
    anchor = ma.fields.String(metadata={"description": "the event the count starts from"})
    due = ma.fields.String(allow_none=True, metadata={"description": "null until the anchor event has happened"})
    duration = ma.fields.Dict()
    calendar = ma.fields.String(allow_none=True, validate=validate.OneOf([s.value for s in CalendarSource]),
                                metadata={"description": "which calendar counted the working days: official, "
                                                         "override or estimated; null, like due, until the anchor "
                                                         "event has happened"})
    rule = ma.fields.String()
    clause = ma.fields.String()


class DecisionSchema(ma.Schema):
    profile = ma.fields.String()
    version = ma.fields.String()
    applicable = ma.fields.Boolean(allow_none=True)
    reasons = ma.fields.List(ma.fields.Dict())
    free_installation = ma.fields.Boolean(allow_none=True)
    approval_path = ma.fields.String(allow_none=True, metadata={
        "description": "notify_commit | tolerant_parallel | filing | escalate | commitment_filing | null"})
    steps = ma.fields.Integer(allow_none=True)
    materials = ma.fields.Integer(allow_none=True)
    deferred_materials = ma.fields.Raw(allow_none=True)
    deadlines = ma.fields.List(ma.fields.Nested(DeadlineSchema))
    post_connection_documents = ma.fields.Raw(allow_none=True)
    return_visits = ma.fields.Raw(allow_none=True)
    missing_facts = ma.fields.List(ma.fields.String())
    near_threshold = ma.fields.List(ma.fields.Dict())
    explanation = ma.fields.List(ma.fields.Dict(), metadata={
        "description": "one entry per rule consulted: rule, clause, the seed's words, inputs, the rounded values "
                       "compared and the result"})


class OverrideSchema(StrictSchema):
    version = ma.fields.String(required=True, metadata={"example": "1.0-三亚水务"})
    effective_date = ma.fields.Date(required=True, metadata={"example": "2027-01-01"})
    base_version = ma.fields.String(metadata={"description": "the version overridden; default: the one in force "
                                                             "today"})
    rules = ma.fields.List(ma.fields.Dict(), required=True, validate=ma.validate.Length(min=1), metadata={
        "description": "whole rules, each replacing the base's rule of the same id, kind and step"})


class PolicyVersionInputSchema(StrictSchema):
    """Exactly one of: the profile as TOML text, as a JSON object, or an override of some of its rules."""

    toml = ma.fields.String(metadata={"description": "the profile file's text, as in policy/profiles/"})
    document = ma.fields.Dict(metadata={"description": "the same profile as JSON; effective_date as \"2027-01-01\""})
    override = ma.fields.Nested(OverrideSchema)


class PolicyVersionSchema(ProfileSummarySchema):
    origin = ma.fields.String(metadata={"description": "shipped | upload | override"})
    base_version = ma.fields.String(allow_none=True)
    overrides = ma.fields.List(ma.fields.Dict(), allow_none=True)
    created_by = ma.fields.String(allow_none=True, metadata={"description": "the admin's username; null when shipped"})
    created_at = ma.fields.DateTime(allow_none=True)
    in_force_today = ma.fields.Boolean()


class PolicyVersionDetailSchema(PolicyVersionSchema):
    rules = ma.fields.List(ma.fields.Dict())


class DiffQuerySchema(StrictSchema):
    from_ = ma.fields.String(required=True, data_key="from")
    to = ma.fields.String(required=True)


class PolicyDiffSchema(ma.Schema):
    profile = ma.fields.String()
    from_ = ma.fields.String(data_key="from", attribute="from")
    to = ma.fields.String()
    header = ma.fields.List(ma.fields.Dict(), metadata={"description": "[{key, before, after}]"})
    rules = ma.fields.List(ma.fields.Dict(), metadata={
        "description": "[{rule, kind, step, change: added | removed | changed, changed_keys, clause, before, after}]"})


class PreviewChangeSchema(ma.Schema):
    application_id = ma.fields.UUID()
    number = ma.fields.String()
    utility = ma.fields.String()
    applied_at = ma.fields.DateTime()
    changed = ma.fields.List(ma.fields.String(), metadata={"example": ["approval_path", "deadlines.connection"]})
    before = ma.fields.Dict(metadata={"description": "version, outcomes and {step: due} in force now"})
    after = ma.fields.Dict(metadata={"description": "the same under the candidate"})


class PolicyPreviewSchema(ma.Schema):
    profile = ma.fields.String()
    version = ma.fields.String()
    effective_date = ma.fields.Date()
    open_applications = ma.fields.Integer()
    examined = ma.fields.Integer()
    truncated = ma.fields.Boolean()
    limit = ma.fields.Integer()
    changes = ma.fields.List(ma.fields.Nested(PreviewChangeSchema))
