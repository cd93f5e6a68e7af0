"""Pure geometry for Tapline: CRS handling, validation, geodesic measurement of routes and red lines.

Everything returned is in CGCS2000 (EPSG:4490) lon/lat; lengths in metres and areas in m², geodesic on
GRS80. See docs/geo.md.
"""

from geo.batch import parse_geometries
from geo.codes import GeoCode
from geo.compare import compare_geometries
from geo.crs import SUPPORTED_CRS, InputCrs, crs_of_geojson_member, resolve_crs
from geo.errors import GeometryError, GeometryWarning
from geo.geojson import to_geojson
from geo.geopackage import is_geopackage, read_geopackage
from geo.measure import CONSTRAINT_LAYERS, ConstraintFeature, Crossing, Measurement, measure
from geo.parse import ParsedGeometry, parse_geometry, parse_geometry_with_warnings
from geo.pipes import DnProposal, PipeTable, check_segments, pipe_tables, propose_dn
from geo.reconcile import reconcile_length
from geo.request import MeasureRequest, parse_measure_request

__all__ = [
    "CONSTRAINT_LAYERS",
    "SUPPORTED_CRS",
    "compare_geometries",
    "is_geopackage",
    "ConstraintFeature",
    "crs_of_geojson_member",
    "Crossing",
    "DnProposal",
    "GeoCode",
    "GeometryError",
    "GeometryWarning",
    "InputCrs",
    "MeasureRequest",
    "Measurement",
    "ParsedGeometry",
    "PipeTable",
    "check_segments",
    "measure",
    "parse_geometries",
    "parse_geometry",
    "parse_geometry_with_warnings",
    "parse_measure_request",
    "pipe_tables",
    "propose_dn",
    "read_geopackage",
    "reconcile_length",
    "resolve_crs",
    "to_geojson",
]
