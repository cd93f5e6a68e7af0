"""A push's survey edits, written with one UPDATE per set of changed columns rather than one per survey.

The ORM's flush writes a thousand edited surveys as a thousand UPDATEs, each executed on its own by the
server; here the edits sharing a set of changed columns travel as one JSON array of rows, which PostgreSQL
reads with `jsonb_to_recordset` into the columns' own types and applies in one statement.
"""
import uuid
from collections import defaultdict
from functools import cache

import orjson
from sqlalchemy import text
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from server.geometry import from_ewkb
from server.models import Survey
from server.services.changes import next_version
from server.services.jsonable import json_default
from server.services.surveys import GEOMETRY_FIELDS


class SurveyWrites:
    """The surveys a push changed, and each one's new values by column."""

    def __init__(self, tenant_id: uuid.UUID, user_id: uuid.UUID):
        self.tenant_id, self.user_id = tenant_id, user_id
        self.pending: dict[uuid.UUID, dict] = {}

    def add(self, survey: Survey, columns: dict) -> None:
        """Make `columns` (values as `surveys.as_stored` gives them) the survey's next version; `write` stores it.

        The survey object shows the new version to the rest of the push (a later edit of the same survey
        merges against it; the audit reads its evidence) as committed state, so the ORM does not write it a
        second time, row by row.
        """
        changed = {**columns, **next_version(survey, columns, self.user_id)}
        for name, value in changed.items():
            set_committed_value(survey, name, from_ewkb(value) if name in GEOMETRY_FIELDS else value)
        self.pending.setdefault(survey.id, {}).update(changed)

    def write(self, session: Session) -> None:
        by_columns: dict[tuple[str, ...], list[dict]] = defaultdict(list)
        for survey_id, changed in self.pending.items():
            by_columns[tuple(sorted(changed))].append({"id": survey_id, **changed})
        for columns, rows in by_columns.items():
            session.execute(_update(columns), {"tenant_id": self.tenant_id,
                                               "rows": orjson.dumps(rows, default=json_default).decode()})
        self.pending.clear()


@cache
def _update(columns: tuple[str, ...]):
    """The UPDATE of these columns from a JSON array of rows (decimals as strings, geometries as `to_ewkb`)."""
    table = Survey.__table__
    dialect = postgresql.dialect()
    types = ", ".join(f"{name} {table.c[name].type.compile(dialect=dialect)}" for name in ("id", *columns))
    return text(f"update surveys s set {', '.join(f'{name} = v.{name}' for name in columns)}, updated_at = now() "
                f"from jsonb_to_recordset(cast(:rows as jsonb)) as v({types}) "
                "where s.tenant_id = :tenant_id and s.id = v.id")
