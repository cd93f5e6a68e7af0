"""gunicorn's sync worker, answering in Tapline's error shape the requests gunicorn refuses before the app
sees them (a malformed request line 400, a URI past `limit_request_line` 414, headers past
`limit_request_fields`/`limit_request_field_size` 431)."""
import json

from flask import Flask, jsonify
from gunicorn import util
from gunicorn.http.errors import ParseException
from gunicorn.workers.sync import SyncWorker

from server.error_codes import ServerCode, http_code
from server.errors import error_body


def write_json_error(sock, status_int: int, reason: str, mesg: str) -> None:
    """gunicorn.util.write_error's contract, with a JSON body instead of an HTML page."""
    body = json.dumps(error_body(http_code(status_int), mesg or reason)).encode()
    head = (f"HTTP/1.1 {status_int} {reason}\r\nConnection: close\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n").encode("latin-1")
    util.write_nonblock(sock, head + body)


class JsonErrorWorker(SyncWorker):
    def init_process(self) -> None:
        # gunicorn has no setting for its error pages (benoitc/gunicorn#993): Worker.handle_error writes them
        # through util.write_error, so this worker process swaps that one function.
        util.write_error = write_json_error
        super().init_process()


def init_app(app: Flask) -> None:
    """gunicorn decodes a chunked body as the app reads it, so a malformed one surfaces in a view: a 400 too."""
    app.register_error_handler(ParseException, _malformed_body)


def _malformed_body(error: ParseException):
    return jsonify(error_body(ServerCode.BAD_REQUEST, f"the request body is malformed: {error}")), 400
