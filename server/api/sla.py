"""Deadline clocks and their alerts (超期预警督办), for the staff's dashboards."""
from flask import g
from flask.views import MethodView

from schemas.sla import AlertQuerySchema, AlertSchema, ClockSchema
from server.api.blueprint import Blueprint
from server.api.pages import PAGE, paged
from server.auth import requires
from server.extensions import db
from server.models import Application
from server.services import alerts, sla
from server.services.lookup import get_or_404

blp = Blueprint("sla", __name__, url_prefix="/api/v1/sla",
                description="Deadline clocks of every step, and the alerts the sweep (`tapline sla sweep`) raises")


@blp.route("/alerts")
class Alerts(MethodView):
    @requires("admin", "dispatcher")
    @blp.arguments(AlertQuerySchema, location="query")
    @blp.response(200, AlertSchema(many=True))
    @blp.paginate(**PAGE)
    def get(self, filters, pagination_parameters):
        """List alerts, newest first

        Each clock raises `warning` once the configured share of its time has elapsed, `overdue` past its
        due and `escalation` (to the tenant's admins) past the grace period, each once.
        """
        return paged(pagination_parameters, alerts.list_alerts, db.session, g.principal.tenant_id, filters)


@blp.route("/applications/<uuid:application_id>/clocks")
class Clocks(MethodView):
    @requires("admin", "dispatcher", "engineer")
    @blp.response(200, ClockSchema(many=True))
    def get(self, application_id):
        """The application's steps with their anchors, due and done times, soonest due first"""
        application = get_or_404(db.session, Application, g.principal.tenant_id, application_id)
        return sla.timeline(db.session, application.tenant_id, application.id)
