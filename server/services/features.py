"""OGC API – Features, Part 1: Core (read-only): the tenant's survey geometry and constraint layers as collections.

QGIS and GDAL open it as a live layer. Scope is the task list's: a crew sees its crews' surveys only. Items
page by `offset`/`limit` with `next`/`prev` links; lengths and areas are geo's, as in every export.
"""
import uuid
from datetime import UTC, datetime
from urllib.parse import urlencode

from shapely.geometry.base import BaseGeometry
from sqlalchemy import Select, and_, func, select
from sqlalchemy.dialects.postgresql import distinct_on
from sqlalchemy.orm import Session

import geo
from geo.geodesic import area_m2, length_m
from server.errors import NotFound
from server.exports import geojson
from server.exports.layers import Feature, common_properties, red_line_summary
from server.exports.sheets import SurveySheet, TaskSheet
from server.geometry import from_db
from server.models import Application, ConstraintFeature, Crew, Determination, Survey, SurveyTask
from server.services.tasks import visible

CONFORMANCE = [
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
]
CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
GEOJSON, JSON = "application/geo+json", "application/json"
#: Survey collections: title and the column each shows.
SURVEY_COLLECTIONS = {
    "red_lines": ("建筑区划红线 red lines", Survey.red_line),
    "routes": ("管线路由 routes, main to meter", Survey.route),
    "mains": ("市政管道 municipal mains", Survey.main),
    "green_areas": ("绿地 green areas", Survey.green_areas),
}
CONSTRAINT_PREFIX = "constraint_"


def landing(base: str, api_url: str, docs_url: str) -> dict:
    return {"title": "Tapline OGC API – Features",
            "description": "Surveyed red lines, routes, mains, green areas and constraint layers of this tenant",
            "links": [_link(f"{base}", "self", JSON, "this document"),
                      _link(api_url, "service-desc", "application/vnd.oai.openapi+json;version=3.0",
                            "the API definition (OpenAPI 3.0)"),
                      _link(docs_url, "service-doc", "text/html", "the API documentation"),
                      _link(f"{base}/conformance", "conformance", JSON, "conformance classes"),
                      _link(f"{base}/collections", "data", JSON, "the collections")]}


def conformance() -> dict:
    return {"conformsTo": CONFORMANCE}


def collections(session: Session, principal, base: str) -> dict:
    found = [_survey_collection(session, principal, base, cid) for cid in SURVEY_COLLECTIONS]
    layers = session.execute(select(ConstraintFeature.layer, func.ST_Extent(ConstraintFeature.geom))
                             .where(ConstraintFeature.tenant_id == principal.tenant_id)
                             .group_by(ConstraintFeature.layer).order_by(ConstraintFeature.layer)).all()
    found += [_collection(base, f"{CONSTRAINT_PREFIX}{layer}", f"约束图层 constraint layer {layer}", box, None)
              for layer, box in layers]
    return {"links": [_link(f"{base}/collections", "self", JSON, "the collections")], "collections": found}


def collection(session: Session, principal, base: str, collection_id: str) -> dict:
    if collection_id in SURVEY_COLLECTIONS:
        return _survey_collection(session, principal, base, collection_id)
    layer = _constraint_layer(collection_id)
    box = session.scalar(select(func.ST_Extent(ConstraintFeature.geom)).where(
        ConstraintFeature.tenant_id == principal.tenant_id, ConstraintFeature.layer == layer))
    if box is None:
        raise NotFound("collection", collection_id)
    return _collection(base, collection_id, f"约束图层 constraint layer {layer}", box, None)


