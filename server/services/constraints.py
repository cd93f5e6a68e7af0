"""Constraint layers (expressways, railways, rivers) imported by admins from GeoJSON or a GeoPackage."""
import uuid
from collections.abc import Iterable

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

import geo
from geo import CONSTRAINT_LAYERS
from geo.codes import GeoCode
from server.error_codes import ServerCode
from server.errors import ApiError
from server.exports.geopackage import read_geopackage
from server.geometry import to_db
from server.models import ConstraintFeature
from server.services import records
from server.services.changes import record_change
from server.unit_of_work import commits

CONSTRAINT_GEOMETRIES = ("LineString", "MultiLineString", "Polygon", "MultiPolygon")


def _parse_feature(feature: dict, index: int, crs: str, max_vertices: int, layer: str | None,
                   name_field: str) -> tuple[str, str, object]:
    path = f"features[{index}]"
    if feature.get("type") != "Feature":
        raise ApiError(GeoCode.INVALID_GEOJSON, "each item must be a GeoJSON Feature", field=f"{path}.type")
    properties = feature.get("properties") or {}
    layer, name = properties.get("layer") or layer, properties.get(name_field)
    if layer not in CONSTRAINT_LAYERS:
        raise ApiError(ServerCode.INVALID_LAYER,
                       f"layer must be one of {', '.join(CONSTRAINT_LAYERS)} (a property, or `layer` in the "
                       "query for the whole file)", field=f"{path}.properties.layer",
                       details={"allowed": list(CONSTRAINT_LAYERS)})
    if isinstance(name, int | float) and not isinstance(name, bool):
        name = str(name)
    if not isinstance(name, str) or not name.strip():
        raise ApiError(ServerCode.MISSING_NAME, f"each feature needs a name in its `{name_field}` property",
                       field=f"{path}.properties.{name_field}")
    geometry = geo.parse_geometry(feature.get("geometry"), field=f"{path}.geometry", allowed=CONSTRAINT_GEOMETRIES,
                                  crs=crs, max_vertices=max_vertices)
    return layer, name.strip(), geometry


def import_collection(session: Session, tenant_id: uuid.UUID, body: dict, options: dict, *, max_vertices: int) -> dict:
    """Import a JSON body: Tapline's own, or a FeatureCollection whose `crs` member must name lon/lat (422 else)."""
    crs = body["crs"] if isinstance(body["crs"], str) else geo.crs_of_geojson_member(body["crs"])
    return import_features(session, tenant_id, features=body["features"], crs=crs,
                           replace=body["replace"] or options["replace"], max_vertices=max_vertices,
                           layer=options.get("layer"), name_field=options["name_field"])


def import_geopackage(session: Session, tenant_id: uuid.UUID, content: Iterable[bytes], options: dict, *,
                      max_vertices: int, max_features: int) -> dict:
    """Import one layer of an uploaded GeoPackage (in EPSG:4490, 4326 or a CGCS2000 Gauss-Krüger zone)."""
    crs, features = read_geopackage(content, options.get("source_layer"), max_features=max_features)
    return import_features(session, tenant_id, features=features, crs=crs, replace=options["replace"],
                           max_vertices=max_vertices, layer=options.get("layer"), name_field=options["name_field"])


@commits
def import_features(session: Session, tenant_id: uuid.UUID, *, features: list[dict], crs: str, replace: bool,
                    max_vertices: int, layer: str | None = None, name_field: str = "name") -> dict:
    """All or nothing: every feature is validated before any is stored."""
    parsed = [_parse_feature(f, i, crs, max_vertices, layer, name_field) for i, f in enumerate(features)]
    removed: list[uuid.UUID] = []
    if replace:
        layers = sorted({layer for layer, _, _ in parsed})
        removed = list(session.scalars(delete(ConstraintFeature).where(
            ConstraintFeature.tenant_id == tenant_id, ConstraintFeature.layer.in_(layers))
            .returning(ConstraintFeature.id)))
    features = [ConstraintFeature(tenant_id=tenant_id, id=uuid.uuid4(), layer=layer, name=name, geom=to_db(g))
                for layer, name, g in parsed]
    session.add_all(features)
    for feature_id in removed:
        record_change(session, tenant_id, "constraint_feature", feature_id, 0, reference=True, op="delete")
    for feature in features:
        record_change(session, tenant_id, "constraint_feature", feature.id, 1, reference=True)
    return {"imported": len(features), "replaced": len(removed)}


def list_features(session: Session, tenant_id: uuid.UUID, *, layer: str | None, offset: int, limit: int):
    query = records.query("constraint_feature", tenant_id)
    if layer:
        query = query.where(ConstraintFeature.layer == layer)
    total = session.scalar(select(func.count()).select_from(query.subquery()))
    rows = session.execute(query.order_by(ConstraintFeature.layer, ConstraintFeature.name)
                           .offset(offset).limit(limit)).mappings()
    return [dict(row) for row in rows], total


def layer_counts(session: Session, tenant_id: uuid.UUID) -> dict[str, int]:
    """How many features each of the tenant's constraint layers holds."""
    return dict(session.execute(select(ConstraintFeature.layer, func.count())
                                .where(ConstraintFeature.tenant_id == tenant_id)
                                .group_by(ConstraintFeature.layer).order_by(ConstraintFeature.layer)).all())
