"""Measure (pure, no storage) and the tenant's constraint layers."""
from collections.abc import Iterator

from flask import current_app, g, request
from flask.views import MethodView

import geo
from schemas.geo import (
    ConstraintFeatureSchema,
    ConstraintImportQuerySchema,
    ConstraintImportSchema,
    ImportResultSchema,
    MeasurementSchema,
    MeasureRequestSchema,
)
from schemas.pipes import DnProposalSchema, PipeSizeRequestSchema, PipeTableSchema
from schemas.users import ROLES
from server.api.blueprint import Blueprint
from server.api.pages import PAGE, paged
from server.auth import requires
from server.extensions import db
from server.services import constraints
from server.services.measurements import measure_for_tenant

blp = Blueprint("geo", __name__, url_prefix="/api/v1/geo", description="Geometry a surveyor can trust")
layers_blp = Blueprint("constraint_layers", __name__, url_prefix="/api/v1/constraint-layers",
                       description="Expressways, railways and rivers a route may cross (reference data)")


@blp.route("/measure")
class Measure(MethodView):
    @requires(*ROLES)
    @blp.arguments(MeasureRequestSchema)
    @blp.response(200, MeasurementSchema)
    def post(self, body):
        """Measure a route against a red line: geodesic lengths (GRS80), outside part, green area, crossings.

        Pure: nothing is stored. Invalid geometry is a 422 naming the field and the position at fault.
        """
        request = geo.parse_measure_request(body, max_vertices=current_app.config["MAX_VERTICES"])
        return measure_for_tenant(db.session, g.principal.tenant_id, request).to_dict()


@blp.route("/pipe-tables")
class PipeTables(MethodView):
    @requires(*ROLES)
    @blp.response(200, PipeTableSchema(many=True))
    def get(self):
        """Outside diameters per DN of PE, PP-R, welded and seamless steel and ductile iron, citing the standards"""
        return [table.to_dict() for table in geo.pipe_tables().values()]


@blp.route("/pipe-size")
class PipeSize(MethodView):
    @requires(*ROLES)
    @blp.arguments(PipeSizeRequestSchema)
    @blp.response(200, DnProposalSchema)
    def post(self, body):
        """The DN a measured outside diameter or circumference proposes, with its tolerance (pure)

        `status` is `match`, `ambiguous` (measure again) or `none` (no size of this material: `nearest` says
        which is closest). With `declared_dn`, `agrees` says whether the survey's DN is one the measurement allows.
        """
        proposal = geo.propose_dn(body["material"], outside_diameter_mm=body.get("outside_diameter_mm"),
                                  circumference_mm=body.get("circumference_mm"), accuracy_mm=body.get("accuracy_mm"))
        declared = body.get("declared_dn")
        return {**proposal.to_dict(), "declared_dn": declared,
                "agrees": None if declared is None else proposal.agrees_with(declared)}


@layers_blp.route("")
class ConstraintLayers(MethodView):
    @requires(*ROLES)
    @layers_blp.response(200, ConstraintFeatureSchema(many=True))
    @layers_blp.paginate(**PAGE)
    def get(self, pagination_parameters):
        """List the tenant's constraint features"""
        return paged(pagination_parameters, constraints.list_features, db.session, g.principal.tenant_id, layer=None)


@layers_blp.route("/import")
class ConstraintImport(MethodView):
    @requires("admin")
    @layers_blp.arguments(ConstraintImportSchema)
    @layers_blp.arguments(ConstraintImportQuerySchema, location="query")
    @layers_blp.response(201, ImportResultSchema)
    def post(self, body, options):
        """Import GeoJSON features (all or nothing); `replace` swaps out the imported layers

        Takes a FeatureCollection as QGIS and GDAL write it: its `crs` member must name CRS84, EPSG:4326 or
        EPSG:4490 (anything else is a 422 saying so); `layer` in the query sets the layer of features whose
        properties name none, `name_field` the property that holds their names.
        """
        return constraints.import_collection(db.session, g.principal.tenant_id, body, options,
                                             max_vertices=current_app.config["MAX_VERTICES"])


@layers_blp.route("/import/gpkg")
class ConstraintImportGeoPackage(MethodView):
    accepts_raw_body = True  # the body is the GeoPackage file itself

    @requires("admin")
    @layers_blp.arguments(ConstraintImportQuerySchema, location="query")
    @layers_blp.doc(requestBody={"required": True, "description": "the file itself, sent as "
                                 "application/geopackage+sqlite3 or application/octet-stream",
                                 "content": {"application/octet-stream": {"schema": {"type": "string",
                                                                                     "format": "binary"}}}})
    @layers_blp.response(201, ImportResultSchema)
    def post(self, options):
        """Import one layer of a GeoPackage (all or nothing): EPSG:4490, 4326 or a CGCS2000 Gauss-Krüger zone

        `source_layer` names the layer when the file holds several; `layer` and `name_field` as for GeoJSON.
        """
        return constraints.import_geopackage(db.session, g.principal.tenant_id, _body_blocks(), options,
                                             max_vertices=current_app.config["MAX_VERTICES"],
                                             max_features=current_app.config["IMPORT_MAX_FEATURES"])


def _body_blocks() -> Iterator[bytes]:
    """The uploaded file in blocks, up to TAPLINE_IMPORT_MAX_BYTES (413 past it) rather than the JSON limit."""
    request.max_content_length = current_app.config["IMPORT_MAX_BYTES"]
    while block := request.stream.read(1024 * 1024):
        yield block