def items(session: Session, principal, base: str, collection_id: str, query: dict, raw_query: dict[str, str], *,
          max_limit: int) -> dict:
    """One page of a collection's features as a GeoJSON FeatureCollection with OGC paging links.

    `raw_query` is the query string as sent, so the links repeat the filters exactly.
    """
    limit, offset = min(query["limit"], max_limit), query["offset"]
    if collection_id in SURVEY_COLLECTIONS:
        selection = _surveys(session, principal, collection_id, query)
    else:
        selection = _constraints(principal, _constraint_layer(collection_id), query)
        if session.scalar(select(func.count()).select_from(ConstraintFeature).where(
                ConstraintFeature.tenant_id == principal.tenant_id,
                ConstraintFeature.layer == _constraint_layer(collection_id))) == 0:
            raise NotFound("collection", collection_id)
    matched = session.scalar(select(func.count()).select_from(selection.subquery()))
    rows = session.execute(selection.offset(offset).limit(limit)).all()
    features = _features(session, collection_id, rows)
    url = f"{base}/collections/{collection_id}/items"
    links = [_link(_page(url, raw_query, offset, limit), "self", GEOJSON, "this page")]
    if offset + limit < matched:
        links.append(_link(_page(url, raw_query, offset + limit, limit), "next", GEOJSON, "next page"))
    if offset > 0:
        links.append(_link(_page(url, raw_query, max(offset - limit, 0), limit), "prev", GEOJSON, "previous page"))
    links.append(_link(f"{base}/collections/{collection_id}", "collection", JSON, "the collection"))
    return {"type": "FeatureCollection", "timeStamp": datetime.now(UTC).isoformat(timespec="seconds"),
            "numberMatched": matched, "numberReturned": len(features), "links": links, "features": features}


def item(session: Session, principal, base: str, collection_id: str, feature_id: uuid.UUID) -> dict:
    if collection_id in SURVEY_COLLECTIONS:
        selection = _surveys(session, principal, collection_id, {}).where(Survey.id == feature_id)
    else:
        selection = _constraints(principal, _constraint_layer(collection_id), {}).where(
            ConstraintFeature.id == feature_id)
    features = _features(session, collection_id, session.execute(selection).all())
    if not features:
        raise NotFound("feature", feature_id)
    url = f"{base}/collections/{collection_id}"
    return {**features[0], "links": [_link(f"{url}/items/{feature_id}", "self", GEOJSON, "this feature"),
                                     _link(url, "collection", JSON, "the collection")]}


def _surveys(session: Session, principal, collection_id: str, query: dict) -> Select:
    column = SURVEY_COLLECTIONS[collection_id][1]
    selection = (select(Survey, SurveyTask, Application.number, Application.applicant_unit, Application.address,
                        Crew.name)
                 .join(SurveyTask, and_(SurveyTask.tenant_id == Survey.tenant_id, SurveyTask.id == Survey.task_id))
                 .join(Application, and_(Application.tenant_id == SurveyTask.tenant_id,
                                         Application.id == SurveyTask.application_id))
                 .outerjoin(Crew, and_(Crew.tenant_id == SurveyTask.tenant_id, Crew.id == SurveyTask.crew_id))
                 .where(Survey.tenant_id == principal.tenant_id, column.is_not(None)))
    selection = visible(selection, principal)
    if "bbox" in query:
        selection = selection.where(func.ST_Intersects(column, func.ST_MakeEnvelope(*query["bbox"], 4490)))
    if "datetime" in query:
        start, end = query["datetime"]
        if start is not None:
            selection = selection.where(SurveyTask.surveyed_at >= start)
        if end is not None:
            selection = selection.where(SurveyTask.surveyed_at <= end)
    return selection.order_by(Survey.created_at, Survey.id)


def _constraints(principal, layer: str, query: dict) -> Select:
    selection = select(ConstraintFeature).where(ConstraintFeature.tenant_id == principal.tenant_id,
                                                ConstraintFeature.layer == layer)
    if "bbox" in query:
        selection = selection.where(func.ST_Intersects(ConstraintFeature.geom,
                                                       func.ST_MakeEnvelope(*query["bbox"], 4490)))
    return selection.order_by(ConstraintFeature.name, ConstraintFeature.id)


def _features(session: Session, collection_id: str, rows) -> list[dict]:
    if collection_id not in SURVEY_COLLECTIONS:
        return [_ogc(Feature(collection_id, str(row.id), from_db(row.geom), {"name": row.name}))
                for (row,) in rows]
    decisions = _decisions(session, [survey.id for survey, *_ in rows])
    return [_ogc(_survey_feature(collection_id, *row, decisions.get(row[0].id))) for row in rows]


