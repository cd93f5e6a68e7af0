"""The caller's tenant: its settings (admin)."""
from flask import g
from flask.views import MethodView

from schemas.tenants import BasemapSchema
from schemas.users import ROLES
from server.api.blueprint import Blueprint
from server.auth import requires
from server.extensions import db
from server.services import tenants

blp = Blueprint("tenant", __name__, url_prefix="/api/v1/tenant", description="The caller's tenant and its settings")


@blp.route("/basemap")
class Basemap(MethodView):
    @requires(*ROLES)
    @blp.response(200, BasemapSchema)
    def get(self):
        """The tiles the office console draws its maps on (none: a plain background with a scale bar)"""
        return tenants.basemap(db.session, g.principal.tenant_id)

    @requires("admin")
    @blp.arguments(BasemapSchema)
    @blp.response(200, BasemapSchema)
    def put(self, body):
        """Set the console's basemap: an XYZ tile URL (e.g. Tianditu with the tenant's key), or null for none"""
        return tenants.set_basemap(db.session, g.principal.tenant_id, url=body["url"], gcj02=body["gcj02"])
