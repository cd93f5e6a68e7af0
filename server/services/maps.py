"""The console's maps, each in one response as GeoJSON.

A task's map: its surveys' geometry, what lies around it and what is disputed.

Lengths are the geodesic ones geo/ measured for the latest determination (measured afresh for a survey not
yet determined). Coordinates are EPSG:4490 lon/lat, or GCJ-02 when the tenant's basemap tiles are in it,
so the overlays lie where they belong on those tiles; each vertex keeps its stored position in `at`.
"""
import uuid

import numpy as np
import shapely
from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry
from sqlalchemy import func, select
from sqlalchemy.orm import Session

import geo
from geo.gcj02 import wgs84_to_gcj02
from server.geometry import from_db, to_db
from server.models import Application, Comment, ConstraintFeature, ConstructionTeam, Survey, Tenant, WorkOrder
from server.models import Conflict as SyncConflict
from server.services import determinations, teams
from server.services.lookup import get_or_404
from server.services.measurements import measure_for_tenant
from server.services.tasks import get_task

#: Constraint features this far (degrees, about 1 km) around the task's geometry are drawn as context.
CONTEXT_MARGIN_DEG = 0.01
LAYERS = ("red_line", "green_areas", "constraints", "route", "route_outside", "crossings", "meter", "vertices",
          "conflicts", "comments")


def task_map(session: Session, principal, task_id: uuid.UUID) -> dict:
    """Every layer of the task's map as a FeatureCollection, the tenant's basemap and the extent to show."""
    task = get_task(session, principal, task_id)
    tenant = session.get(Tenant, task.tenant_id)
    shift = _to_gcj02 if tenant.basemap_gcj02 else None
    features = {name: [] for name in LAYERS}
    surveys = list(session.scalars(select(Survey).where(Survey.tenant_id == task.tenant_id, Survey.task_id == task.id)
                                   .order_by(Survey.utility)))
    measured = {d.survey_id: d.measurement for d in determinations.latest(session, task) if d.measurement}
    routes = []
    for survey in surveys:
        routes += _survey_features(session, features, survey, measured.get(survey.id))
    extent = [from_db(getattr(survey, name)) for survey in surveys for name in ("red_line", "route")
              if getattr(survey, name) is not None]
    if task.site is not None:
        extent.append(from_db(task.site))
    if extent:
        _constraint_features(session, features, task.tenant_id, shapely.union_all(extent), routes)
    _conflict_features(session, features, task)
    _comment_features(session, features, task, {survey.id: survey.utility for survey in surveys})
    layers = {name: _collection(items, shift) for name, items in features.items()}
    bounds = shapely.union_all(extent).bounds if extent else None
    return {"task_id": task.id, "crs": "GCJ-02" if shift else "EPSG:4490",
            "basemap": {"url": tenant.basemap_url, "gcj02": tenant.basemap_gcj02},
            "extent": list(_shifted_bounds(bounds, shift)) if bounds else None, "layers": layers}


def _survey_features(session: Session, features: dict, survey: Survey, measurement: dict | None) -> list:
    """The survey's own geometry into `features`; returns its route (for crossings) if it has one."""
    utility = survey.utility
    red_line, route = from_db(survey.red_line), from_db(survey.route)
    if red_line is not None:
        features["red_line"].append(_feature(red_line, utility=utility))
        features["vertices"] += _vertices(red_line, utility, "red_line")
    if survey.green_areas is not None:
        features["green_areas"] += [_feature(area, utility=utility) for area in from_db(survey.green_areas).geoms]
    if survey.meter_position is not None:
        features["meter"].append(_feature(from_db(survey.meter_position), utility=utility, meter_dn=survey.meter_dn))
    if route is None:
        return []
    if measurement is None and red_line is not None:
        measurement = measure_for_tenant(session, survey.tenant_id, geo.MeasureRequest(
            crs="EPSG:4490", route=route, red_line=red_line, green_areas=(), main=None)).to_dict()
    lengths = {name: measurement[name] for name in ("total_length_m", "inside_length_m", "outside_length_m")} \
        if measurement else {}
    features["route"].append(_feature(route, utility=utility, **lengths))
    features["vertices"] += _vertices(route, utility, "route")
    if measurement and measurement["outside_route"]["coordinates"]:
        features["route_outside"].append(_feature(shape(measurement["outside_route"]), utility=utility,
                                                  outside_length_m=measurement["outside_length_m"]))
    return [route]


def _vertices(geometry: BaseGeometry, utility: str, of: str) -> list[dict]:
    """Each vertex as a point a comment can be pinned to (a closing ring vertex once)."""
    seen, points = set(), []
    for index, (lon, lat) in enumerate(shapely.get_coordinates(geometry).tolist()):
        if (lon, lat) not in seen:
            seen.add((lon, lat))
            points.append({"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]},
                           "properties": {"utility": utility, "of": of, "index": index, "at": [lon, lat]}})
    return points


