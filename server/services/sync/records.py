"""The record types devices sync, the task each belongs to, and reading them as a pull sends them."""
import uuid
from collections.abc import Callable, Iterable
from functools import cache

import orjson
from sqlalchemy import Uuid, any_, bindparam, literal, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session

from server.models import Comment, Conflict, Determination, Survey, SurveyTask
from server.services import records

# type name -> (model, column naming the task the record belongs to)
TASK_BOUND = {
    "survey_task": (SurveyTask, "id"),
    "survey": (Survey, "task_id"),
    "comment": (Comment, "task_id"),
    "determination": (Determination, "task_id"),
    "conflict": (Conflict, "task_id"),
}
SYNCED = {*TASK_BOUND, "application", "constraint_feature"}


def model_of(entity_type: str):
    return records.SHAPES[entity_type][0]


def _crew(entity_type: str):
    """The crew now holding the record's task: the devices that may see it (None for reference data)."""
    if entity_type in ("application", "survey_task"):
        return SurveyTask.crew_id  # their statement reads the task already
    if entity_type not in TASK_BOUND:
        return literal(None)
    model, column = TASK_BOUND[entity_type]
    return select(SurveyTask.crew_id).where(SurveyTask.tenant_id == model.tenant_id,
                                            SurveyTask.id == getattr(model, column)).scalar_subquery()


def task_of(entity_type: str):
    """The id of the task the record belongs to (None for reference data)."""
    if entity_type == "application":
        return SurveyTask.id  # its statement reads the task already
    if entity_type not in TASK_BOUND:
        return literal(None, Uuid)
    model, column = TASK_BOUND[entity_type]
    return getattr(model, column)


def read(session: Session, tenant_id: uuid.UUID, entity_type: str, ids: Iterable[uuid.UUID] = (), *,
         where: Callable | None = None, order_by=None, limit: int | None = None) -> list[dict]:
    """Each record's `id`, `version`, `deleted` flag, `task` and the `crew` of its task, and its `data`: the
    JSON REST gives for it (records.json_query), passed through as it is.

    `where(model)` gives conditions to select by instead of ids (the records of some tasks, a page).
    """
    model = model_of(entity_type)
    query = records.json_query(entity_type, tenant_id).add_columns(*_about(entity_type)).where(
        *(where(model) if where else [model.id == any_(_ids(ids))]))
    if order_by is not None:
        query = query.order_by(order_by).limit(limit)
    # On the session's connection: the rows are JSON text and ids, which the ORM has nothing to add to.
    return [{"id": row.id, "version": row.version, "deleted": row.deleted_at is not None, "task": row.task,
             "crew": row.crew, "data": orjson.Fragment(row.json)} for row in session.connection().execute(query)]


@cache
def _about(entity_type: str) -> tuple:
    """The columns `read` adds to the record's JSON (built once per process, as records' statements are)."""
    model = model_of(entity_type)
    return (model.id, getattr(model, "version", literal(1)).label("version"),
            getattr(model, "deleted_at", literal(None)).label("deleted_at"), task_of(entity_type).label("task"),
            _crew(entity_type).label("crew"))


def read_of_tasks(session: Session, tenant_id: uuid.UUID, entity_type: str,
                  task_ids: Iterable[uuid.UUID]) -> list[dict]:
    """`read` the records that belong to these tasks."""
    return read(session, tenant_id, entity_type, where=lambda _: [task_of(entity_type) == any_(_ids(task_ids))])


def _ids(ids: Iterable[uuid.UUID]):
    """The ids as one array parameter: a page's thousand ids as a thousand parameters took longer to compile
    and send than to read."""
    return bindparam("ids", list(ids), type_=ARRAY(Uuid), unique=True)


def change(entity_type: str, entity_id, op: str, version: int, data) -> dict:
    """One item of a pull page."""
    return {"type": entity_type, "id": str(entity_id), "op": op, "version": version, "data": data}


def upsert(entity_type: str, record: dict) -> dict:
    """The record's current state, or its tombstone once deleted.

    The state names the record itself (`data.id`): repeating the id beside it was a tenth of a first pull.
    """
    if record["deleted"]:
        return change(entity_type, record["id"], "delete", record["version"], None)
    return {"type": entity_type, "op": "upsert", "version": record["version"], "data": record["data"]}
