"""Pull: a device's records after its cursor, in pages of at most `limit` items, without ever skipping one.

A first pull (no cursor) is a snapshot of the device's scope (`snapshot.py`). Later pulls read the change
feed. A change row carries the id of the transaction that wrote it. A page only holds rows of transactions
older than the oldest one still running (the snapshot's xmin), ordered by (xid, seq): every such
transaction has ended, so no row can later appear before the cursor. A transaction still running delays
the feed; it cannot make it skip. See docs/sync-protocol.md.

Each record version is sent once: a row whose record has moved on since is skipped (the row of the newer
version follows in the feed), and a page holds a record once.
"""
import hashlib
import json
import uuid
from collections import defaultdict
from functools import cache

from sqlalchemy import text
from sqlalchemy.orm import Session

from server.services import calendars, forms
from server.services.policies import profiles
from server.services.sync import records, snapshot
from server.services.sync.records import SYNCED, change, upsert
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
      -- what the device's first pull, a snapshot, already held
      -- (coalesce: with no xid of its own, `xid = null` would make the whole condition null, dropping the row)
      and not (seq <= :snapshot_seq and (pg_visible_in_snapshot(xid, cast(:snapshot as pg_snapshot))
                                         or coalesce(xid = pg_current_xact_id_if_assigned(), false)))
    order by xid, seq
    limit :limit
""")


@cache
def reference_digest() -> str:
    """Changes when a deploy changes a policy profile or a built-in form, so devices fetch them again.

    Both ship with the server, so one computation per process is enough.
    """
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


def reads_snapshot(token: str | None) -> bool:
    """Whether this pull starts or pages a first pull's snapshot, which the primary must serve: on a standby
    `pg_current_snapshot()` lists no running transaction (the feed would skip what one commits later), and
    each page must see at least the moment the snapshot started, which a lagging standby may not."""
    return not token or Cursor.decode(token).position is not None


def pull(session: Session, principal, token: str | None, limit: int) -> dict:
    """One page of at most `limit` items after `token`; `has_more` says whether to pull again at once.

    The shipped reference data (policy profiles, built-in forms) comes in a page of its own, and a task
    entering the scope is never split: its package alone may make a page larger than `limit`.
    """
    cursor = Cursor.decode(token)
    if not token:
        start = snapshot.start(session, principal.tenant_id)
        cursor = Cursor(start["xmin"], 0, "", start["snapshot"], start["seq"], (0, ""))
    digest = reference_digest()
    if digest != cursor.reference_digest:
        return {"changes": shipped_reference(), "cursor": _replace(cursor, digest).encode(), "has_more": True}
    crews = list(principal.crew_ids)
    if cursor.position is not None:
        found, position = snapshot.page(session, principal.tenant_id, crews, cursor.position, limit,
                                        lambda row: _item(session, principal.tenant_id, row, None, set(crews)))
        return {"changes": found, "cursor": _replace(cursor, digest, position=position).encode(), "has_more": True}
    rows = session.execute(CHANGES_AFTER, {
        "tenant": principal.tenant_id, "xid": cursor.xid, "seq": cursor.seq, "crews": crews,
        "user": principal.user_id, "snapshot": cursor.snapshot or None, "snapshot_seq": cursor.snapshot_seq,
        "limit": limit + 1}).mappings().all()
    found, taken = _materialize(session, principal.tenant_id, set(crews), rows, limit)
    last = rows[taken - 1] if taken else None
    next_cursor = _replace(cursor, digest, xid=last["xid"], seq=last["seq"]) if last else _replace(cursor, digest)
    return {"changes": found, "cursor": next_cursor.encode(), "has_more": taken < len(rows) or len(rows) > limit}


def _replace(cursor: Cursor, digest: str, **changed) -> Cursor:
    """The next cursor; it forgets the first pull's snapshot once the feed is past every transaction in it."""
    fields = {"xid": cursor.xid, "seq": cursor.seq, "snapshot": cursor.snapshot, "snapshot_seq": cursor.snapshot_seq,
              "position": cursor.position, **changed}
    if fields["snapshot"] and fields["position"] is None and fields["xid"] > int(fields["snapshot"].split(":")[1]):
        fields["snapshot"], fields["snapshot_seq"] = "", 0
    return Cursor(fields["xid"], fields["seq"], digest, fields["snapshot"], fields["snapshot_seq"],
                  fields["position"])


def _materialize(session: Session, tenant_id: uuid.UUID, crews: set, rows, room: int) -> tuple[list[dict], int]:
    """The items of the first rows that fit in `room`, and how many rows they used.

    A record is sent at the row of its current version (earlier rows are skipped), once per page; a task
    entering the scope brings its package whole, which goes in this page if it fits (or alone, if it is first).
    """
    wanted: dict[str, set] = defaultdict(set)
    for row in rows:
        if row["op"] not in ("enter", "revoke"):
            wanted[row["entity_type"]].add(row["entity_id"])
    entering = [row["entity_id"] for row in rows if row["op"] == "enter"]
    package = _task_packages(session, tenant_id, entering)
    found = {(t, str(r["id"])): r for t, ids in wanted.items() if t in SYNCED
             for r in records.read(session, tenant_id, t, ids)}
    out: dict[tuple, dict] = {}
    taken = 0
    for row in rows:
        key = (row["entity_type"], str(row["entity_id"]))
        if row["op"] == "enter":
            new = package.get(row["entity_id"], {})
        elif row["op"] == "revoke":
            new = {key: change(row["entity_type"], row["entity_id"], "revoke", row["version"], None)}
        else:
            item = _item(session, tenant_id, row, found.get(key), crews)
            new = {key: item} if item else {}
        if out and len(out) + sum(new_key not in out for new_key in new) > room:
            break
        for new_key, item in new.items():
            out.pop(new_key, None)
            out[new_key] = item
        taken += 1
    return list(out.values()), taken


def _item(session, tenant_id, row, record, crews) -> dict | None:
    entity_type, entity_id = row["entity_type"], row["entity_id"]
    if entity_type == "calendar_year":
        data = None if row["op"] == "delete" else calendars.describe_year(session, tenant_id, row["meta"]["year"])
        return change(entity_type, entity_id, row["op"], row["version"], json.loads(json.dumps(data, default=str)))
    if entity_type == "form_version":
        form = forms.get_version(session, tenant_id, row["meta"]["form_id"], row["meta"]["version"])
        return change(entity_type, entity_id, "upsert", form.version, form.raw)
    if record is None:
        return change(entity_type, entity_id, "delete", row["version"], None) if row["op"] == "delete" else None
    if not row["reference"] and record["crew"] not in crews:
        return None  # left the device's scope since; its revoke follows in the feed
    if row["version"] < record["version"]:
        return None  # the row of the record's newer version follows in the feed
    return upsert(entity_type, record)


def _task_packages(session: Session, tenant_id: uuid.UUID, task_ids: list) -> dict:
    """Everything a task references, current state, for a task newly in the device's scope:
    {task id: {(type, id): item}}."""
    if not task_ids:
        return {}
    packages: dict = defaultdict(dict)
    for entity_type in ("application", "survey_task", "survey", "comment", "determination", "conflict"):
        for record in records.read_of_tasks(session, tenant_id, entity_type, task_ids):
            packages[record["task"]][(entity_type, str(record["id"]))] = upsert(entity_type, record)
    return packages
