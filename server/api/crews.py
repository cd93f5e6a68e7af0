"""Survey crews: admins and dispatchers manage them, everyone in the tenant can read them."""
from flask import g
from flask.views import MethodView

from schemas.users import CrewSchema, CrewUpdateSchema
from server.api.blueprint import Blueprint
from server.api.pages import PAGE, paged
from server.auth import requires
from server.extensions import db
from server.models import Crew
from server.services import crews
from server.services.lookup import get_or_404

blp = Blueprint("crews", __name__, url_prefix="/api/v1/crews", description="Survey crews (踏勘组)")


def _with_members(crew: Crew) -> dict:
    return {**{c: getattr(crew, c) for c in ("id", "name", "active", "version")},
            "member_ids": crews.member_ids(db.session, crew)}


@blp.route("")
class Crews(MethodView):
    @requires("admin", "dispatcher", "engineer")
    @blp.response(200, CrewSchema(many=True))
    @blp.paginate(**PAGE)
    def get(self, pagination_parameters):
        """List crews"""
        found = paged(pagination_parameters, crews.list_crews, db.session, g.principal.tenant_id)
        return [_with_members(c) for c in found]

    @requires("admin", "dispatcher")
    @blp.arguments(CrewSchema)
    @blp.response(201, CrewSchema)
    def post(self, fields):
        """Create a crew"""
        return _with_members(crews.create_crew(db.session, g.principal.tenant_id, fields))


@blp.route("/<uuid:crew_id>")
class CrewById(MethodView):
    @requires("admin", "dispatcher", "engineer")
    @blp.etag
    @blp.response(200, CrewSchema)
    def get(self, crew_id):
        """Get a crew"""
        return _with_members(get_or_404(db.session, Crew, g.principal.tenant_id, crew_id))

    @requires("admin", "dispatcher")
    @blp.etag
    @blp.arguments(CrewUpdateSchema)
    @blp.response(200, CrewSchema)
    def patch(self, changes, crew_id):
        """Update a crew or its members (If-Match required)"""
        crew = get_or_404(db.session, Crew, g.principal.tenant_id, crew_id, for_update=True)
        blp.check_etag(_with_members(crew), CrewSchema)
        return _with_members(crews.update_crew(db.session, crew, changes))
