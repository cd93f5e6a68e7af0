"""The app factory: `create_app(config)`; nothing connects to the database at import time."""
from flask import Flask, current_app, request
from werkzeug.middleware.proxy_fix import ProxyFix

from schemas.sync import MutationSchema
from server import console, gunicorn_worker, i18n, logs, metrics, request_json, request_log
from server.api import BLUEPRINTS, docs_assets, pages
from server.config import Config
from server.error_codes import ServerCode
from server.errors import ApiError
from server.extensions import api, db
from server.json_codec import OrjsonProvider

JSON_METHODS = ("POST", "PUT", "PATCH")


def create_app(config: Config | None = None) -> Flask:
    config = config or Config.from_env()
    app = Flask(__name__)
    app.config.update(config.as_flask())
    app.json = OrjsonProvider(app)
    db.init_app(app)
    api.init_app(app, spec_kwargs={"extra_plugins": [pages.PageSizeLimit(app.config["PAGE_SIZE_MAX"])]})
    request_json.install()
    gunicorn_worker.init_app(app)
    for blueprint in BLUEPRINTS:
        api.register_blueprint(blueprint)
    app.register_blueprint(docs_assets.blp)
    # Push reads each mutation on its own (PushSchema), so the spec is told their shape here.
    api.spec.components.schema("Mutation", schema=MutationSchema)
    logs.configure()
    console.init_app(app)
    request_log.init_app(app)
    metrics.init_app(app)
    i18n.init_app(app)
    app.before_request(_require_json_body)
    if app.config["PROXY_HOPS"]:
        hops = app.config["PROXY_HOPS"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    return app


def _require_json_body() -> None:
    """Bodies are JSON, except on views that stream raw bytes (blobs) and the console's HTML forms."""
    if request.method not in JSON_METHODS or not (request.content_length or request.headers.get("Transfer-Encoding")):
        return
    if request.blueprint == console.blp.name:
        return
    view = request.url_rule and request.url_rule.endpoint
    if view and getattr(_view_class(view), "accepts_raw_body", False):
        return
    if not request.is_json:
        raise ApiError(ServerCode.UNSUPPORTED_MEDIA_TYPE,
                       f"the body must be application/json, not {request.mimetype or 'unspecified'}",
                       details={"accepted": ["application/json"]})


def _view_class(endpoint: str):
    view = current_app.view_functions.get(endpoint)
    return getattr(view, "view_class", view)
