"""The tablet's local SQLite store: server records as last pulled, the outbox of local edits, receipts."""
import json
import sqlite3
import uuid
from datetime import datetime
from pathlib import Path

SCHEMA = """
create table if not exists records (
    type text not null, id text not null, version integer not null, data text not null,
    primary key (type, id));
create table if not exists outbox (
    seq integer primary key autoincrement, mutation_id text not null unique, type text not null,
    id text not null, op text not null, base_version integer not null, fields text not null,
    device_time text not null);
create table if not exists receipts (
    mutation_id text primary key, result text not null, receipt text not null);
create table if not exists meta (key text primary key, value text not null);
"""


def item_id(change: dict) -> str:
    """The id of a pulled item's record: an upsert of a record is named by its `data.id` (docs/sync-protocol.md)."""
    return change.get("id") or change["data"]["id"]


class LocalStore:
    """What the tablet knows: `records` hold server state (pending edits live in the outbox until receipted)."""

    def __init__(self, path: str | Path):
        # One tablet app drives its store from one thread at a time, not always the thread that opened it.
        self.db = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
        self.db.executescript(SCHEMA)

    def transaction(self):
        return _Transaction(self.db)

    def get_meta(self, key: str, default: str | None = None) -> str | None:
        row = self.db.execute("select value from meta where key = ?", (key,)).fetchone()
        return row[0] if row else default

    def set_meta(self, key: str, value: str) -> None:
        self.db.execute("insert into meta values (?, ?) on conflict(key) do update set value = excluded.value",
                        (key, value))

    def apply_change(self, change: dict) -> None:
        if change["op"] == "upsert":
            self.db.execute("insert into records values (?, ?, ?, ?) on conflict(type, id) do update set "
                            "version = excluded.version, data = excluded.data",
                            (change["type"], item_id(change), change["version"], json.dumps(change["data"])))
        else:
            self.db.execute("delete from records where type = ? and id = ?", (change["type"], change["id"]))
            if change["type"] == "survey_task" and change["op"] == "revoke":
                self._drop_task_records(change["id"])

    def _drop_task_records(self, task_id: str) -> None:
        self.db.execute("delete from records where type in ('survey', 'comment', 'determination', 'conflict') "
                        "and json_extract(data, '$.task_id') = ?", (task_id,))

    def record(self, entity_type: str, entity_id: str) -> dict | None:
        """The record as the user sees it: server state with the outbox's pending edits on top."""
        row = self.db.execute("select version, data from records where type = ? and id = ?",
                              (entity_type, entity_id)).fetchone()
        if row is None:
            return None
        data = json.loads(row[1])
        for (fields,) in self.db.execute("select fields from outbox where type = ? and id = ? and op = 'update' "
                                         "order by seq", (entity_type, entity_id)):
            data.update(json.loads(fields))
        return {"version": row[0], "data": data}

    def records(self, entity_type: str, where: dict | None = None) -> list[dict]:
        """The records of a type as last pulled, optionally only those whose fields equal `where`'s values."""
        where = where or {}
        if not all(field.isidentifier() for field in where):
            raise ValueError(f"a filter names a field: {', '.join(where)}")
        conditions = "".join(" and json_extract(data, ?) is json_extract(?, '$')" for _ in where)
        parameters = [p for field, value in where.items() for p in (f"$.{field}", json.dumps(value))]
        return [json.loads(data) for (data,) in self.db.execute(
            f"select data from records where type = ?{conditions} order by id", (entity_type, *parameters))]

    def enqueue(self, entity_type: str, entity_id: str, op: str, fields: dict) -> str:
        """Queue an edit made now. Its base is the server version the user was looking at: a change that reaches
        the server in between (another tablet's, or this tablet's own earlier edit) is then merged or met as a
        conflict, never silently overwritten."""
        mutation_id = str(uuid.uuid4())
        self.db.execute("insert into outbox (mutation_id, type, id, op, base_version, fields, device_time) "
                        "values (?, ?, ?, ?, ?, ?, ?)",
                        (mutation_id, entity_type, entity_id, op, self._server_version(entity_type, entity_id),
                         json.dumps(fields), datetime.now().astimezone().isoformat()))
        return mutation_id

    def next_batch(self, limit: int) -> list[dict]:
        """The oldest pending mutation of each record (a record's next edit waits for this one's receipt)."""
        rows = self.db.execute("select o.mutation_id, o.type, o.id, o.op, o.base_version, o.fields, o.device_time "
                               "from outbox o where o.seq = (select min(seq) from outbox i where i.type = o.type "
                               "and i.id = o.id) order by o.seq limit ?", (limit,)).fetchall()
        return [{"mutation_id": mutation_id, "type": entity_type, "id": entity_id, "op": op,
                 "base_version": base_version, "fields": json.loads(fields), "device_time": device_time}
                for mutation_id, entity_type, entity_id, op, base_version, fields, device_time in rows]

    def pending(self, entity_type: str, entity_id: str) -> list[dict]:
        """The edits of one record still waiting in the outbox, oldest first."""
        return [{"mutation_id": mutation_id, "op": op, "base_version": base_version, "fields": json.loads(fields),
                 "device_time": device_time}
                for mutation_id, op, base_version, fields, device_time in self.db.execute(
                    "select mutation_id, op, base_version, fields, device_time from outbox where type = ? and id = ? "
                    "order by seq", (entity_type, entity_id))]

    def wipe(self) -> None:
        """Forget everything: records, outbox, receipts, server and token (a revoked device keeps no data)."""
        with self.transaction():
            for table in ("records", "outbox", "receipts", "meta"):
                self.db.execute(f"delete from {table}")
        self.db.execute("vacuum")

    def is_empty(self) -> bool:
        return not any(self.db.execute(f"select 1 from {table} limit 1").fetchone()
                       for table in ("records", "outbox", "receipts", "meta"))

    def _server_version(self, entity_type: str, entity_id: str) -> int:
        row = self.db.execute("select version from records where type = ? and id = ?",
                              (entity_type, entity_id)).fetchone()
        return row[0] if row else 0

    def settle(self, mutation: dict, receipt: dict) -> None:
        """Drop the outbox entry once its receipt is in hand; an applied edit is now server state."""
        self.db.execute("insert or replace into receipts values (?, ?, ?)",
                        (mutation["mutation_id"], receipt["result"], json.dumps(receipt)))
        self.db.execute("delete from outbox where mutation_id = ?", (mutation["mutation_id"],))
        result = receipt["original_result"] if receipt["result"] == "duplicate" else receipt["result"]
        if result == "applied" and mutation["op"] == "update":
            current = self.db.execute("select data from records where type = ? and id = ?",
                                      (mutation["type"], mutation["id"])).fetchone()
            if current:
                data = {**json.loads(current[0]), **mutation["fields"]}
                self.db.execute("update records set version = ?, data = ? where type = ? and id = ?",
                                (receipt["version"], json.dumps(data), mutation["type"], mutation["id"]))

    def outbox_size(self) -> int:
        return self.db.execute("select count(*) from outbox").fetchone()[0]

    def receipts_by_result(self) -> dict[str, int]:
        return dict(self.db.execute("select result, count(*) from receipts group by result"))


class _Transaction:
    def __init__(self, db: sqlite3.Connection):
        self.db = db

    def __enter__(self):
        self.db.execute("begin")
        return self

    def __exit__(self, exc_type, exc, tb):
        self.db.execute("rollback" if exc_type else "commit")
