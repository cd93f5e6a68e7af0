"""Responses are written by orjson: pulls of thousands of records spend their time here otherwise.

Requests are still read by Flask's default (the standard library's json), whose errors the app maps.
"""
from decimal import Decimal

import orjson
from flask.json.provider import DefaultJSONProvider

OPTIONS = orjson.OPT_NON_STR_KEYS


def _default(value):
    """What orjson does not write itself; exact decimals are strings, as the schemas document them."""
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def dumps_bytes(value) -> bytes:
    return orjson.dumps(value, default=_default, option=OPTIONS)


class OrjsonProvider(DefaultJSONProvider):
    """UUIDs and times as ISO 8601 strings with their offset, decimals as strings, UTF-8 unescaped."""

    def dumps(self, obj, **kwargs) -> str:
        return dumps_bytes(obj).decode()

    def response(self, *args, **kwargs):
        return self._app.response_class(dumps_bytes(self._prepare_response_obj(args, kwargs)),
                                        mimetype=self.mimetype)