def _survey_feature(collection_id: str, survey: Survey, task: SurveyTask, number: str, applicant_unit: str,
                    address: str, crew: str | None, decision: dict | None) -> Feature:
    red_line, route, main = from_db(survey.red_line), from_db(survey.route), from_db(survey.main)
    green_areas = from_db(survey.green_areas)
    measurement = None
    if red_line is not None and route is not None:
        measurement = geo.measure(geo.MeasureRequest(crs="EPSG:4490", route=route, red_line=red_line,
                                                     green_areas=tuple(green_areas.geoms) if green_areas else ()))
    sheet = SurveySheet(survey_id=survey.id, utility=survey.utility, red_line=red_line, route=route, main=main,
                        green_areas=green_areas, meter_position=None, meter_dn=survey.meter_dn,
                        segments=list(survey.segments), measurement=measurement, decision=decision,
                        submitted_at=survey.submitted_at)
    task_sheet = TaskSheet(task_id=task.id, application_id=task.application_id, application_number=number,
                           applicant_unit=applicant_unit, address=address, status=task.status,
                           profile_id=task.profile_id, crew_name=crew, engineer_name=None,
                           surveyed_at=task.surveyed_at)
    common = common_properties(task_sheet, sheet)
    geometry: BaseGeometry
    if collection_id == "red_lines":
        geometry, properties = red_line, red_line_summary(sheet)
    elif collection_id == "routes":
        geometry = route
        properties = {"dn": sheet.pipe_dn, "material": sheet.materials,
                      "total_length_m": measurement.total_length_m if measurement else length_m(route),
                      "outside_length_m": measurement.outside_length_m if measurement else None,
                      "inside_length_m": measurement.inside_length_m if measurement else None}
    elif collection_id == "mains":
        geometry, properties = main, {"length_m": length_m(main)}
    else:
        geometry, properties = green_areas, {"green_area_m2": area_m2(green_areas.union_all())}
    return Feature(collection_id, str(survey.id), geometry, {**common, **properties})


def _decisions(session: Session, survey_ids: list[uuid.UUID]) -> dict[uuid.UUID, dict | None]:
    """The latest decision on each survey, one query for the page."""
    if not survey_ids:
        return {}
    latest = session.execute(select(Determination.survey_id, Determination.decision)
                             .where(Determination.survey_id.in_(survey_ids))
                             .ext(distinct_on(Determination.survey_id))
                             .order_by(Determination.survey_id, Determination.survey_version.desc(),
                                       Determination.created_at.desc())).all()
    return dict(latest)


def _ogc(feature: Feature) -> dict:
    """The export's GeoJSON feature with the plain id that /items/{featureId} takes."""
    return {**geojson.feature_json(feature), "id": feature.id}


def _survey_collection(session: Session, principal, base: str, collection_id: str) -> dict:
    title, column = SURVEY_COLLECTIONS[collection_id]
    scoped = visible(select(func.ST_Extent(column), func.min(SurveyTask.surveyed_at),
                            func.max(SurveyTask.surveyed_at))
                     .join(SurveyTask, and_(SurveyTask.tenant_id == Survey.tenant_id, SurveyTask.id == Survey.task_id))
                     .where(Survey.tenant_id == principal.tenant_id, column.is_not(None)), principal)
    box, first, last = session.execute(scoped).one()
    return _collection(base, collection_id, title, box, (first, last))


def _collection(base: str, collection_id: str, title: str, box: str | None, interval) -> dict:
    extent: dict = {"spatial": {"bbox": [_box(box)], "crs": CRS84}}
    if interval is not None:
        extent["temporal"] = {"interval": [[t.isoformat() if t else None for t in interval]],
                              "trs": "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian"}
    url = f"{base}/collections/{collection_id}"
    return {"id": collection_id, "title": title, "itemType": "feature", "crs": [CRS84], "extent": extent,
            "links": [_link(url, "self", JSON, title), _link(f"{url}/items", "items", GEOJSON, "its features")]}


def _box(box: str | None) -> list[float]:
    """PostGIS's `BOX(minx miny,maxx maxy)`; the whole world while a collection is empty."""
    if box is None:
        return [-180.0, -90.0, 180.0, 90.0]
    low, high = box[box.index("(") + 1:box.index(")")].split(",")
    return [float(v) for v in (*low.split(), *high.split())]


def _constraint_layer(collection_id: str) -> str:
    if not collection_id.startswith(CONSTRAINT_PREFIX):
        raise NotFound("collection", collection_id)
    return collection_id.removeprefix(CONSTRAINT_PREFIX)


def _page(url: str, raw_query: dict[str, str], offset: int, limit: int) -> str:
    """The items URL of another page with the same filters."""
    kept = {name: value for name, value in raw_query.items() if name not in ("limit", "offset")}
    return f"{url}?{urlencode({**kept, 'limit': limit, 'offset': offset}, safe=',:/')}"


def _link(href: str, rel: str, media_type: str, title: str) -> dict:
    return {"href": href, "rel": rel, "type": media_type, "title": title}