def _constraint_features(session: Session, features: dict, tenant_id: uuid.UUID, around: BaseGeometry,
                         routes: list) -> None:
    """The tenant's constraint features near the task; where a route crosses one, the crossing itself."""
    box = func.ST_Expand(func.ST_Envelope(to_db(around)), CONTEXT_MARGIN_DEG)
    rows = session.execute(select(ConstraintFeature.layer, ConstraintFeature.name, ConstraintFeature.geom)
                           .where(ConstraintFeature.tenant_id == tenant_id, ConstraintFeature.geom.op("&&")(box))
                           .order_by(ConstraintFeature.layer, ConstraintFeature.name)).all()
    for layer, name, stored in rows:
        geometry = from_db(stored)
        crossed = [shapely.intersection(route, geometry) for route in routes if shapely.intersects(route, geometry)]
        features["constraints"].append(_feature(geometry, layer=layer, name=name, crossed=bool(crossed)))
        features["crossings"] += [_feature(where, layer=layer, name=name) for where in crossed]


def _conflict_features(session: Session, features: dict, task) -> None:
    """Open geometry conflicts as both shapes, with what moved (geo.compare_geometries' figures)."""
    conflicts = session.scalars(select(SyncConflict).where(SyncConflict.tenant_id == task.tenant_id,
                                                           SyncConflict.task_id == task.id,
                                                           SyncConflict.status == "open")
                                .order_by(SyncConflict.created_at))
    for conflict in conflicts:
        for side in ("server", "device"):
            value = getattr(conflict, f"{side}_value")
            if isinstance(value, dict) and "coordinates" in value:
                features["conflicts"].append(_feature(shape(value), conflict_id=str(conflict.id), side=side,
                                                      field=conflict.field, details=conflict.details))


def _comment_features(session: Session, features: dict, task, utility_of: dict) -> None:
    comments = session.scalars(select(Comment).where(Comment.tenant_id == task.tenant_id, Comment.task_id == task.id,
                                                     Comment.deleted_at.is_(None)).order_by(Comment.created_at))
    for comment in comments:
        vertex = (comment.target or {}).get("vertex")
        if vertex:
            features["comments"].append({"type": "Feature", "geometry": {"type": "Point", "coordinates": vertex},
                                         "properties": {"id": str(comment.id), "body": comment.body,
                                                        "utility": utility_of.get(comment.survey_id)}})


def _feature(geometry: BaseGeometry, **properties) -> dict:
    return {"type": "Feature", "geometry": mapping(geometry), "properties": properties}


def _to_gcj02(coordinates: np.ndarray) -> np.ndarray:
    return np.column_stack(wgs84_to_gcj02(coordinates[:, 0], coordinates[:, 1]))


def _shifted(feature: dict, shift) -> dict:
    if shift is None:
        return feature
    return {**feature, "geometry": mapping(shapely.transform(shape(feature["geometry"]), shift))}


def _shifted_bounds(bounds: tuple, shift) -> tuple:
    if shift is None:
        return bounds
    return tuple(shapely.transform(shapely.box(*bounds), shift).bounds)


def work_order_map(session: Session, tenant_id: uuid.UUID, order_id: uuid.UUID) -> dict:
    """The work order's site and the service areas of the teams suggested for it (rank 1 = best), as GeoJSON."""
    order = get_or_404(session, WorkOrder, tenant_id, order_id)
    ranked = teams.suggestions(session, order)["teams"]
    areas = {team.id: team for team in session.scalars(select(ConstructionTeam).where(
        ConstructionTeam.tenant_id == tenant_id, ConstructionTeam.id.in_([t["team_id"] for t in ranked])))}
    site = session.scalar(select(Application.location).where(Application.tenant_id == tenant_id,
                                                             Application.id == order.application_id))
    tenant = session.get(Tenant, tenant_id)
    shift = _to_gcj02 if tenant.basemap_gcj02 else None
    team_features = [_feature(from_db(areas[t["team_id"]].service_area), rank=rank, team_id=str(t["team_id"]),
                              name=t["name"], covers_site=t["covers_site"], remaining_capacity=t["remaining_capacity"])
                     for rank, t in enumerate(ranked, start=1)]
    site_features = [] if site is None else [_feature(from_db(site))]
    shown = [shape(f["geometry"]) for f in team_features + site_features]
    bounds = shapely.union_all(shown).bounds if shown else None
    return {"work_order_id": order.id, "crs": "GCJ-02" if shift else "EPSG:4490",
            "basemap": {"url": tenant.basemap_url, "gcj02": tenant.basemap_gcj02},
            "extent": list(_shifted_bounds(bounds, shift)) if bounds else None,
            "layers": {"teams": _collection(team_features, shift), "site": _collection(site_features, shift)}}


def _collection(features: list[dict], shift) -> dict:
    return {"type": "FeatureCollection", "features": [_shifted(feature, shift) for feature in features]}
