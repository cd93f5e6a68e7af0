"""Liveness and readiness probes for load balancers and orchestrators."""
from flask import current_app
from flask.views import MethodView

from schemas.health import HealthSchema
from server.api.blueprint import Blueprint
from server.extensions import db
from server.services.health import readiness

blp = Blueprint("health", __name__, url_prefix="", description="Probes")


@blp.route("/healthz")
class Health(MethodView):
    @blp.doc(security=[])
    @blp.response(200, HealthSchema)
    def get(self):
        """The process is up (no database call)"""
        return {"status": "ok"}


@blp.route("/readyz")
class Ready(MethodView):
    @blp.doc(security=[])
    @blp.response(200, HealthSchema)
    @blp.alt_response(503, schema=HealthSchema, description="database unreachable or migrations not at head")
    def get(self):
        """The database is reachable and its schema is at the latest migration; how many workers are alive;
        each replica's state

        `checks.workers` reports the workers' heartbeats without failing the probe: a load balancer must not
        take every web server out because the worker died. Alert on it from `/metrics` instead.
        """
        report = readiness(db.engine, db.replicas, worker_stale_s=current_app.config["WORKER_STALE_SECONDS"])
        return report, (200 if report["status"] == "ok" else 503)
