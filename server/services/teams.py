"""Construction teams (施工队伍): who builds which utility where, how much a day, and which to send to a site."""
import uuid
from datetime import date

from sqlalchemy import any_, exists, func, literal, select
from sqlalchemy.orm import Session

import geo
from server.error_codes import ServerCode
from server.errors import ApiError
from server.geometry import from_db, to_db
from server.models import Application, ConstructionTeam, WorkOrder
from server.services.changes import audit
from server.services.jsonable import jsonable
from server.services.lookup import get_or_404
from server.unit_of_work import commits

VIEW_FIELDS = ("id", "name", "utilities", "daily_capacity", "active", "version", "created_at", "updated_at")


def team_view(team: ConstructionTeam) -> dict:
    """The team as the API shows it, its service area as GeoJSON in EPSG:4490."""
    return {**{name: getattr(team, name) for name in VIEW_FIELDS},
            "service_area": geo.to_geojson(from_db(team.service_area))}


def list_teams(session: Session, tenant_id: uuid.UUID, filters: dict, *, offset: int,
               limit: int) -> tuple[list[dict], int]:
    query = select(ConstructionTeam).where(ConstructionTeam.tenant_id == tenant_id)
    if "utility" in filters:
        query = query.where(literal(filters["utility"]) == any_(ConstructionTeam.utilities))
    if "active" in filters:
        query = query.where(ConstructionTeam.active == filters["active"])
    total = session.scalar(select(func.count()).select_from(query.subquery()))
    teams = session.scalars(query.order_by(ConstructionTeam.name).offset(offset).limit(limit))
    return [team_view(team) for team in teams], total


@commits
def create_team(session: Session, principal, fields: dict, *, max_vertices: int) -> dict:
    """Raises 409 `team_name_taken`, or a GeometryError (422) naming what is wrong with the service area."""
    fields = _with_parsed_area(fields, max_vertices)
    _check_name_free(session, principal.tenant_id, fields["name"])
    team = ConstructionTeam(tenant_id=principal.tenant_id, id=uuid.uuid4(), **fields)
    session.add(team)
    session.flush()
    view = team_view(team)
    audit(session, principal, "team", team.id, "created",
          changes={name: [None, value] for name, value in jsonable(_audited(view)).items()})
    return view


@commits
def update_team(session: Session, principal, team: ConstructionTeam, changes: dict, *, max_vertices: int) -> dict:
    changes = _with_parsed_area(changes, max_vertices)
    if changes.get("name", team.name) != team.name:
        _check_name_free(session, team.tenant_id, changes["name"])
    before = _audited(team_view(team))
    for name, value in changes.items():
        setattr(team, name, value)
    team.version += 1
    session.flush()
    view = team_view(team)
    after = _audited(view)
    audit(session, principal, "team", team.id, "updated",
          changes=jsonable({name: [before[name], after[name]] for name in after if before[name] != after[name]}))
    return view


@commits
def delete_team(session: Session, principal, team_id: uuid.UUID) -> None:
    """Raises 409 `team_has_work_orders`: their history names the team, so it can only be deactivated."""
    tenant_id = principal.tenant_id
    team = get_or_404(session, ConstructionTeam, tenant_id, team_id, for_update=True)
    if session.scalar(select(exists().where(WorkOrder.tenant_id == tenant_id, WorkOrder.team_id == team_id))):
        raise ApiError(ServerCode.TEAM_HAS_WORK_ORDERS,
                       "the team has work orders; deactivate it (active: false) instead",
                       details={"team_id": str(team_id)})
    audit(session, principal, "team", team.id, "deleted", changes={"name": [team.name, None]})
    session.delete(team)


def _audited(view: dict) -> dict:
    """What a team's audit entries compare: everything a person sets, not its bookkeeping."""
    return {name: value for name, value in view.items()
            if name not in ("id", "version", "created_at", "updated_at")}


