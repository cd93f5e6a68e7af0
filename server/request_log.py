"""One structured log line per request: method, path, status, duration, tenant, user, device."""
import json
import logging
import time

from flask import Flask, g, request

log = logging.getLogger("tapline.request")


def init_app(app: Flask) -> None:
    if not app.config["LOG_REQUESTS"]:
        return
    if not log.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)
        log.propagate = False

    @app.before_request
    def _start_clock():
        g.request_started = time.perf_counter()

    @app.after_request
    def _log(response):
        principal = g.get("principal")
        log.info(json.dumps({
            "method": request.method,
            "path": request.path,
            "status": response.status_code,
            "duration_ms": round((time.perf_counter() - g.get("request_started", time.perf_counter())) * 1000, 2),
            "tenant": str(principal.tenant_id) if principal else None,
            "user": str(principal.user_id) if principal else None,
            "device": str(principal.device_id) if principal else None,
        }))
        return response
