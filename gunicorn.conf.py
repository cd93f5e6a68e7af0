"""gunicorn reads this file from the working directory: `gunicorn wsgi:app` serves Tapline as it is meant to be."""
import os

from prometheus_client import multiprocess

# Requests gunicorn refuses itself (bad request line, URI or headers past the limits below) get the JSON error shape.
worker_class = "server.gunicorn_worker.JsonErrorWorker"
# gunicorn's defaults, stated: a request line past 4094 bytes is 414, more than 100 headers or one past 8190 bytes 431.
limit_request_line = 4094
limit_request_fields = 100
limit_request_field_size = 8190


# gunicorn's own lines (boot, worker exits, errors) as JSON too, beside the app's; no access log, the app
# writes one line per request itself (with its request id).
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "pythonjsonlogger.json.JsonFormatter", "fmt": "{levelname}{name}{message}",
                            "style": "{", "timestamp": "time", "rename_fields": {"levelname": "level",
                                                                                "name": "logger"}}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}},
    "loggers": {"gunicorn.error": {"handlers": ["stderr"], "level": "INFO", "propagate": False}},
    # The app adds its own JSON handler to the root logger (server/logs.py).
    "root": {"level": "INFO", "handlers": []},
}


def child_exit(_server, worker):
    """A dead worker's live gauges (connections in use) leave the sums; its counters stay counted."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.mark_process_dead(worker.pid)
