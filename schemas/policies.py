"""Policy profiles and evaluation: facts in, a decision with its clauses out."""
import marshmallow as ma

from policy import FACT_NAMES
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
    calendar = ma.fields.String(metadata={"description": "official | override | estimated"})
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
