"""Shapes of the Measure contract (DESIGN "Contracts … Measure") and of constraint-layer imports.

The geometries are checked by `geo` itself (types, rings, CRS zones) so its messages name the exact
position at fault; these schemas document the shapes and reject unknown top-level fields.
"""
import marshmallow as ma
from marshmallow import validate

from geo import CONSTRAINT_LAYERS, SUPPORTED_CRS
from schemas.base import StrictSchema

GEOMETRY_DOC = "GeoJSON geometry (RFC 7946); x = easting/longitude, y = northing/latitude whatever the CRS"


def geometry(*types: str) -> dict:
    """What the OpenAPI states of a GeoJSON geometry field (geo checks the rest and names the position at fault)."""
    return {"required": ["type", "coordinates"],
            "properties": {"type": {"type": "string", "enum": list(types)}, "coordinates": {"type": "array"}}}


class MeasureRequestSchema(StrictSchema):
    crs = ma.fields.String(required=True, validate=validate.OneOf(sorted(SUPPORTED_CRS)),
                           metadata={"example": "EPSG:4490",
                                     "description": "EPSG:4326, EPSG:4490, GCJ-02, or a CGCS2000 3° Gauss-Krüger "
                                                    "zone EPSG:4513–4554"})
    route = ma.fields.Dict(required=True, metadata={**geometry("LineString", "MultiLineString"),
                                                    "description": "LineString or MultiLineString. " + GEOMETRY_DOC,
                                                    "example": {"type": "LineString", "coordinates": [
                                                        [113.3700, 31.6900], [113.3712, 31.6905],
                                                        [113.3716, 31.6911]]}})
    red_line = ma.fields.Dict(required=True, metadata={**geometry("Polygon", "MultiPolygon"),
                                                       "description": "Polygon or MultiPolygon. " + GEOMETRY_DOC,
                                                       "example": {"type": "Polygon", "coordinates": [[
                                                           [113.3710, 31.6903], [113.3722, 31.6903],
                                                           [113.3722, 31.6915], [113.3710, 31.6915],
                                                           [113.3710, 31.6903]]]}})
    green_areas = ma.fields.List(ma.fields.Dict(metadata=geometry("Polygon")),
                                 metadata={"description": "Polygons; overlaps count once"})
    main = ma.fields.Dict(metadata={**geometry("LineString"),
                                    "description": "LineString of the municipal main the route starts from"})


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


class GeoJsonCrsField(ma.fields.Field):
    """Tapline's CRS name (a string), or GeoJSON's old `crs` member as GDAL and QGIS still write it."""

    def __init__(self, **kwargs):
        super().__init__(metadata={"oneOf": [{"type": "string", "enum": sorted(SUPPORTED_CRS)}, {"type": "object"}],
                                   "example": "EPSG:4490",
                                   "description": "a Tapline CRS name, or a GeoJSON crs member naming "
                                                  "urn:ogc:def:crs:OGC:1.3:CRS84, EPSG:4326 or EPSG:4490 "
                                                  "(anything else is refused: reproject first)"}, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, str):
            if value not in SUPPORTED_CRS:
                raise ma.ValidationError(f"one of {', '.join(sorted(SUPPORTED_CRS))}")
            return value
        if isinstance(value, dict):
            return value
        raise ma.ValidationError("a CRS name or a GeoJSON crs member")


class ConstraintImportSchema(StrictSchema):
    """Tapline's import body, or a GeoJSON FeatureCollection as QGIS and GDAL write it (foreign members ignored)."""

    type = ma.fields.String(validate=validate.Equal("FeatureCollection"), metadata={"example": "FeatureCollection"})
    name = ma.fields.String(metadata={"description": "the collection's name (QGIS writes the layer name); ignored"})
    crs = GeoJsonCrsField(load_default="EPSG:4490")
    replace = ma.fields.Boolean(load_default=False,
                                metadata={"description": "delete the tenant's existing features of the imported "
                                                         "layers first"})
    features = ma.fields.List(ma.fields.Dict(), required=True, validate=validate.Length(min=1, max=10_000),
                              metadata={"description": "GeoJSON Features whose properties hold `layer` (one of "
                                                       f"{', '.join(CONSTRAINT_LAYERS)}; or give `layer` in the "
                                                       "query) and `name`"})

    @ma.pre_load
    def _ignore_foreign_members(self, data, **_kwargs):
        """RFC 7946 §6.1 allows foreign members on a FeatureCollection (bbox, GDAL's coordinate resolutions…)."""
        if isinstance(data, dict) and data.get("type") == "FeatureCollection":
            return {key: value for key, value in data.items() if key in self.fields}
        return data


class ConstraintImportQuerySchema(StrictSchema):
    layer = ma.fields.String(validate=validate.OneOf(CONSTRAINT_LAYERS), metadata={
        "example": "river", "description": "the layer of features whose properties name none (a QGIS export)"})
    name_field = ma.fields.String(load_default="name", validate=validate.Length(1, 64), metadata={
        "example": "名称", "description": "the property holding each feature's name"})
    replace = ma.fields.Boolean(load_default=False, metadata={
        "description": "delete the tenant's existing features of the imported layers first"})
    source_layer = ma.fields.String(validate=validate.Length(1, 200), metadata={
        "description": "GeoPackage only: the layer to read when the file holds several"})


class ConstraintFeatureSchema(ma.Schema):
    id = ma.fields.UUID()
    layer = ma.fields.String()
    name = ma.fields.String()
    geometry = ma.fields.Dict()


class ImportResultSchema(ma.Schema):
    imported = ma.fields.Integer()
    replaced = ma.fields.Integer()
