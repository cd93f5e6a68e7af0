"""Constraint layers (expressways, railways, rivers) imported by admins from GeoJSON."""
import uuid

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

import geo
from schemas.geo import CONSTRAINT_LAYERS
from server.errors import Unprocessable
from server.geometry import to_db
from server.models import ConstraintFeature
from server.services import records
from server.services.changes import record_change

CONSTRAINT_GEOMETRIES = ("LineString", "MultiLineString", "Polygon", "MultiPolygon")


def _parse_feature(feature: dict, index: int, crs: str, max_vertices: int) -> tuple[str, str, object]:
    path = f"features[{index}]"
    if feature.get("type") != "Feature":
        raise Unprocessable("each item must be a GeoJSON Feature", code="invalid_geojson", field=f"{path}.type")
    properties = feature.get("properties") or {}
    layer, name = properties.get("layer"), properties.get("name")
    if layer not in CONSTRAINT_LAYERS:
        raise Unprocessable(f"layer must be one of {', '.join(CONSTRAINT_LAYERS)}", code="invalid_layer",
                            field=f"{path}.properties.layer", details={"allowed": list(CONSTRAINT_LAYERS)})
    if not isinstance(name, str) or not name.strip():
        raise Unprocessable("each feature needs a name", code="missing_name", field=f"{path}.properties.name")
    geometry = geo.parse_geometry(feature.get("geometry"), field=f"{path}.geometry", allowed=CONSTRAINT_GEOMETRIES,
                                  crs=crs, max_vertices=max_vertices)
    return layer, name.strip(), geometry


def import_features(session: Session, tenant_id: uuid.UUID, *, features: list[dict], crs: str, replace: bool,
                    max_vertices: int) -> dict:
    """All or nothing: every feature is validated before any is stored."""
    parsed = [_parse_feature(f, i, crs, max_vertices) for i, f in enumerate(features)]
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
    session.commit()
    return {"imported": len(features), "replaced": len(removed)}


def list_features(session: Session, tenant_id: uuid.UUID, *, layer: str | None, offset: int, limit: int):
    query = records.query("constraint_feature", tenant_id)
    if layer:
        query = query.where(ConstraintFeature.layer == layer)
    total = session.scalar(select(func.count()).select_from(query.subquery()))
    rows = session.execute(query.order_by(ConstraintFeature.layer, ConstraintFeature.name)
                           .offset(offset).limit(limit)).mappings()
    return [dict(row) for row in rows], total
