"""The catalogue of every error code the API answers with: the server's own and every package's.

Each code is defined once, in the enum of the package that raises it, with its HTTP status and meaning; an
error's status follows from its code. `tapline errors --markdown` writes the table in docs/errors.md.
"""
from domain_errors import Code, CommonCode
from field_forms.codes import FormCode, ProblemCode
from geo.codes import GeoCode
from policy.codes import PolicyCode
from sync.codes import SyncCode


class ServerCode(Code):
    """The server's own codes: HTTP-level refusals first, then the services' by subject."""

    BAD_REQUEST = "bad_request", 400, "the request is malformed (a query parameter, the JSON syntax)"
    UNAUTHORIZED = "unauthorized", 401, "no valid credentials"
    FORBIDDEN = "forbidden", 403, "the caller's role may not do this; details name the roles required"
    NOT_FOUND = "not_found", 404, "no such resource (or one the caller cannot see)"
    METHOD_NOT_ALLOWED = "method_not_allowed", 405, "the resource does not take this method; details list those allowed"
    CONFLICT = "conflict", 409, "the change conflicts with existing data (a database constraint)"
    PRECONDITION_FAILED = "precondition_failed", 412, "If-Match is not the record's ETag: someone changed it meanwhile"
    BODY_TOO_LARGE = "body_too_large", 413, "the body is larger than the limit"
    URI_TOO_LONG = "uri_too_long", 414, "the URL is too long"
    UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type", 415, "the body is not application/json"
    VALIDATION_ERROR = "validation_error", 422, "the body does not fit its schema; details.errors lists every field"
    PRECONDITION_REQUIRED = "precondition_required", 428, "an update needs If-Match (GET the ETag first)"
    RATE_LIMITED = "rate_limited", 429, "too many attempts; retry after Retry-After seconds"
    HEADERS_TOO_LARGE = "headers_too_large", 431, "the request headers are too large"
    INTERNAL_ERROR = "internal_error", 500, "an unexpected error; it has been logged"
    SERVICE_UNAVAILABLE = "service_unavailable", 503, "the database is unavailable; retry later"
    JSON_TOO_DEEP = "json_too_deep", 400, "the JSON body is nested deeper than the limit"

    TOKEN_MISSING = "token_missing", 401, "no bearer token (Authorization: Bearer <token>)"
    TOKEN_INVALID = "token_invalid", 401, "the token is not valid"
    DEVICE_REVOKED = "device_revoked", 401, "the device has been revoked"
    USER_INACTIVE = "user_inactive", 401, "the user is deactivated"
    SIGN_IN_FAILED = "sign_in_failed", 401, "the unit, user name or password is wrong"
    USERNAME_TAKEN = "username_taken", 409, "the user name is taken"
    LAST_ADMIN = "last_admin", 409, "the tenant's last active admin cannot be demoted or deactivated"
    OWN_DEVICE = "own_device", 409, "a device cannot revoke itself"
    TENANT_EXISTS = "tenant_exists", 409, "a tenant with this slug exists"
    UNKNOWN_USER = "unknown_user", 422, "no such user"
    NOT_A_CREW_USER = "not_a_crew_user", 422, "a crew member must have the role crew"

    ILLEGAL_TRANSITION = ("illegal_transition", 409,
                          "the record's status cannot become this one; details list those allowed")
    CREW_REQUIRED = "crew_required", 422, "assigning a task names the crew"
    UNKNOWN_CREW = "unknown_crew", 422, "the crew does not exist or is inactive"
    CREW_NOT_EXPECTED = "crew_not_expected", 422, "a crew is named only to assign a task"
    REASON_REQUIRED = "reason_required", 422, "this transition needs a reason"
    OPEN_CONFLICTS = "open_conflicts", 409, "the task's sync conflicts must be resolved before approval"
    SURVEY_LOCKED = "survey_locked", 409, "the survey cannot be changed in the task's status"
    TASK_REASSIGNED = "task_reassigned", 409, "the task was reassigned while the device was offline (a push's flag)"
    TASK_CANCELLED = "task_cancelled", 409, "the task was cancelled while the device was offline (a push's flag)"
    MISSING_BLOB = "missing_blob", 422, "a named blob has not been uploaded completely; upload it first"
    UNKNOWN_UTILITY = "unknown_utility", 422, "the task does not cover this utility"
    UNKNOWN_TARGET = "unknown_target", 422, "the survey has nothing at this path"
    NOT_PENDING = "not_pending", 409, "the determination is not pending"
    NEAR_THRESHOLD_UNCONFIRMED = ("near_threshold_unconfirmed", 409,
                                  "a quantity lies within its accuracy of a threshold; confirm it to approve")
    GEOMETRY_ERRORS = "geometry_errors", 409, "the survey geometry has errors; details.errors lists them"
    MISSING_GEOMETRY = "missing_geometry", 409, "the survey lacks a geometry review needs (in geometry_errors)"
    CONFLICT_RESOLVED = "conflict_resolved", 409, "the sync conflict is already resolved"
    NO_THIRD_VALUE = "no_third_value", 422, "a deletion conflict keeps the server's state or the device's"
    ALREADY_EXISTS = "already_exists", 409, "the record exists; push an update"
    INVALID_COMMENT = "invalid_comment", 422, "a new comment names its task_id and has a body"
    NOT_THE_AUTHOR = "not_the_author", 403, "only a comment's author edits or deletes it"

    TEAM_HAS_WORK_ORDERS = "team_has_work_orders", 409, "the team has work orders; deactivate it instead"
    UNKNOWN_TEAM = "unknown_team", 422, "the construction team does not exist or is inactive"
    TEAM_LACKS_UTILITY = "team_lacks_utility", 422, "the team does not build this utility's connections"
    TEAM_AT_CAPACITY = "team_at_capacity", 409, "the team has no capacity left that day"
    TEAM_NAME_TAKEN = "team_name_taken", 409, "a construction team has this name"
    TEAM_REQUIRED = "team_required", 422, "assigning a work order names the team"
    TEAM_NOT_EXPECTED = "team_not_expected", 422, "a team is named only to assign a work order"
    WORK_ORDER_CLOSED = "work_order_closed", 409, "a closed work order's documents are final"
    CHECKLIST_INCOMPLETE = "checklist_incomplete", 409, "post-connection documents are missing"
    VISIT_NOT_OPEN = "visit_not_open", 409, "only a scheduled visit takes a result"
    NO_OPEN_FOLLOW_UP = "no_open_follow_up", 409, "the visit has no open follow-up"
    NOT_PARKED = "not_parked", 409, "only a parked notification is re-queued"

    UNKNOWN_PROFILE = "unknown_profile", 422, "no such policy profile"
    ONE_SOURCE_REQUIRED = "one_source_required", 422, "send exactly one of toml, document or override"
    VERSION_EXISTS = "version_exists", 409, "this policy version exists; versions are never edited"
    EFFECTIVE_DATE_NOT_FUTURE = "effective_date_not_future", 422, "a new policy version takes effect after today"
    DATE_OUTSIDE_YEAR = "date_outside_year", 422, "a calendar date is not in the year"
    DATE_NOT_CHANGED_BY_RULE = ("date_not_changed_by_rule", 422,
                                "a calendar override lists a day the rule does not change")

    INVALID_LAYER = "invalid_layer", 422, "not a constraint layer"
    MISSING_NAME = "missing_name", 422, "a constraint feature has no name"
    EXPORT_TOO_LARGE = "export_too_large", 422, "the selection holds more tasks than one export takes"
    TOO_MANY_FEATURES = "too_many_features", 422, "the layer holds more features than one import takes"
    UNKNOWN_LAYER = "unknown_layer", 422, "the GeoPackage has no such vector layer"
    SOURCE_LAYER_REQUIRED = "source_layer_required", 422, "the GeoPackage holds several layers; name one"

    INVALID_SHA256 = "invalid_sha256", 422, "a blob is named by the SHA-256 of its content: 64 lowercase hex digits"
    OFFSET_MISMATCH = "offset_mismatch", 409, "a chunk does not start where the stored bytes end"
    TOTAL_MISMATCH = "total_mismatch", 409, "the upload was started with another total size"
    BLOB_INCOMPLETE = "blob_incomplete", 409, "not all of the blob's bytes have arrived"
    BLOB_TOO_LARGE = "blob_too_large", 413, "the blob is larger than the limit"
    LENGTH_MISMATCH = "length_mismatch", 400, "the body's length is not the one the headers declare"
    HASH_MISMATCH = "hash_mismatch", 422, "the content does not hash to the blob's name; upload it again"
    UNSUPPORTED_BLOB_TYPE = "unsupported_blob_type", 415, "the blob's content is not an accepted type"

    CONSOLE_NOT_CONFIGURED = "console_not_configured", 503, "the console needs TAPLINE_SECRET_KEY (an HTML page)"
    CSRF_FAILED = "csrf_failed", 400, "the console form's CSRF token is missing or wrong (an HTML page)"


