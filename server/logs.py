"""Logs: one JSON object per line on stderr (time, level, logger, message, request id, extra fields);
a traceback goes in the same object, as `exc_info`."""
import logging
import sys
from typing import TextIO

from flask import g, has_app_context
from pythonjsonlogger.json import JsonFormatter


class _RequestId(logging.Filter):
    """Stamp each record with the id of the request being served (null outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = g.get("request_id") if has_app_context() else None
        return True


def json_handler(stream: TextIO | None = None) -> logging.Handler:
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter("{levelname}{name}{message}{request_id}", style="{", timestamp="time",
                                       rename_fields={"levelname": "level", "name": "logger"},
                                       json_ensure_ascii=False))
    handler.addFilter(_RequestId())
    handler.tapline = True
    return handler


def configure(level: str = "INFO") -> None:
    """Send every logger's records to stderr as JSON lines; once per process (the app factory, the CLI)."""
    root = logging.getLogger()
    if not any(getattr(handler, "tapline", False) for handler in root.handlers):
        root.addHandler(json_handler())
    root.setLevel(level)
