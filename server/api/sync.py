"""The offline sync protocol (docs/sync-protocol.md): pull, push, receipts and conflicts."""
from datetime import timedelta

from flask import current_app, g, request
from flask.views import MethodView

from schemas.reads import WRITE_POSITION, ReadAfterSchema
from schemas.sync import (
    ConflictSchema,
    PullQuerySchema,
    PullSchema,
    PushResultSchema,
    PushSchema,
    ReceiptSchema,
    ResolveSchema,
)
from schemas.users import ROLES
from server import metrics
from server.api.blueprint import Blueprint
from server.api.pages import PAGE, paged
from server.auth import requires
from server.extensions import db
from server.services.sync import conflicts, feed, push, receipts

blp = Blueprint("sync", __name__, url_prefix="/api/v1/sync", description=(
    "Offline sync: pull the changes in the device's scope after a cursor; push batches of mutations, each atomic "
    "and idempotent by mutation_id; fetch a receipt again. See docs/sync-protocol.md."))
conflicts_blp = Blueprint("conflicts", __name__, url_prefix="/api/v1/conflicts",
                          description="Edits that met a concurrent one: both values kept until a person resolves them")


@blp.route("/pull")
class Pull(MethodView):
    @requires(*ROLES)
    @blp.arguments(PullQuerySchema, location="query")
    @blp.arguments(ReadAfterSchema, location="headers", as_kwargs=True)
    @blp.response(200, PullSchema)
    def get(self, query, min_lsn=None):
        """Changes after the cursor: upserts, deletes (tombstones) and revokes, oldest first"""
        # The page is already in PullSchema's shape (feed.change builds every item); dumping it through the
        # schema again walked thousands of items for nothing, so it is written as it is.
        cursor = query.get("cursor")
        page = db.read(feed.pull, g.principal, cursor, query["limit"], min_lsn=min_lsn,
                       primary_only=feed.reads_snapshot(cursor))
        metrics.count_pull(page)
        return current_app.json.response(page)


@blp.route("/push")
class Push(MethodView):
    @requires(*ROLES)
    @blp.arguments(PushSchema)
    @blp.response(200, PushResultSchema, headers=WRITE_POSITION)
    def post(self, body):
        """Apply a batch of mutations; one receipt per mutation, in order"""
        config = current_app.config
        window = (timedelta(days=config["SYNC_DEVICE_TIME_MAX_AGE_DAYS"]),
                  timedelta(hours=config["SYNC_DEVICE_TIME_MAX_AHEAD_HOURS"]))
        pushed = push.push(db.session, g.principal, body["mutations"], max_mutations=config["SYNC_MAX_MUTATIONS"],
                           max_vertices=config["MAX_VERTICES"], device_time_window=window)
        metrics.count_push(pushed.results)
        # Receipts are built in PushResultSchema's shape (receipts.receipt_view, or its JSON text for a replay);
        # dumping a thousand of them through the schema again is work for nothing, so they are written as they
        # are, as pull's pages are.
        return current_app.json.response({"receipts": pushed.receipts})


@blp.before_request
def _larger_push_bodies():
    if request.endpoint == "sync.Push":
        request.max_content_length = current_app.config["SYNC_PUSH_MAX_BYTES"]


@blp.route("/receipts/<uuid:mutation_id>")
class ReceiptById(MethodView):
    @requires(*ROLES)
    @blp.response(200, ReceiptSchema)
    def get(self, mutation_id):
        """The receipt of a mutation this device pushed (when the push's response was lost)"""
        return receipts.get_receipt(db.session, g.principal, mutation_id)


@conflicts_blp.route("")
class Conflicts(MethodView):
    @requires("engineer", "dispatcher", "admin")
    @conflicts_blp.response(200, ConflictSchema(many=True))
    @conflicts_blp.paginate(**PAGE)
    def get(self, pagination_parameters):
        """Open conflicts of the tenant, oldest first"""
        return paged(pagination_parameters, conflicts.list_open, db.session, g.principal.tenant_id)


@conflicts_blp.route("/<uuid:conflict_id>/resolve")
class Resolve(MethodView):
    @requires("engineer")
    @conflicts_blp.arguments(ResolveSchema)
    @conflicts_blp.response(200, ConflictSchema)
    def post(self, body, conflict_id):
        """Keep the server's value, the device's, or a third value; the record gets a new version"""
        return conflicts.resolve(db.session, g.principal, conflict_id, body["choose"], body.get("value"),
                                 max_vertices=current_app.config["MAX_VERTICES"])
