"""Exports: a task, an application or a constraint layer as GeoJSON; GeoPackage, DXF and the PDF site drawing.

Read-only and scoped like the task list: a crew exports its crews' tasks, another tenant's task is a 404.
Formats and limits: docs/exports.md.
"""
from flask import Response, current_app, g, stream_with_context
from flask.views import MethodView

from schemas.exports import ConstraintLayerPathSchema, SelectionQuerySchema
from schemas.users import ROLES
from server.api.blueprint import Blueprint
from server.auth import requires
from server.extensions import db
from server.services import exports
from server.services.exports import ExportFile

blp = Blueprint("exports", __name__, url_prefix="/api/v1/exports", description=(
    "Geometry out: GeoJSON (RFC 7946), GeoPackage (EPSG:4490), DXF (CGCS2000 3° Gauss-Krüger zone of the site) "
    "and the A3 PDF site drawing. See docs/exports.md."))

GEOJSON = {"application/geo+json": {"schema": {"type": "object"}}}


def _file(media_type: str, what: str) -> dict:
    return {"responses": {"200": {"description": what, "content": {media_type: {"schema": {
        "type": "string", "format": "binary"}}}}, "404": {"description": "no such task the caller may see"}}}


def _send(export: ExportFile) -> Response:
    content = export.content
    if not isinstance(content, bytes | str) and hasattr(content, "__next__"):
        content = stream_with_context(content)
    headers = {"Content-Disposition": f"attachment; filename*=UTF-8''{export.filename}",
               "Tapline-Export-Tasks": str(export.tasks)}
    if export.size is not None:
        headers["Content-Length"] = str(export.size)
    return Response(content, mimetype=export.media_type, headers=headers, direct_passthrough=True)


def _geojson(collection: dict) -> Response:
    response = current_app.json.response(collection)
    response.mimetype = "application/geo+json"
    return response


def _store():
    return current_app.extensions["tapline_blobs"]


@blp.route("/tasks/<uuid:task_id>/geojson")
class TaskGeoJson(MethodView):
    @requires(*ROLES)
    @blp.doc(responses={"200": {"description": "FeatureCollection, one feature per layer and survey",
                                "content": GEOJSON}})
    def get(self, task_id):
        """A task's site as a GeoJSON FeatureCollection: red lines, routes inside/outside, mains, green areas, meters"""
        return _geojson(exports.task_geojson(db.session, _store(), g.principal, task_id))


@blp.route("/applications/<uuid:application_id>/geojson")
class ApplicationGeoJson(MethodView):
    @requires(*ROLES)
    @blp.doc(responses={"200": {"description": "FeatureCollection of the application's tasks", "content": GEOJSON}})
    def get(self, application_id):
        """An application's surveyed sites as a GeoJSON FeatureCollection"""
        return _geojson(exports.application_geojson(db.session, _store(), g.principal, application_id))


@blp.route("/constraint-layers/<string:layer>/geojson")
class ConstraintLayerGeoJson(MethodView):
    @requires(*ROLES)
    @blp.arguments(ConstraintLayerPathSchema, location="path", as_kwargs=True)
    @blp.doc(responses={"200": {"description": "FeatureCollection, `name` per feature", "content": GEOJSON}})
    def get(self, layer):
        """One constraint layer of the tenant as a GeoJSON FeatureCollection (re-importable as it is)"""
        return _geojson(exports.constraint_layer_geojson(db.session, g.principal.tenant_id, layer))


@blp.route("/tasks/geojson")
class SelectionGeoJson(MethodView):
    @requires(*ROLES)
    @blp.arguments(SelectionQuerySchema, location="query")
    @blp.doc(responses={"200": {"description": "FeatureCollection, streamed", "content": GEOJSON},
                        "422": {"description": "`export_too_large`: more tasks than TAPLINE_EXPORT_MAX_TASKS"}})
    def get(self, filters):
        """The selected tasks as one GeoJSON FeatureCollection, streamed task by task"""
        return _send(exports.selection_geojson(db.session, _store(), g.principal, filters,
                                               max_tasks=current_app.config["EXPORT_MAX_TASKS"]))


@blp.route("/tasks/gpkg")
class SelectionGeoPackage(MethodView):
    @requires(*ROLES)
    @blp.arguments(SelectionQuerySchema, location="query")
    @blp.doc(**_file("application/geopackage+sqlite3", "GeoPackage, one layer per kind of feature"))
    def get(self, filters):
        """The selected tasks (by survey date, crew, status, area) as one GeoPackage in EPSG:4490"""
        return _send(exports.selection_geopackage(db.session, _store(), g.principal, filters,
                                                  max_tasks=current_app.config["EXPORT_MAX_TASKS"]))


@blp.route("/tasks/<uuid:task_id>/gpkg")
class TaskGeoPackage(MethodView):
    @requires(*ROLES)
    @blp.doc(**_file("application/geopackage+sqlite3", "GeoPackage, one layer per kind of feature"))
    def get(self, task_id):
        """A task as a GeoPackage in EPSG:4490"""
        return _send(exports.task_geopackage(db.session, _store(), g.principal, task_id))


@blp.route("/tasks/<uuid:task_id>/dxf")
class TaskDxf(MethodView):
    @requires(*ROLES)
    @blp.doc(**_file("image/vnd.dxf", "DXF R2010 in the site's CGCS2000 3° Gauss-Krüger zone, metres"))
    def get(self, task_id):
        """A task's site for CAD: 红线, 外线管道, 内线管道, 市政管道, 绿地 layers, lengths and DN along the pipes"""
        return _send(exports.task_dxf(db.session, g.principal, task_id))


@blp.route("/tasks/<uuid:task_id>/pdf")
class TaskSiteDrawing(MethodView):
    @requires(*ROLES)
    @blp.doc(**_file("application/pdf", "A3 landscape site drawing (现场出图)"))
    def get(self, task_id):
        """A task's printed site drawing: map at 1:500/1:1000/1:2000, measurements, determination, photos, signature"""
        return _send(exports.task_site_drawing(db.session, _store(), g.principal, task_id))
