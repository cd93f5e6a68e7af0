"""Tenant-scoped fetches: every read names the caller's tenant, so tenants never mix."""
import uuid
from typing import TypeVar

from sqlalchemy import ARRAY, ColumnElement, any_, bindparam, select
from sqlalchemy.orm import Session

from server.errors import NotFound

T = TypeVar("T")


def get_or_404(session: Session, model: type[T], tenant_id: uuid.UUID, ident: uuid.UUID, *,
               for_update: bool = False) -> T:
    """The row of `model` with this id in this tenant; another tenant's row is as missing as none."""
    query = select(model).where(model.tenant_id == tenant_id, model.id == ident)
    if for_update:
        query = query.with_for_update()
    row = session.scalars(query).first()
    if row is None:
        raise NotFound(model.__name__, ident)
    return row


def among(column, values) -> ColumnElement[bool]:
    """`column = ANY(:values)`, one array parameter however many values.

    A push asks for a thousand ids at once: as `IN (…)` that is a thousand placeholders, which psycopg parses
    anew on every execution because so long a statement is not cached.
    """
    return column == any_(bindparam(None, list(values), type_=ARRAY(column.type)))
