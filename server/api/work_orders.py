"""Work orders (工单) from approval to closing."""
from flask import g
from flask.views import MethodView

from schemas.dispatch import (
    DocumentsSchema,
    SuggestionsSchema,
    WorkOrderQuerySchema,
    WorkOrderSchema,
    WorkOrderTransitionSchema,
)
from server.api.blueprint import Blueprint
from server.api.pages import PAGE, paged
from server.api.trails import add_audit_route
from server.auth import requires
from server.extensions import db
from server.models import WorkOrder
from server.services import work_orders

blp = Blueprint("work_orders", __name__, url_prefix="/api/v1/work-orders",
                description="Work orders: one per utility of an approved survey; dispatchers assign construction "
                            "teams and record progress")


@blp.route("")
class WorkOrders(MethodView):
    @requires("admin", "dispatcher")
    @blp.arguments(WorkOrderQuerySchema, location="query")
    @blp.response(200, WorkOrderSchema(many=True))
    @blp.paginate(**PAGE)
    def get(self, filters, pagination_parameters):
        """List work orders, soonest start first"""
        return paged(pagination_parameters, work_orders.list_work_orders, db.session, g.principal.tenant_id, filters)


@blp.route("/<uuid:order_id>")
class WorkOrderById(MethodView):
    @requires("admin", "dispatcher")
    @blp.response(200, WorkOrderSchema)
    def get(self, order_id):
        """Get a work order with its document checklist"""
        return work_orders.get_work_order(db.session, g.principal.tenant_id, order_id)


@blp.route("/<uuid:order_id>/suggestions")
class Suggestions(MethodView):
    @requires("admin", "dispatcher")
    @blp.response(200, SuggestionsSchema)
    def get(self, order_id):
        """Rank the teams that could take the work order

        Active teams skilled for its utility: those whose service area contains the site first, then those
        with most capacity left on the start day, then the nearest.
        """
        return work_orders.suggest_teams(db.session, g.principal.tenant_id, order_id)


@blp.route("/<uuid:order_id>/transitions")
class Transitions(MethodView):
    @requires("admin", "dispatcher")
    @blp.arguments(WorkOrderTransitionSchema)
    @blp.response(200, WorkOrderSchema)
    @blp.alt_response(409, description="`illegal_transition` (details.allowed lists the legal ones), "
                                       "`team_at_capacity` or `checklist_incomplete` (details.missing)")
    def post(self, body, order_id):
        """Move a work order: assign a team, start, complete, connect (通水/通气), close

        Starting, completing and connecting set the application's deadline clocks; connecting decides the
        return visit; closing needs every required post-connection document.
        """
        return work_orders.transition(db.session, g.principal, order_id, body["to"], team_id=body.get("team_id"))


@blp.route("/<uuid:order_id>/documents/<string:key>")
class Documents(MethodView):
    @requires("admin", "dispatcher")
    @blp.arguments(DocumentsSchema)
    @blp.response(200, WorkOrderSchema)
    @blp.alt_response(409, description="`work_order_closed`")
    def put(self, body, order_id, key):
        """Record the blobs of one checklist document (replacing those recorded before)

        The blobs must have been uploaded first (422 `missing_blob` names those that were not).
        """
        return work_orders.record_document(db.session, g.principal, order_id, key, body["blobs"])


add_audit_route(blp, WorkOrder, "order_id", ("admin", "dispatcher"),
                "The work order's audit trail: created, every transition (who, from which device, when), documents")
