"""Measure (pure, no storage) and the tenant's constraint layers."""
from flask import current_app, g
from flask.views import MethodView
from flask_smorest import Blueprint

import geo
from schemas.geo import (
    ConstraintFeatureSchema,
    ConstraintImportSchema,
    ImportResultSchema,
    MeasurementSchema,
    MeasureRequestSchema,
)
from schemas.users import ROLES
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
    @layers_blp.response(201, ImportResultSchema)
    def post(self, body):
        """Import GeoJSON features (all or nothing); `replace` swaps out the imported layers"""
        return constraints.import_features(db.session, g.principal.tenant_id, features=body["features"],
                                           crs=body["crs"], replace=body["replace"],
                                           max_vertices=current_app.config["MAX_VERTICES"])
