"""Applications (一表申请): one form for water and gas, each with its joint survey task."""
from flask import g
from flask.views import MethodView

from schemas.applications import ApplicationQuerySchema, ApplicationSchema, IntakeResponseSchema, IntakeSchema
from server.api.blueprint import Blueprint
from server.api.pages import PAGE, paged
from server.auth import requires
from server.extensions import db
from server.services import applications

blp = Blueprint("applications", __name__, url_prefix="/api/v1/applications",
                description="Applications for water and/or gas (一表申请, 001 附件 J3)")


@blp.route("")
class Applications(MethodView):
    @requires("admin", "dispatcher", "engineer")
    @blp.arguments(ApplicationQuerySchema, location="query")
    @blp.response(200, ApplicationSchema(many=True))
    @blp.paginate(**PAGE)
    def get(self, query, pagination_parameters):
        """List applications, newest first"""
        return paged(pagination_parameters, applications.list_applications, db.session, g.principal.tenant_id,
                     channel=query.get("channel"))

    @requires("admin", "dispatcher")
    @blp.arguments(ApplicationSchema)
    @blp.response(201, ApplicationSchema)
    def post(self, fields):
        """Create an application and its one joint survey task covering every utility

        The survey deadline clocks start from the policy profile's deadlines. A missing credit code is
        accepted and recorded as a deferred material due before connection; a wrong one is a 422.
        """
        return applications.create_application(db.session, g.principal, fields)


@blp.route("/<uuid:application_id>")
class ApplicationById(MethodView):
    @requires("admin", "dispatcher", "engineer")
    @blp.response(200, ApplicationSchema)
    def get(self, application_id):
        """Get an application"""
        return applications.get_application(db.session, g.principal.tenant_id, application_id)


@blp.route("/intake")
class Intake(MethodView):
    @requires("admin", "dispatcher")
    @blp.arguments(IntakeSchema)
    @blp.response(200, IntakeResponseSchema)
    def post(self, body):
        """Take a batch pushed by a government platform (工改), idempotent by project code

        An item whose project code is already known is reported `existing` and changes nothing, so a
        platform may resend a batch. The batch is all or nothing.
        """
        return {"results": applications.intake(db.session, g.principal, body["applications"])}
