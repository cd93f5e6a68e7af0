"""A mutation refused whole: its errors go into its receipt, and nothing of it is stored."""
import marshmallow as ma

from domain_errors import Code, DomainError
from server.error_codes import ServerCode
from server.errors import flatten_messages


class Rejected(Exception):
    def __init__(self, errors: list[dict]):
        self.errors = errors


def rejection(code: Code, message: str, field: str | None = None, **details) -> Rejected:
    return Rejected([{"code": code, "message": message, "field": field, "details": details}])


def invalid_fields(error: ma.ValidationError, prefix: str = "fields") -> Rejected:
    """A schema's errors, each named by its path in the mutation (under `fields` for the record's fields)."""
    return Rejected([{"code": ServerCode.VALIDATION_ERROR, "message": e["message"], "field": _under(prefix, e["field"]),
                      "details": {}} for e in flatten_messages(error.messages)])


def from_error(error: DomainError, prefix: str = "") -> Rejected:
    """A domain error (REST's answer to the same act) as this mutation's rejection, fields under `prefix`.

    A form's answers fail with a list of problems; each becomes an error of its own.
    """
    nested = error.details.get("errors") if isinstance(error.details.get("errors"), list) else None
    if nested and prefix:
        return Rejected([{**e, "field": _under(f"{prefix}.answers", e.get("field"))} for e in nested])
    return Rejected([{"code": error.code, "message": error.message, "field": _under(prefix, error.field),
                      "details": error.details}])


def _under(prefix: str, field: str | None) -> str | None:
    if not prefix:
        return field
    return f"{prefix}.{field}" if field else prefix
