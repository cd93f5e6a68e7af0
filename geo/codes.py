"""The codes of geo's errors: each with the HTTP status it answers with and what it means."""
from domain_errors import Code


class GeoCode(Code):
    """Why a geometry, a measure request or a GeoPackage is refused."""

    INVALID_GEOJSON = "invalid_geojson", 422, "a geometry is not a GeoJSON geometry object of the expected form"
    WRONG_GEOMETRY_TYPE = "wrong_geometry_type", 422, "a geometry is of a type this field does not take"
    EMPTY_GEOMETRY = "empty_geometry", 422, "a geometry has no parts"
    TOO_MANY_VERTICES = "too_many_vertices", 422, "a geometry has more positions than the limit"
    INVALID_POSITION = "invalid_position", 422, "a position is not [x, y] or [x, y, z] of numbers"
    NOT_FINITE = "not_finite", 422, "a coordinate is NaN or infinite"
    COORDINATE_OUT_OF_RANGE = "coordinate_out_of_range", 422, "a coordinate lies outside its CRS's valid range"
    COORDINATES_SWAPPED = "coordinates_swapped", 422, "a position reads as latitude, longitude: swap it"
    OUTSIDE_PROJECTION_ZONE = "outside_projection_zone", 422, "a projected coordinate lies outside its zone"
    OUTSIDE_GAUSS_KRUGER_ZONES = ("outside_gauss_kruger_zones", 422,
                                  "a longitude lies outside China's 3-degree Gauss-Krüger zones")
    TOO_FEW_POSITIONS = "too_few_positions", 422, "a line or ring has too few (distinct) positions"
    ZERO_LENGTH = "zero_length", 422, "a line's positions are all the same point"
    RING_NOT_CLOSED = "ring_not_closed", 422, "a polygon ring's last position does not repeat its first"
    SELF_INTERSECTION = "self_intersection", 422, "a line or ring crosses itself"
    INVALID_HOLE = "invalid_hole", 422, "a polygon's hole lies outside it or crosses its shell"
    POLYGONS_OVERLAP = "polygons_overlap", 422, "the polygons of a multipolygon overlap or share an edge"
    UNSUPPORTED_CRS = "unsupported_crs", 422, "the coordinate reference system is not one Tapline takes"
    INVALID_GEOPACKAGE = "invalid_geopackage", 422, "the file is not a GeoPackage Tapline can read"
    INVALID_LENGTH = "invalid_length", 422, "a taped length is not a finite number of metres ≥ 0"
    UNKNOWN_MATERIAL = "unknown_material", 422, "no pipe table for this material"
    MEASUREMENT_REQUIRED = "measurement_required", 422, "give exactly one of outside diameter or circumference"
    INVALID_REQUEST = "invalid_request", 422, "the measure request is not a JSON object"
    MISSING_FIELD = "missing_field", 422, "the measure request lacks a required field"
