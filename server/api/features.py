"""OGC API – Features, Part 1: Core, read-only, behind the same bearer tokens (docs/exports.md: QGIS, GDAL).

Bad query parameters are 400 here, as the standard asks, in the usual error shape.
"""
import marshmallow as ma
from flask import current_app, g, request, url_for
from flask.views import MethodView

from schemas.features import FormatQuerySchema, ItemsQuerySchema
from schemas.users import ROLES
from server.api.blueprint import Blueprint
from server.auth import requires
from server.extensions import db
from server.services import features

blp = Blueprint("features", __name__, url_prefix="/api/v1/features", description=(
    "OGC API – Features (Part 1: Core, GeoJSON, OpenAPI 3.0): red lines, routes, mains, green areas and each "
    "constraint layer of the tenant, for QGIS and GDAL. See docs/exports.md."))

JSON_DOC = {"200": {"description": "JSON", "content": {"application/json": {"schema": {"type": "object"}}}}}
GEOJSON_DOC = {"200": {"description": "GeoJSON", "content": {"application/geo+json": {"schema": {"type": "object"}}}},
               "404": {"description": "no such collection or feature"}}


def _base() -> str:
    return url_for("features.Landing", _external=True)


def _json(body: dict, media_type: str = "application/json"):
    response = current_app.json.response(body)
    response.mimetype = media_type
    return response


@blp.route("")
class Landing(MethodView):
    @requires(*ROLES)
    @blp.arguments(FormatQuerySchema, location="query", unknown=ma.RAISE, error_status_code=400)
    @blp.doc(responses=JSON_DOC)
    def get(self, _query):
        """Landing page: links to the API definition, conformance and collections"""
        return _json(features.landing(_base(), url_for("api-docs.openapi_json", _external=True),
                                      url_for("api-docs.openapi_swagger_ui", _external=True)))


@blp.route("/conformance")
class Conformance(MethodView):
    @requires(*ROLES)
    @blp.arguments(FormatQuerySchema, location="query", unknown=ma.RAISE, error_status_code=400)
    @blp.doc(responses=JSON_DOC)
    def get(self, _query):
        """The conformance classes implemented: Core, GeoJSON, OpenAPI 3.0"""
        return _json(features.conformance())


@blp.route("/collections")
class Collections(MethodView):
    @requires(*ROLES)
    @blp.arguments(FormatQuerySchema, location="query", unknown=ma.RAISE, error_status_code=400)
    @blp.doc(responses=JSON_DOC)
    def get(self, _query):
        """The collections: red_lines, routes, mains, green_areas and constraint_<layer> per constraint layer"""
        return _json(features.collections(db.session, g.principal, _base()))


@blp.route("/collections/<string:collection_id>")
class CollectionById(MethodView):
    @requires(*ROLES)
    @blp.arguments(FormatQuerySchema, location="query", unknown=ma.RAISE, error_status_code=400)
    @blp.doc(responses={**JSON_DOC, "404": GEOJSON_DOC["404"]})
    def get(self, _query, collection_id):
        """One collection: its extent (CRS84; survey collections also in time) and links"""
        return _json(features.collection(db.session, g.principal, _base(), collection_id))


@blp.route("/collections/<string:collection_id>/items")
class Items(MethodView):
    @requires(*ROLES)
    @blp.arguments(ItemsQuerySchema, location="query", unknown=ma.RAISE, error_status_code=400)
    @blp.doc(responses=GEOJSON_DOC)
    def get(self, query, collection_id):
        """Features of a collection, a page at a time (`bbox`, `datetime` on survey collections, `limit`, `offset`)"""
        return _json(features.items(db.session, g.principal, _base(), collection_id, query, request.args.to_dict(),
                                    max_limit=current_app.config["FEATURES_LIMIT_MAX"]), "application/geo+json")


@blp.route("/collections/<string:collection_id>/items/<uuid:feature_id>")
class Item(MethodView):
    @requires(*ROLES)
    @blp.arguments(FormatQuerySchema, location="query", unknown=ma.RAISE, error_status_code=400)
    @blp.doc(responses=GEOJSON_DOC)
    def get(self, _query, collection_id, feature_id):
        """One feature"""
        return _json(features.item(db.session, g.principal, _base(), collection_id, feature_id),
                     "application/geo+json")
