"""Each request's id (`X-Request-ID`, taken from the client or made here, and echoed) and its log line."""
import logging
import re
import time
import uuid

from flask import Flask, g, request

log = logging.getLogger("tapline.request")

#: What a client's (or a proxy's) request id may be; anything else is replaced, so logs stay parseable.
REQUEST_ID = re.compile(r"[A-Za-z0-9._:/+=-]{1,128}")


def init_app(app: Flask) -> None:
    @app.before_request
    def _identify():
        given = request.headers.get("X-Request-ID", "")
        g.request_id = given if REQUEST_ID.fullmatch(given) else uuid.uuid4().hex
        g.request_started = time.perf_counter()

    @app.after_request
    def _echo_and_log(response):
        response.headers["X-Request-ID"] = g.get("request_id", "")
        if app.config["LOG_REQUESTS"]:
            principal = g.get("principal")
            log.info("%s %s %s", request.method, request.path, response.status_code, extra={
                "method": request.method, "path": request.path, "status": response.status_code,
                "duration_ms": round((time.perf_counter() - g.get("request_started", time.perf_counter())) * 1000, 2),
                "tenant": str(principal.tenant_id) if principal else None,
                "user": str(principal.user_id) if principal else None,
                "device": str(principal.device_id) if principal else None,
            })
        return response
