"""Request bodies are parsed once, here, for every view: a nesting limit keeps a hostile body from
exhausting the interpreter's stack in the parser or in whatever walks the data after it."""
import json

from flask import current_app
from webargs import core
from webargs.flaskparser import abort, is_json_request
from werkzeug.exceptions import RequestEntityTooLarge

from server.api.blueprint import Blueprint
from server.error_codes import ServerCode
from server.errors import ApiError

CONTAINERS = (dict, list)


class JsonTooDeep(ApiError):
    def __init__(self, limit: int):
        super().__init__(ServerCode.JSON_TOO_DEEP, f"the JSON body is nested more than {limit} levels deep",
                         details={"limit": limit})


def nesting_depth(value: object) -> int:
    """How many arrays and objects deep `value` goes (a scalar is 0), level by level, without recursion."""
    depth, level = 0, [value] if type(value) in CONTAINERS else []
    while level:
        depth += 1
        level = [child for node in level for child in (node.values() if type(node) is dict else node)
                 if type(child) in CONTAINERS]
    return depth


def parse_body(raw: bytes, max_depth: int) -> object:
    """The JSON value of `raw`; `JsonTooDeep` past `max_depth`, `json.JSONDecodeError` when it is not JSON."""
    try:
        value = core.parse_json(raw)
    except RecursionError:
        raise JsonTooDeep(max_depth) from None
    if nesting_depth(value) > max_depth:
        raise JsonTooDeep(max_depth)
    return value


def _load_json(request, schema):
    if not is_json_request(request):
        return core.missing
    raw = request.get_data(cache=True)
    if not raw:
        return core.missing
    _refuse_cut_stream(request, raw)
    try:
        return parse_body(raw, current_app.config["MAX_JSON_DEPTH"])
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        abort(400, exc=error, messages={"json": ["Invalid JSON body."]})


def _refuse_cut_stream(request, raw: bytes) -> None:
    """A chunked body has no Content-Length to refuse up front, and werkzeug's reader stops silently at
    `max_content_length`: a body that fills the limit and still goes on is too large, not cut short."""
    limit = request.max_content_length
    if request.content_length is None and limit is not None and len(raw) >= limit \
            and request.environ["wsgi.input"].read(1):
        raise RequestEntityTooLarge()


def install() -> None:
    """Make the API's argument parser (one for every blueprint) load bodies with the limit."""
    Blueprint.ARGUMENTS_PARSER.location_loader("json")(_load_json)
