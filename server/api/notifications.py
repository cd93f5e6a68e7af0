"""The notification outbox for admins: what could not be delivered, and sending it again."""
from flask import g
from flask.views import MethodView

from schemas.notifications import NotificationQuerySchema, NotificationSchema
from server.api.blueprint import Blueprint
from server.api.pages import PAGE, paged
from server.auth import requires
from server.extensions import db
from server.services.notifications import outbox

blp = Blueprint("notifications", __name__, url_prefix="/api/v1/notifications",
                description="Alert emails and webhooks: parked ones (failed too often) and re-queueing them")


@blp.route("")
class Notifications(MethodView):
    @requires("admin")
    @blp.arguments(NotificationQuerySchema, location="query")
    @blp.response(200, NotificationSchema(many=True))
    @blp.paginate(**PAGE)
    def get(self, query, pagination_parameters):
        """List the tenant's notifications in a state (default `parked`), oldest first"""
        return paged(pagination_parameters, outbox.list_notifications, db.session, g.principal.tenant_id,
                     query["state"])


@blp.route("/<uuid:notification_id>/requeue")
class Requeue(MethodView):
    @requires("admin")
    @blp.response(200, NotificationSchema)
    @blp.alt_response(409, description="`not_parked`: only a parked notification is re-queued")
    def post(self, notification_id):
        """Send a parked notification again: a fresh set of attempts, due now"""
        return outbox.requeue(db.session, g.principal.tenant_id, notification_id)
