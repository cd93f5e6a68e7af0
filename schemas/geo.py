"""Shapes of the Measure contract (DESIGN "Contracts … Measure") and of constraint-layer imports.

The geometries are checked by `geo` itself (types, rings, CRS zones) so its messages name the exact
position at fault; these schemas document the shapes and reject unknown top-level fields.
"""
import marshmallow as ma
from marshmallow import validate

from geo import SUPPORTED_CRS
from schemas.base import StrictSchema

GEOMETRY_DOC = "GeoJSON geometry (RFC 7946); x = easting/longitude, y = northing/latitude whatever the CRS"
CONSTRAINT_LAYERS = ("expressway", "urban_expressway", "railway", "urban_rail", "river", "canal", "lake")


class MeasureRequestSchema(StrictSchema):
    crs = ma.fields.String(required=True, validate=validate.OneOf(sorted(SUPPORTED_CRS)),
                           metadata={"example": "EPSG:4490",
                                     "description": "EPSG:4326, EPSG:4490, GCJ-02, or a CGCS2000 3° Gauss-Krüger "
                                                    "zone EPSG:4513–4554"})
    route = ma.fields.Dict(required=True, metadata={"description": "LineString or MultiLineString. " + GEOMETRY_DOC,
                                                    "example": {"type": "LineString", "coordinates": [
                                                        [113.3700, 31.6900], [113.3712, 31.6905],
                                                        [113.3716, 31.6911]]}})
    red_line = ma.fields.Dict(required=True, metadata={"description": "Polygon or MultiPolygon. " + GEOMETRY_DOC,
                                                       "example": {"type": "Polygon", "coordinates": [[
                                                           [113.3710, 31.6903], [113.3722, 31.6903],
                                                           [113.3722, 31.6915], [113.3710, 31.6915],
                                                           [113.3710, 31.6903]]]}})
    green_areas = ma.fields.List(ma.fields.Dict(), metadata={"description": "Polygons; overlaps count once"})
    main = ma.fields.Dict(metadata={"description": "LineString of the municipal main the route starts from"})


class WarningSchema(ma.Schema):
    code = ma.fields.String(metadata={"example": "route_not_on_main"})
    message = ma.fields.String()
    field = ma.fields.String(allow_none=True, metadata={"example": "route.coordinates[0]"})


class CrossingSchema(ma.Schema):
    layer = ma.fields.String(metadata={"example": "river"})
    name = ma.fields.String(metadata={"example": "㵐水"})


class MeasurementSchema(ma.Schema):
    total_length_m = ma.fields.Float(metadata={"description": "geodesic length of the route on GRS80, metres"})
    outside_length_m = ma.fields.Float(metadata={"description": "length outside the red line (外线); a segment "
                                                                "along the boundary counts as inside"})
    inside_length_m = ma.fields.Float()
    green_area_m2 = ma.fields.Float(metadata={"description": "geodesic area of the union of green_areas, m²"})
    outside_route = ma.fields.Dict(metadata={"description": "MultiLineString in EPSG:4490"})
    crossings = ma.fields.List(ma.fields.Nested(CrossingSchema))
    warnings = ma.fields.List(ma.fields.Nested(WarningSchema))


class ConstraintImportSchema(StrictSchema):
    crs = ma.fields.String(load_default="EPSG:4490", validate=validate.OneOf(sorted(SUPPORTED_CRS)))
    replace = ma.fields.Boolean(load_default=False,
                                metadata={"description": "delete the tenant's existing features of the imported "
                                                         "layers first"})
    features = ma.fields.List(ma.fields.Dict(), required=True, validate=validate.Length(min=1, max=10_000),
                              metadata={"description": "GeoJSON Features whose properties hold `layer` (one of "
                                                       f"{', '.join(CONSTRAINT_LAYERS)}) and `name`"})


class ConstraintFeatureSchema(ma.Schema):
    id = ma.fields.UUID()
    layer = ma.fields.String()
    name = ma.fields.String()
    geometry = ma.fields.Dict()


class ImportResultSchema(ma.Schema):
    imported = ma.fields.Integer()
    replaced = ma.fields.Integer()
