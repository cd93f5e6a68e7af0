"""Survey crews (踏勘组) and their members."""
import uuid

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from server.error_codes import ServerCode
from server.errors import ApiError
from server.models import Change, Crew, CrewMember, SurveyTask, User
from server.services.changes import change_row
from server.unit_of_work import commits


def member_ids(session: Session, crew: Crew) -> list[uuid.UUID]:
    return list(session.scalars(
        select(CrewMember.user_id).where(CrewMember.tenant_id == crew.tenant_id, CrewMember.crew_id == crew.id)
        .order_by(CrewMember.user_id)))


def crews_of_user(session: Session, tenant_id: uuid.UUID, user_id: uuid.UUID) -> list[uuid.UUID]:
    return list(session.scalars(
        select(CrewMember.crew_id).where(CrewMember.tenant_id == tenant_id, CrewMember.user_id == user_id)))


def list_crews(session: Session, tenant_id: uuid.UUID, *, offset: int, limit: int):
    query = select(Crew).where(Crew.tenant_id == tenant_id)
    total = session.scalar(select(func.count()).select_from(query.subquery()))
    return session.scalars(query.order_by(Crew.name).offset(offset).limit(limit)).all(), total


def _check_members(session: Session, tenant_id: uuid.UUID, user_ids: list[uuid.UUID]) -> None:
    roles = dict(session.execute(select(User.id, User.role).where(User.tenant_id == tenant_id,
                                                                   User.id.in_(user_ids))).all())
    for i, user_id in enumerate(user_ids):
        if user_id not in roles:
            raise ApiError(ServerCode.UNKNOWN_USER, f"user {user_id} does not exist", field=f"member_ids[{i}]")
        if roles[user_id] != "crew":
            raise ApiError(ServerCode.NOT_A_CREW_USER,
                           f"user {user_id} has the role {roles[user_id]}; crew members need the role crew",
                           field=f"member_ids[{i}]")


@commits
def create_crew(session: Session, tenant_id: uuid.UUID, fields: dict) -> Crew:
    members = list(dict.fromkeys(fields.pop("member_ids", [])))
    _check_members(session, tenant_id, members)
    crew = Crew(tenant_id=tenant_id, id=uuid.uuid4(), **fields)
    session.add(crew)
    session.flush()
    session.add_all(CrewMember(tenant_id=tenant_id, crew_id=crew.id, user_id=u) for u in members)
    return crew


@commits
def update_crew(session: Session, crew: Crew, changes: dict) -> Crew:
    if "member_ids" in changes:
        members = list(dict.fromkeys(changes.pop("member_ids")))
        _check_members(session, crew.tenant_id, members)
        before = set(member_ids(session, crew))
        session.execute(delete(CrewMember).where(CrewMember.tenant_id == crew.tenant_id,
                                                 CrewMember.crew_id == crew.id))
        session.add_all(CrewMember(tenant_id=crew.tenant_id, crew_id=crew.id, user_id=u) for u in members)
        _move_members_scope(session, crew, joined=set(members) - before, left=before - set(members))
    for name, value in changes.items():
        setattr(crew, name, value)
    crew.version += 1
    return crew


def _move_members_scope(session: Session, crew: Crew, *, joined: set, left: set) -> None:
    """A member who joins gets the crew's tasks whole on their devices; one who leaves has them revoked."""
    if not joined and not left:
        return
    crew_tasks = session.execute(select(SurveyTask.id, SurveyTask.version).where(
        SurveyTask.tenant_id == crew.tenant_id, SurveyTask.crew_id == crew.id)).all()
    rows = [change_row(crew.tenant_id, "survey_task", task_id, version, op=op, user_id=user_id)
            for op, users in (("enter", joined), ("revoke", left)) for user_id in users
            for task_id, version in crew_tasks]
    if rows:
        session.execute(insert(Change), rows)
