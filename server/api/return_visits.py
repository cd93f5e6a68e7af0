"""Return visits (回访) after connection, by the profile's quota, and their aggregated report."""
from flask import current_app, g
from flask.views import MethodView

from schemas.dispatch import (
    FollowUpCloseSchema,
    ReportQuerySchema,
    ReportSchema,
    ReturnVisitQuerySchema,
    ReturnVisitSchema,
    VisitResultSchema,
)
from server.api.blueprint import Blueprint
from server.api.pages import PAGE, paged
from server.auth import requires
from server.extensions import db
from server.services import return_visits
from server.services.notifications.outbox import Targets

blp = Blueprint("return_visits", __name__, url_prefix="/api/v1/return-visits",
                description="Return visits after connection (回访), by the profile's quota")


@blp.route("")
class ReturnVisits(MethodView):
    @requires("admin", "dispatcher")
    @blp.arguments(ReturnVisitQuerySchema, location="query")
    @blp.response(200, ReturnVisitSchema(many=True))
    @blp.paginate(**PAGE)
    def get(self, filters, pagination_parameters):
        """List return-visit decisions; `status=scheduled` is the calls still to make"""
        return paged(pagination_parameters, return_visits.list_visits, db.session, g.principal.tenant_id, filters)


@blp.route("/report")
class Report(MethodView):
    @requires("admin", "dispatcher")
    @blp.arguments(ReportQuerySchema, location="query")
    @blp.response(200, ReportSchema)
    def get(self, query):
        """Count a month's visits by result and by owner gender (004 四(一)5), and its follow-ups"""
        return return_visits.report(db.session, g.principal.tenant_id, query["month"], query.get("utility"))


@blp.route("/<uuid:visit_id>")
class ReturnVisitById(MethodView):
    @requires("admin", "dispatcher")
    @blp.response(200, ReturnVisitSchema)
    def get(self, visit_id):
        """Get a return visit"""
        return return_visits.get_visit(db.session, g.principal.tenant_id, visit_id)


@blp.route("/<uuid:visit_id>/result")
class VisitResult(MethodView):
    @requires("admin", "dispatcher")
    @blp.arguments(VisitResultSchema)
    @blp.response(200, ReturnVisitSchema)
    @blp.alt_response(409, description="`visit_not_open`")
    def post(self, fields, visit_id):
        """Record what the customer said; dissatisfied opens a follow-up due in 3 working days"""
        return return_visits.record_result(db.session, g.principal, visit_id, fields,
                                           targets=Targets.from_config(current_app.config))


@blp.route("/<uuid:visit_id>/follow-up")
class FollowUp(MethodView):
    @requires("admin", "dispatcher")
    @blp.arguments(FollowUpCloseSchema)
    @blp.response(200, ReturnVisitSchema)
    @blp.alt_response(409, description="`no_open_follow_up`")
    def post(self, body, visit_id):
        """Close a dissatisfied customer's follow-up (销号)"""
        return return_visits.close_follow_up(db.session, g.principal, visit_id, body["notes"])
