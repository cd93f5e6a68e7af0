"""A device's first pull: every record in its scope once, at its current state, paged by (kind, id).

The snapshot starts by noting the database snapshot (`pg_current_snapshot()`) and the highest change
sequence number; the cursor carries both, so the change feed that follows skips exactly the changes that
had committed by then (their effects were read) and delivers every other one. Later pages of the snapshot
are read after that moment, so a record written meanwhile may come once more from the feed, never less.
"""
import uuid
from collections.abc import Callable

from sqlalchemy import select, text
from sqlalchemy.dialects.postgresql import distinct_on
from sqlalchemy.orm import Session

from server.models import Change, SurveyTask
from server.services.sync import records

START = text("""
    select pg_current_snapshot()::text as snapshot,
           pg_snapshot_xmin(pg_current_snapshot())::text::bigint as xmin,
           (select coalesce(max(seq), 0) from changes where tenant_id = :tenant) as seq
""")
#: What a snapshot holds, in order: reference data first, then the crew's tasks and what they reference.
KINDS = ("reference_log", "constraint_feature", "application", "survey_task", "survey", "comment", "determination",
         "conflict")
NO_ID = uuid.UUID(int=0)


def start(session: Session, tenant_id: uuid.UUID) -> dict:
    """The database snapshot a first pull is read at, its horizon and the highest sequence number then."""
    return dict(session.execute(START, {"tenant": tenant_id}).mappings().one())


def page(session: Session, tenant_id: uuid.UUID, crews: list, position: tuple[int, str], room: int,
         materialize: Callable) -> tuple[list[dict], tuple[int, str] | None]:
    """Up to `room` items after `position`; the next position, or None once the snapshot is complete.

    `materialize` turns a reference change row (a calendar year, a published form) into its item.
    """
    kind_index, after = position
    items: list[dict] = []
    while kind_index < len(KINDS) and len(items) < room:
        kind, wanted = KINDS[kind_index], room - len(items)
        after_id = uuid.UUID(after) if after else NO_ID
        if kind == "reference_log":
            found = [(str(row["entity_id"]), None if row["op"] == "delete" else materialize(row))
                     for row in _reference_log(session, tenant_id, after_id, wanted)]
        else:
            found = [(str(record["id"]), records.upsert(kind, record))
                     for record in _records(session, tenant_id, kind, crews, after_id, wanted)]
        items += [item for _, item in found if item is not None]
        if len(found) < wanted:
            kind_index, after = kind_index + 1, ""
        else:
            after = found[-1][0]
    return items, (kind_index, after) if kind_index < len(KINDS) else None


def _reference_log(session: Session, tenant_id: uuid.UUID, after: uuid.UUID, room: int) -> list[dict]:
    """Calendar years and published forms: the latest change of each (deleted ones are left out)."""
    latest = (select(Change.entity_type, Change.entity_id, Change.op, Change.version, Change.crew_id,
                     Change.reference, Change.meta)
              .where(Change.tenant_id == tenant_id, Change.entity_type.in_(("calendar_year", "form_version")),
                     Change.entity_id > after)
              .order_by(Change.entity_id, Change.xid.desc(), Change.seq.desc())
              .ext(distinct_on(Change.entity_id)).limit(room))
    return list(session.execute(latest).mappings())


def _records(session: Session, tenant_id: uuid.UUID, kind: str, crews: list, after: uuid.UUID,
             room: int) -> list[dict]:
    def where(model):
        conditions = [model.id > after]
        if hasattr(model, "deleted_at"):
            conditions.append(model.deleted_at.is_(None))
        if model is SurveyTask or kind == "application":
            conditions.append(SurveyTask.crew_id.in_(crews))
        elif kind in records.TASK_BOUND:
            conditions.append(model.task_id.in_(select(SurveyTask.id).where(
                SurveyTask.tenant_id == tenant_id, SurveyTask.crew_id.in_(crews))))
        return conditions

    return records.read(session, tenant_id, kind, where=where, order_by=records.model_of(kind).id, limit=room)
