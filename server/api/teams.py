"""Construction teams (施工队伍): admins and dispatchers manage them."""
from flask import current_app, g
from flask.views import MethodView

from schemas.dispatch import TeamQuerySchema, TeamSchema, TeamUpdateSchema
from server.api.blueprint import Blueprint
from server.api.pages import PAGE, paged
from server.api.trails import add_audit_route
from server.auth import requires
from server.extensions import db
from server.models import ConstructionTeam
from server.services import teams
from server.services.lookup import get_or_404

blp = Blueprint("teams", __name__, url_prefix="/api/v1/teams",
                description="Construction teams (施工队伍): utilities, service area, daily capacity")


@blp.route("")
class Teams(MethodView):
    @requires("admin", "dispatcher")
    @blp.arguments(TeamQuerySchema, location="query")
    @blp.response(200, TeamSchema(many=True))
    @blp.paginate(**PAGE)
    def get(self, filters, pagination_parameters):
        """List construction teams by name"""
        return paged(pagination_parameters, teams.list_teams, db.session, g.principal.tenant_id, filters)

    @requires("admin", "dispatcher")
    @blp.arguments(TeamSchema)
    @blp.response(201, TeamSchema)
    @blp.alt_response(409, description="`team_name_taken`")
    def post(self, fields):
        """Create a construction team

        The service area is checked before anything is stored: a bad one is a 422 naming the position.
        """
        return teams.create_team(db.session, g.principal, fields,
                                 max_vertices=current_app.config["MAX_VERTICES"])


@blp.route("/<uuid:team_id>")
class TeamById(MethodView):
    @requires("admin", "dispatcher")
    @blp.etag
    @blp.response(200, TeamSchema)
    def get(self, team_id):
        """Get a construction team (its ETag guards the next PATCH)"""
        return teams.team_view(get_or_404(db.session, ConstructionTeam, g.principal.tenant_id, team_id))

    @requires("admin", "dispatcher")
    @blp.etag
    @blp.arguments(TeamUpdateSchema)
    @blp.response(200, TeamSchema)
    @blp.alt_response(409, description="`team_name_taken`")
    def patch(self, changes, team_id):
        """Update a construction team (If-Match required: a stale ETag gets 412)"""
        team = get_or_404(db.session, ConstructionTeam, g.principal.tenant_id, team_id, for_update=True)
        blp.check_etag(teams.team_view(team), TeamSchema)
        return teams.update_team(db.session, g.principal, team, changes,
                                 max_vertices=current_app.config["MAX_VERTICES"])

    @requires("admin", "dispatcher")
    @blp.response(204)
    @blp.alt_response(409, description="`team_has_work_orders`: deactivate the team instead")
    def delete(self, team_id):
        """Delete a construction team that never had a work order"""
        teams.delete_team(db.session, g.principal, team_id)


add_audit_route(blp, ConstructionTeam, "team_id", ("admin", "dispatcher"),
                "The team's audit trail: created, each change with before and after, deleted")
