"""Pipe tables and the DN a measured diameter proposes."""
import marshmallow as ma

from schemas.base import StrictSchema


class PipeSizeRequestSchema(StrictSchema):
    # Numbers are read by geo.propose_dn itself (Decimal of what was sent), which names a bad one.
    material = ma.fields.String(required=True, metadata={"example": "PE100",
                                                         "description": "a table's material or one of its aliases"})
    outside_diameter_mm = ma.fields.Raw(metadata={"example": "110.2"})
    circumference_mm = ma.fields.Raw(metadata={"example": "346", "description": "a tape round the pipe"})
    accuracy_mm = ma.fields.Raw(metadata={"description": "± of the measured quantity (default 2 mm round, 1 mm "
                                                         "across)"})
    declared_dn = ma.fields.Integer(metadata={"description": "the DN the survey says, to check against"})


class PipeSizeSchema(ma.Schema):
    dn = ma.fields.Integer(allow_none=True, metadata={"description": "null: no customary DN for this plastic dn"})
    de = ma.fields.Integer(allow_none=True, metadata={"description": "a plastic pipe's nominal outside diameter"})
    outside_diameter_mm = ma.fields.String()
    tolerance = ma.fields.Dict(metadata={"description": "{min_mm, max_mm} the standard allows"})


class DnProposalSchema(ma.Schema):
    material = ma.fields.String()
    standard = ma.fields.String(metadata={"example": "GB/T 13663.2-2018"})
    measured_outside_diameter_mm = ma.fields.String()
    accuracy_mm = ma.fields.String(metadata={"description": "on the diameter"})
    status = ma.fields.String(metadata={"description": "match | ambiguous | none"})
    proposed = ma.fields.Nested(PipeSizeSchema, allow_none=True)
    deviation_mm = ma.fields.String(metadata={"description": "measured − the proposed (or nearest) size's diameter"})
    matches = ma.fields.List(ma.fields.Nested(PipeSizeSchema))
    nearest = ma.fields.Nested(PipeSizeSchema)
    declared_dn = ma.fields.Integer(allow_none=True)
    agrees = ma.fields.Boolean(allow_none=True, metadata={
        "description": "whether declared_dn is a size the measurement allows; null when none is"})


class PipeTableSchema(ma.Schema):
    material = ma.fields.String()
    name_zh = ma.fields.String()
    name_en = ma.fields.String()
    standard = ma.fields.String()
    title = ma.fields.String()
    aliases = ma.fields.List(ma.fields.String())
    tolerance = ma.fields.String()
    dn_note = ma.fields.String()
    sizes = ma.fields.List(ma.fields.Nested(PipeSizeSchema))