def suggestions(session: Session, order: WorkOrder) -> dict:
    """Active teams skilled for the order's utility, best first: covering the site, most capacity left on the
    start day, nearest (geodesic metres; 0 inside the area, null when the application has no location)."""
    site = select(Application.location).where(Application.tenant_id == order.tenant_id,
                                               Application.id == order.application_id).scalar_subquery()
    # ST_Covers, not ST_Contains: a site on the boundary line is inside the area, not outside it.
    covers = func.coalesce(func.ST_Covers(ConstructionTeam.service_area, site), False).label("covers_site")
    remaining = func.greatest(
        ConstructionTeam.daily_capacity - _booked(order.tenant_id, ConstructionTeam.id, order.start_on, order.id), 0)
    distance = func.ST_Distance(func.geography(ConstructionTeam.service_area), func.geography(site))
    rows = session.execute(
        select(ConstructionTeam.id.label("team_id"), ConstructionTeam.name, covers, ConstructionTeam.daily_capacity,
               remaining.label("remaining_capacity"), distance.label("distance_m"))
        .where(ConstructionTeam.tenant_id == order.tenant_id, ConstructionTeam.active,
               literal(order.utility) == any_(ConstructionTeam.utilities))
        .order_by(covers.desc(), remaining.desc(), distance.asc().nulls_last(), ConstructionTeam.name))
    return {"start_on": order.start_on, "teams": [row._asdict() for row in rows]}


def reserve(session: Session, order: WorkOrder, team_id: uuid.UUID) -> None:
    """Check that the team can take the order on its start day, holding the team's row until commit.

    The lock makes two dispatchers who assign the last place of a day one after the other: the second gets
    409 `team_at_capacity`. Raises 422 `unknown_team` or `team_lacks_utility` for a team that cannot take it.
    """
    team = session.scalars(select(ConstructionTeam).where(ConstructionTeam.tenant_id == order.tenant_id,
                                                          ConstructionTeam.id == team_id).with_for_update()).first()
    if team is None or not team.active:
        raise ApiError(ServerCode.UNKNOWN_TEAM, f"construction team {team_id} does not exist or is inactive",
                       field="team_id")
    if order.utility not in team.utilities:
        raise ApiError(ServerCode.TEAM_LACKS_UTILITY, f"team {team.name} does not build {order.utility} connections",
                       field="team_id", details={"utility": order.utility, "team_utilities": team.utilities})
    booked = session.scalar(select(_booked(order.tenant_id, team.id, order.start_on, order.id)))
    if booked >= team.daily_capacity:
        raise ApiError(ServerCode.TEAM_AT_CAPACITY, f"team {team.name} has no capacity left on {order.start_on}",
                       field="team_id", details={"start_on": order.start_on.isoformat(), "booked": booked,
                                                 "daily_capacity": team.daily_capacity})


def _booked(tenant_id: uuid.UUID, team, day: date, excluding: uuid.UUID):
    """How many work orders other than `excluding` the team (an id, or the query's team column) starts on `day`."""
    return (select(func.count()).select_from(WorkOrder)
            .where(WorkOrder.tenant_id == tenant_id, WorkOrder.team_id == team, WorkOrder.start_on == day,
                   WorkOrder.id != excluding)
            .scalar_subquery())


def _with_parsed_area(fields: dict, max_vertices: int) -> dict:
    fields = dict(fields)
    crs = fields.pop("crs", "EPSG:4490")
    if "service_area" in fields:
        area = geo.parse_geometry(fields["service_area"], field="service_area", allowed=("Polygon", "MultiPolygon"),
                                  crs=crs, max_vertices=max_vertices)
        fields["service_area"] = to_db(area)
    return fields


def _check_name_free(session: Session, tenant_id: uuid.UUID, name: str) -> None:
    if session.scalar(select(exists().where(ConstructionTeam.tenant_id == tenant_id, ConstructionTeam.name == name))):
        raise ApiError(ServerCode.TEAM_NAME_TAKEN, f"a construction team is already named {name!r}", field="name")
