"""Shared schema behaviour: unknown fields are errors, never silently dropped."""
import marshmallow as ma


class StrictSchema(ma.Schema):
    class Meta:
        unknown = ma.RAISE


# What the field reads from a string and writes (str of a Decimal may use an exponent: 1E+2).
DECIMAL_PATTERN = r"^-?\d+(\.\d+)?([eE][-+]?\d+)?$"


class DecimalString(ma.fields.Decimal):
    """A decimal kept exact (200.005 stays 200.005): read from a JSON number or string, written as a string.

    Documented as `type: string, format: decimal` (see TaplineApi), which is what clients receive.
    """

    def __init__(self, **kwargs):
        metadata = {"pattern": DECIMAL_PATTERN, **kwargs.pop("metadata", {})}
        super().__init__(as_string=True, metadata=metadata, **kwargs)
