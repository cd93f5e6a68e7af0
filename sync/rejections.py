"""A mutation refused whole: its errors go into its receipt, and nothing of it is stored."""


class Rejected(Exception):
    def __init__(self, errors: list[dict]):
        self.errors = errors


def rejection(code: str, message: str, field: str | None = None, **details) -> Rejected:
    return Rejected([{"code": code, "message": message, "field": field, "details": details}])
