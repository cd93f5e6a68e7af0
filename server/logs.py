"""Logs: one JSON object per line on stderr (time, level, logger, message, request id), tracebacks included."""
import logging

from flask import g, has_app_context
from pythonjsonlogger.json import JsonFormatter


class _RequestId(logging.Filter):
    """Stamp each record with the id of the request being served, if any."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = g.get("request_id") if has_app_context() else None
        return True


def configure(level: str = "INFO") -> None:
    """Send every logger's records, as JSON lines, to stderr; idempotent (gunicorn workers and the CLI call it)."""
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter("{levelname}{name}{message}{request_id}", style="{", timestamp="time",
                                       rename_fields={"levelname": "level", "name": "logger"},
                                       json_ensure_ascii=False))
    handler.addFilter(_RequestId())
    root = logging.getLogger()
    root.handlers = [handler]
    root.setLevel(level)
