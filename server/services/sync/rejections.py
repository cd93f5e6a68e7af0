"""A mutation refused whole: its errors go into its receipt, and nothing of it is stored."""
import marshmallow as ma

from server.errors import flatten_messages


class Rejected(Exception):
    def __init__(self, errors: list[dict]):
        self.errors = errors


def rejection(code: str, message: str, field: str | None = None, **details) -> Rejected:
    return Rejected([{"code": code, "message": message, "field": field, "details": details}])


def invalid_fields(error: ma.ValidationError) -> Rejected:
    """A schema's errors on the mutation's fields, each named by its path under `fields`."""
    return Rejected([{"code": "validation_error", "message": e["message"], "field": f"fields.{e['field']}",
                      "details": {}} for e in flatten_messages(error.messages)])