PACKAGES: tuple[type[Code], ...] = (ServerCode, CommonCode, GeoCode, PolicyCode, FormCode, ProblemCode, SyncCode)


def catalogue(enums: tuple[type[Code], ...]) -> dict[str, Code]:
    """Every code of `enums` by its string; a code two of them define is refused."""
    found: dict[str, Code] = {}
    for enum in enums:
        for code in enum:
            if code.value in found:
                raise ValueError(f"{code.value} is defined by {type(found[code.value]).__name__} and {enum.__name__}")
            found[code.value] = code
    return found


#: Every code by its string: what a response's `code` is looked up in.
CATALOGUE: dict[str, Code] = catalogue(PACKAGES)

#: The code each HTTP error status answers with when nothing more specific is known.
HTTP_CODES: dict[int, Code] = {code.status: code for code in (
    ServerCode.BAD_REQUEST, ServerCode.UNAUTHORIZED, ServerCode.FORBIDDEN, ServerCode.NOT_FOUND,
    ServerCode.METHOD_NOT_ALLOWED, ServerCode.CONFLICT, ServerCode.PRECONDITION_FAILED, ServerCode.BODY_TOO_LARGE,
    ServerCode.URI_TOO_LONG, ServerCode.UNSUPPORTED_MEDIA_TYPE, ServerCode.VALIDATION_ERROR,
    ServerCode.PRECONDITION_REQUIRED, ServerCode.RATE_LIMITED, ServerCode.HEADERS_TOO_LARGE,
    ServerCode.INTERNAL_ERROR, ServerCode.SERVICE_UNAVAILABLE)}


def http_code(status: int) -> str:
    """The code of an HTTP error; `http_<status>` for a status werkzeug may raise that Tapline never does."""
    return HTTP_CODES.get(status, f"http_{status}")


HEADER = """# Error codes

Generated by `tapline errors --markdown` from `server/error_codes.py`; do not edit by hand.

Every error is `{"code", "message", "field", "details"}` (README, API conventions). A client branches on
`code`; the status is the one every error with this code answers with. A push answers 200 and a rejected
mutation's receipt carries its `errors` in the same shape (docs/sync-protocol.md).
"""


def markdown() -> str:
    """The codes table of docs/errors.md."""
    lines = [HEADER]
    for enum in PACKAGES:
        lines += [f"## {enum.__name__} (`{enum.__module__}`)", "", "| code | status | meaning |", "|---|---|---|"]
        lines += [f"| `{code.value}` | {code.status} | {code.meaning} |" for code in enum]
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"
