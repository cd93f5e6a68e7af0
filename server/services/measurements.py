"""Measure a route against a red line with the tenant's constraint layers (crossings)."""
import uuid

from sqlalchemy import func, select
from sqlalchemy.orm import Session

import geo
from server.geometry import from_db, to_db
from server.models import ConstraintFeature


def constraints_near(session: Session, tenant_id: uuid.UUID, route) -> list[geo.ConstraintFeature]:
    """The tenant's constraint features whose boxes meet the route's (GiST index), as geo features."""
    rows = session.execute(
        select(ConstraintFeature.layer, ConstraintFeature.name, ConstraintFeature.geom)
        .where(ConstraintFeature.tenant_id == tenant_id,
               ConstraintFeature.geom.op("&&")(func.ST_Envelope(to_db(route))))
    ).all()
    return [geo.ConstraintFeature(layer=layer, name=name, geometry=from_db(geom)) for layer, name, geom in rows]


def measure_for_tenant(session: Session, tenant_id: uuid.UUID, request: geo.MeasureRequest) -> geo.Measurement:
    return geo.measure(request, constraints_near(session, tenant_id, request.route))

