"""Pull: the changes in a device's scope after its cursor, in pages, without ever skipping one.

A change row carries the id of the transaction that wrote it. A page only holds rows of transactions
older than the oldest one still running (the snapshot's xmin), ordered by (xid, seq): every such
transaction has ended, so no row can later appear before the cursor. A transaction still running delays
the feed; it cannot make it skip. See docs/sync-protocol.md.
"""
import hashlib
import json
import uuid
from collections import defaultdict

from sqlalchemy import text
from sqlalchemy.orm import Session

from server.services import calendars, forms
from server.services.crews import crews_of_user
from server.services.policies import profiles
from server.services.sync import records
from server.services.sync.records import SYNCED, TASK_BOUND
from sync.cursor import Cursor

CHANGES_AFTER = text("""
    select seq, xid::text::bigint as xid, entity_type, entity_id, op, version, crew_id, reference, meta
    from changes
    where tenant_id = :tenant
      and (xid, seq) > (cast(cast(:xid as text) as xid8), :seq)
      and (xid < pg_snapshot_xmin(pg_current_snapshot())
           -- a transaction sees its own writes (a pull never writes first, but a test's transaction does)
           or xid = pg_current_xact_id_if_assigned())
      and (reference or crew_id = any(:crews) or user_id = :user)
    order by xid, seq
    limit :limit
""")


def reference_digest() -> str:
    """Changes when a deploy changes a policy profile or a built-in form, so devices fetch them again."""
    parts = sorted(f"{p.id}:{p.version}" for p in profiles().values())
    parts += sorted(f"{form_id}:{version}:{form.digest}" for (form_id, version), form in forms.builtin().items())
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


def shipped_reference() -> list[dict]:
    """Policy profiles and built-in forms: they ship with the server, not in the change log."""
    items = [{"type": "policy_profile", "id": p.id, "op": "upsert", "version": p.version, "data": p.to_dict()}
             for p in profiles().values()]
    items += [{"type": "form_version", "id": f"{form_id}:{version}", "op": "upsert", "version": version,
               "data": form.raw} for (form_id, version), form in sorted(forms.builtin().items())]
    return items


def pull(session: Session, principal, token: str | None, limit: int) -> dict:
    """One page of changes after `token`; `has_more` says whether to pull again at once."""
    cursor = Cursor.decode(token)
    crews = crews_of_user(session, principal.tenant_id, principal.user_id)
    # The horizon and the rows come from one statement, so one snapshot; records are then read at their
    # current state, which is never older than the change that names them.
    rows = session.execute(CHANGES_AFTER, {"tenant": principal.tenant_id, "xid": cursor.xid, "seq": cursor.seq,
                                           "crews": crews, "user": principal.user_id,
                                           "limit": limit + 1}).mappings().all()
    has_more = len(rows) > limit
    rows = rows[:limit]
    digest = reference_digest()
    changes = shipped_reference() if digest != cursor.reference_digest else []
    changes += _materialize(session, principal.tenant_id, set(crews), rows)
    last = rows[-1] if rows else None
    next_cursor = Cursor(last["xid"], last["seq"], digest) if last else Cursor(cursor.xid, cursor.seq, digest)
    return {"changes": changes, "cursor": next_cursor.encode(), "has_more": has_more}


def _materialize(session: Session, tenant_id: uuid.UUID, crews: set, rows) -> list[dict]:
    """Current state of each changed record still in scope; whole packages for tasks entering it."""
    wanted: dict[str, set] = defaultdict(set)
    for row in rows:
        if row["op"] not in ("enter", "revoke"):
            wanted[row["entity_type"]].add(row["entity_id"])
    entering = [row["entity_id"] for row in rows if row["op"] == "enter"]
    package = _task_packages(session, tenant_id, entering)
    found = {(t, str(r["data"]["id"])): r for t, ids in wanted.items() if t in SYNCED
             for r in records.read(session, tenant_id, t, ids)}
    out: dict[tuple, dict] = {}
    for row in rows:
        key = (row["entity_type"], str(row["entity_id"]))
        out.pop(key, None)
        if row["op"] == "enter":
            for item in package.get(row["entity_id"], []):
                out.pop((item["type"], item["id"]), None)
                out[(item["type"], item["id"])] = item
        elif row["op"] == "revoke":
            out[key] = _change(row["entity_type"], row["entity_id"], "revoke", row["version"], None)
        else:
            item = _item(session, tenant_id, row, found.get(key), crews)
            if item:
                out[key] = item
    return list(out.values())


def _item(session, tenant_id, row, record, crews) -> dict | None:
    entity_type, entity_id = row["entity_type"], row["entity_id"]
    if entity_type == "calendar_year":
        data = None if row["op"] == "delete" else calendars.describe_year(session, tenant_id, row["meta"]["year"])
        return _change(entity_type, entity_id, row["op"], row["version"], json.loads(json.dumps(data, default=str)))
    if entity_type == "form_version":
        form = forms.get_version(session, tenant_id, row["meta"]["form_id"], row["meta"]["version"])
        return _change(entity_type, entity_id, "upsert", form.version, form.raw)
    if record is None:
        return _change(entity_type, entity_id, "delete", row["version"], None) if row["op"] == "delete" else None
    if not row["reference"] and record["crew"] not in crews:
        return None  # left the device's scope since; its revoke follows in the feed
    return _upsert(entity_type, record)


def _upsert(entity_type: str, record: dict) -> dict:
    """The record's current state, or its tombstone once deleted."""
    if record["deleted"]:
        return _change(entity_type, record["data"]["id"], "delete", record["version"], None)
    return _change(entity_type, record["data"]["id"], "upsert", record["version"], record["data"])


def _change(entity_type: str, entity_id, op: str, version: int, data) -> dict:
    return {"type": entity_type, "id": str(entity_id), "op": op, "version": version, "data": data}


def _task_packages(session: Session, tenant_id: uuid.UUID, task_ids: list) -> dict:
    """Everything a task references, current state, for a task newly in the device's scope."""
    if not task_ids:
        return {}
    packages: dict = defaultdict(list)
    tasks = records.read(session, tenant_id, "survey_task", task_ids)
    applications = records.read(session, tenant_id, "application", [t["data"]["application_id"] for t in tasks])
    for application in applications:
        packages[application["data"]["task_id"]].append(_upsert("application", application))
    for task in tasks:
        packages[task["data"]["id"]].append(_upsert("survey_task", task))
    for entity_type in ("survey", "comment", "determination", "conflict"):
        column = TASK_BOUND[entity_type][1]
        for record in records.read(session, tenant_id, entity_type, (),
                                   where=lambda model, c=column: getattr(model, c).in_(task_ids)):
            packages[record["data"]["task_id"]].append(_upsert(entity_type, record))
    return packages
