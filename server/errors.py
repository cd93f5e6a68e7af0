"""Every error the API returns has one shape: {"code", "message", "field", "details"}.

Domain errors (here and in the pure packages) are `DomainError`s: `code` (a member of the catalogue,
server/error_codes.py, which gives the HTTP status), `message`, `field` and `details`; `TaplineApi` turns
them, HTTP errors, validation errors and database errors into that shape, so a tablet can branch on `code`.
"""
import logging
from typing import Any

import marshmallow as ma
from flask import Flask, current_app, jsonify, request
from flask_smorest import Api
from flask_smorest.pagination import PaginationMetadataSchema
from sqlalchemy.exc import DataError, IntegrityError, OperationalError
from werkzeug.exceptions import HTTPException

from domain_errors import Code, CommonCode, DomainError
from schemas.base import DecimalString
from server.error_codes import HTTP_CODES, ServerCode, http_code

log = logging.getLogger("tapline.errors")



class ApiError(DomainError):
    """A domain error of the server's own; its HTTP status is its code's (server/error_codes.py)."""


class NotFound(ApiError):
    def __init__(self, resource: str, ident: object):
        super().__init__(ServerCode.NOT_FOUND, f"{resource} {ident} not found",
                         details={"resource": resource, "id": str(ident)})


class ErrorSchema(ma.Schema):
    """The body of every error response."""

    code = ma.fields.String(metadata={"description": "stable snake_case code a client branches on",
                                      "example": "validation_error"})
    message = ma.fields.String(metadata={"description": "what a person reads"})
    field = ma.fields.String(allow_none=True, metadata={"description": "JSON path of the field at fault, or null",
                                                        "example": "route.coordinates[3]"})
    details = ma.fields.Dict(metadata={"description": "machine-readable specifics (limits, allowed values…)"})


def error_body(code: Code | str, message: str, field: str | None = None, details: dict | None = None) -> dict:
    return {"code": str(code), "message": message, "field": field, "details": details or {}}


def flatten_messages(messages: Any, path: str = "") -> list[dict[str, str]]:
    """Turn marshmallow's nested messages into [{field: "items[0].name", message}]."""
    if isinstance(messages, dict):
        out = []
        for key, value in messages.items():
            if key == "_schema":
                sub = path
            elif isinstance(key, int):
                sub = f"{path}[{key}]"
            else:
                sub = f"{path}.{key}" if path else str(key)
            out.extend(flatten_messages(value, sub))
        return out
    if isinstance(messages, list) and all(isinstance(m, str) for m in messages):
        return [{"field": path or None, "message": m} for m in messages]
    if isinstance(messages, list):
        return [e for m in messages for e in flatten_messages(m, path)]
    return [{"field": path or None, "message": str(messages)}]


def _validation_body(messages: dict, code: str) -> dict:
    errors = []
    for location, located in messages.items():
        for err in flatten_messages(located):
            # A body field is named by its path in the body; other locations keep their prefix.
            if location != "json" and err["field"]:
                err["field"] = f"{location}.{err['field']}"
            errors.append(err)
    first = errors[0] if errors else {"field": None, "message": "invalid request"}
    message = first["message"] if not first["field"] else f"{first['field']}: {first['message']}"
    return error_body(code, message, first["field"], {"errors": errors})


class TaplineApi(Api):
    """flask-smorest's Api with Tapline's error shape for every error, its own 422 included."""

    ERROR_SCHEMA = ErrorSchema

    def init_app(self, app: Flask, *args, **kwargs) -> None:
        super().init_app(app, *args, **kwargs)
        self.register_field(DecimalString, "string", "decimal")
        app.register_error_handler(DomainError, self.handle_domain_error)
        app.register_error_handler(IntegrityError, self.handle_integrity_error)
        app.register_error_handler(DataError, self.handle_data_error)
        app.register_error_handler(OperationalError, self.handle_operational_error)
        app.register_error_handler(Exception, self.handle_unexpected)

    def _register_pagination_header(self) -> None:
        # The header's value is the metadata object written as JSON text: OpenAPI says that with `content`
        # (a serialized value), where flask-smorest's `schema` would describe a header that is an object.
        self.spec.components.header("PAGINATION", {
            "description": 'the page\'s place in the list, as JSON text: {"total", "total_pages", "first_page", '
                           '"last_page", "page", "previous_page", "next_page"}',
            "content": {"application/json": {"schema": PaginationMetadataSchema}}}, lazy=True)

    @staticmethod
    def handle_domain_error(error: DomainError):
        # A refusal that says when to come back says it in the header too (429 rate_limited).
        retry_after = error.details.get("retry_after_s")
        headers = {"Retry-After": str(retry_after)} if retry_after is not None else {}
        return jsonify(error.to_dict()), error.status, headers

    def handle_http_exception(self, error: HTTPException):
        data = getattr(error, "data", None) or {}
        headers = data.get("headers") or {}
        status = error.code or 500
        if "messages" in data or "errors" in data:
            code = HTTP_CODES.get(status, ServerCode.VALIDATION_ERROR)
            body = _validation_body(data.get("errors") or data["messages"], code)
        else:
            message = data.get("message") or error.description or error.name
            details = {}
            if status == 413 and error.description and hasattr(error, "limit"):
                details["limit"] = error.limit
            body = error_body(http_code(status), message, None, details)
            if status == 405 and hasattr(error, "valid_methods") and error.valid_methods:
                body["details"]["allowed"] = sorted(error.valid_methods)
                headers = {**headers, "Allow": ", ".join(sorted(error.valid_methods))}
        if status == 413:
            body["details"].setdefault("limit", request.max_content_length or current_app.config["MAX_CONTENT_LENGTH"])
        return jsonify(body), status, headers

    @staticmethod
    def handle_integrity_error(error: IntegrityError):
        constraint = getattr(getattr(error.orig, "diag", None), "constraint_name", None)
        log.info("integrity error: %s", error.orig)
        return jsonify(error_body(ServerCode.CONFLICT, "the change conflicts with existing data",
                                  None, {"constraint": constraint})), 409

    @staticmethod
    def handle_data_error(error: DataError):
        log.info("data error: %s", error.orig)
        return jsonify(error_body(CommonCode.INVALID_VALUE, "a value is out of range or malformed")), 422

    @staticmethod
    def handle_operational_error(error: OperationalError):
        log.error("database unavailable: %s", error.orig)
        return jsonify(error_body(ServerCode.SERVICE_UNAVAILABLE, "the database is unavailable, retry later")), 503

    def handle_unexpected(self, error: Exception):
        if isinstance(error, HTTPException):
            return self.handle_http_exception(error)
        log.exception("unhandled error")
        return jsonify(error_body(ServerCode.INTERNAL_ERROR, "an unexpected error occurred; it has been logged")), 500
