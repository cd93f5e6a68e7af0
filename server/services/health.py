"""Readiness: the database answers and its schema is at the migrations' head."""
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from server.migrate import current_revision, head_revision


def readiness(engine: Engine) -> dict:
    head = head_revision()
    try:
        with engine.connect() as connection:
            connection.execute(text("select 1"))
            current = current_revision(connection)
    except SQLAlchemyError as error:
        return {"status": "unavailable", "checks": {"database": f"unreachable: {error.__class__.__name__}"}}
    migrations = "at head" if current == head else f"at {current}, head is {head}"
    return {"status": "ok" if current == head else "unavailable",
            "checks": {"database": "reachable", "migrations": migrations}}
