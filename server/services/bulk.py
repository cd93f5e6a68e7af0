"""Many rows into one table through COPY, in the session's transaction.

A push of 1,000 edits writes a thousand change, audit and receipt rows; COPY takes them about five times
faster than an INSERT per row (bench/bench_push.py), and it works through PgBouncer in transaction mode.
"""
import orjson
from psycopg.types.json import Jsonb
from sqlalchemy import Table
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Session


def copy_rows(session: Session, table: Table, rows: list[dict]) -> None:
    """Append `rows` (dicts with the same keys, named as `table`'s columns) to `table`.

    Columns the rows leave out take their server defaults (identities, `pg_current_xact_id()`, `now()`).
    """
    if not rows:
        return
    columns = list(rows[0])
    json_types = [table.c[name].type if isinstance(table.c[name].type, JSONB) else None for name in columns]
    cursor = session.connection().connection.driver_connection.cursor()
    names = ", ".join(f'"{name}"' for name in columns)
    with cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row([row[name] if json is None else _jsonb(row[name], json)
                            for name, json in zip(columns, json_types, strict=True)])


def _jsonb(value, json_type: JSONB) -> Jsonb | None:
    """A JSON value as SQLAlchemy would store it: None is JSON null unless the column says SQL NULL."""
    if value is None and json_type.none_as_null:
        return None
    return Jsonb(value, dumps=_dumps)


def _dumps(value) -> str:
    return orjson.dumps(value).decode()
