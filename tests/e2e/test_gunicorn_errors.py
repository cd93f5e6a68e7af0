"""What a client can reach of the served build answers in the error shape, gunicorn's own refusals included."""
import json
import socket

import pytest
import requests

from tests.e2e.conftest import LiveServer

SHAPE = {"code", "message", "field", "details"}


@pytest.fixture(scope="module")
def server(migrated):
    with LiveServer(migrated) as server:
        yield server


def raw_exchange(server: LiveServer, request: bytes) -> tuple[int, dict, dict]:
    """Send bytes no HTTP library would send; the status, headers and JSON body of the answer."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as connection:
        connection.sendall(request)
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    headers = {name.lower(): value.strip() for name, _, value in (h.partition(":") for h in header_lines)}
    return int(status_line.split()[1]), headers, json.loads(body)


@pytest.mark.parametrize(("request_bytes", "status", "code"), [
    (b"NOT A REQUEST\r\n\r\n", 400, "bad_request"),
    (b"GET /healthz HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n", 400, "bad_request"),
    (b"GET /" + b"a" * 5000 + b" HTTP/1.1\r\nHost: x\r\n\r\n", 414, "uri_too_long"),
    (b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 9000 + b"\r\n\r\n", 431, "headers_too_large"),
    (b"GET /healthz HTTP/1.1\r\nHost: x\r\n" + b"".join(b"X-%d: 1\r\n" % i for i in range(120)) + b"\r\n",
     431, "headers_too_large"),
    (b"POST /api/v1/progress HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nConnection: close\r\n"
     b"Transfer-Encoding: chunked\r\n\r\nzz\r\n", 400, "bad_request"),
])
def test_gunicorns_own_refusals_are_json(server, request_bytes, status, code):
    answered, headers, body = raw_exchange(server, request_bytes)
    assert (answered, headers["content-type"]) == (status, "application/json")
    assert set(body) == SHAPE and body["code"] == code and body["message"]


def test_a_chunked_body_past_the_limit_is_413_through_gunicorn(server):
    limit = 2 * 1024 * 1024
    head = json.dumps({"number": "x", "phone": "13800000000"}).encode()

    def chunks():  # requests sends a generator with Transfer-Encoding: chunked, no Content-Length
        yield head
        for _ in range(limit // 65536 + 1):
            yield b" " * 65536

    response = requests.post(f"{server.url}/api/v1/progress", data=chunks(), timeout=30,
                             headers={"Content-Type": "application/json"})
    assert response.status_code == 413
    assert response.json()["code"] == "body_too_large"


def test_json_nested_too_deep_is_one_400_through_gunicorn(server):
    body = '{"number":' + "[" * 2000 + "]" * 2000 + "}"
    response = requests.post(f"{server.url}/api/v1/progress", data=body, timeout=30,
                             headers={"Content-Type": "application/json"})
    assert (response.status_code, response.json()["code"]) == (400, "json_too_deep")
