"""Real receivers for notification tests: an SMTP server (aiosmtpd) and an HTTP server, each in a thread.

Each records every message it accepts, so a test sees duplicates; `hold_first` makes the first message wait
after it was accepted, until `release()`: the window in which a sender killed has sent without knowing it.
"""
import asyncio
import email
import email.policy
import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Holding:
    """The shared switch: hold the first message any receiver accepts, until released."""

    def __init__(self, hold_first: bool = False):
        self.hold_first = hold_first
        self.first_arrived = threading.Event()
        self.released = threading.Event()
        self._lock = threading.Lock()

    def accepted(self) -> bool:
        """True for the one message to hold."""
        with self._lock:
            if not self.hold_first or self.first_arrived.is_set():
                return False
            self.first_arrived.set()
            return True

    def release(self) -> None:
        self.released.set()


class SmtpReceiver:
    """An SMTP server on 127.0.0.1; `messages` holds every email it accepted."""

    def __init__(self, holding: Holding | None = None):
        self.messages: list[email.message.Message] = []
        self.holding = holding or Holding()
        self.port = free_port()
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, _server, _session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        if self.holding.accepted():
            while not self.holding.released.is_set():
                await asyncio.sleep(0.02)
        return "250 OK"

    def distinct(self) -> dict[str, email.message.Message]:
        """The messages by Message-ID, as a receiver that de-duplicates keeps them."""
        return {message["Message-ID"]: message for message in self.messages}

    def __enter__(self):
        self._controller.start()
        return self

    def __exit__(self, *_):
        self.holding.release()
        self._controller.stop()


class WebhookReceiver:
    """An HTTP server on 127.0.0.1 answering `status` to every POST; `requests` holds (headers, body, json)."""

    def __init__(self, holding: Holding | None = None):
        self.requests: list[tuple[dict, bytes, dict]] = []
        self.holding = holding or Holding()
        self.status = 200
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's hook name)
                body = self.rfile.read(int(self.headers["Content-Length"]))
                if receiver.status < 300:
                    receiver.requests.append((dict(self.headers), body, json.loads(body)))
                if receiver.holding.accepted():
                    receiver.holding.released.wait(30)
                self.send_response(receiver.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *_):
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/hooks/tapline"

    def distinct(self) -> dict[str, dict]:
        """The payloads by Idempotency-Key, as a receiver that de-duplicates keeps them."""
        return {headers["Idempotency-Key"]: payload for headers, _, payload in self.requests}

    def __enter__(self):
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *_):
        self.holding.release()
        self._server.shutdown()
        self._server.server_close()
