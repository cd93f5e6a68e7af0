"""The two ways out: SMTP email and a signed webhook. SMS and WeCom plug in behind the webhook."""
import hashlib
import hmac
import json
import smtplib
import socket
import ssl
import time
from collections.abc import Mapping
from email.message import EmailMessage
from email.utils import formatdate

import requests

from server.services.notifications.messages import Message


class DeliveryFailed(Exception):
    """This message did not get through; it is retried later."""


class ChannelDown(DeliveryFailed):
    """The channel itself is unreachable: the rest of this run leaves its messages waiting."""


class EmailChannel:
    """One SMTP connection per delivery run, opened on the first message."""

    def __init__(self, config: Mapping):
        self.host, self.port = config["NOTIFY_SMTP_HOST"], config["NOTIFY_SMTP_PORT"]
        self.user, self.password = config["NOTIFY_SMTP_USER"], config["NOTIFY_SMTP_PASSWORD"]
        self.tls, self.sender = config["NOTIFY_SMTP_TLS"], config["NOTIFY_MAIL_FROM"]
        self.timeout = config["NOTIFY_TIMEOUT_SECONDS"]
        if self.tls not in ("starttls", "ssl", "none"):
            raise ValueError(f"TAPLINE_NOTIFY_SMTP_TLS is starttls, ssl or none, not {self.tls!r}")
        self._smtp: smtplib.SMTP | None = None

    def send(self, recipient: str, message: Message, key: str) -> None:
        """Send to `recipient` with Message-ID `<key@tapline>`, so a receiver can drop a re-sent copy."""
        mail = EmailMessage()
        mail["From"], mail["To"], mail["Subject"] = self.sender, recipient, message.subject
        mail["Message-ID"], mail["Date"] = f"<{key}@tapline>", formatdate(localtime=False)
        mail.set_content(message.text)
        try:
            self._connection().send_message(mail)
        except smtplib.SMTPRecipientsRefused as error:
            raise DeliveryFailed(f"recipient refused: {error.recipients}") from error
        except smtplib.SMTPResponseException as error:
            raise DeliveryFailed(f"SMTP {error.smtp_code}: {error.smtp_error!r}") from error
        except (OSError, smtplib.SMTPException) as error:
            self.close()
            raise ChannelDown(f"SMTP server {self.host}:{self.port}: {error.__class__.__name__}: {error}") from error

    def _connection(self) -> smtplib.SMTP:
        if self._smtp is None:
            # smtplib would greet with socket.getfqdn(), a DNS lookup that can hang for seconds on a host
            # without a resolvable name; the host name is what a relay logs anyway.
            greeting = socket.gethostname()
            if self.tls == "ssl":
                smtp = smtplib.SMTP_SSL(self.host, self.port, local_hostname=greeting, timeout=self.timeout,
                                        context=ssl.create_default_context())
            else:
                smtp = smtplib.SMTP(self.host, self.port, local_hostname=greeting, timeout=self.timeout)
                if self.tls == "starttls":
                    smtp.starttls(context=ssl.create_default_context())
            if self.user:
                smtp.login(self.user, self.password)
            self._smtp = smtp
        return self._smtp

    def close(self) -> None:
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except (OSError, smtplib.SMTPException):
                pass
            self._smtp = None


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """`sha256=` and the hex HMAC-SHA256, keyed by the shared secret, of `timestamp.body`."""
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return f"sha256={mac.hexdigest()}"


class WebhookChannel:
    """POSTs the message's JSON payload, signed, with the notification's id as its Idempotency-Key."""

    def __init__(self, config: Mapping):
        self.secret, self.timeout = config["NOTIFY_WEBHOOK_SECRET"], config["NOTIFY_TIMEOUT_SECONDS"]
        self._http = requests.Session()

    def send(self, recipient: str, message: Message, key: str) -> None:
        body = json.dumps(message.payload, ensure_ascii=False).encode()
        timestamp = str(int(time.time()))
        headers = {"Content-Type": "application/json; charset=utf-8", "Idempotency-Key": key,
                   "X-Tapline-Timestamp": timestamp, "X-Tapline-Signature": signature(self.secret, timestamp, body)}
        try:
            response = self._http.post(recipient, data=body, headers=headers, timeout=self.timeout)
        except requests.RequestException as error:
            raise ChannelDown(f"webhook {recipient}: {error.__class__.__name__}: {error}") from error
        if response.status_code >= 500:
            raise ChannelDown(f"webhook {recipient}: HTTP {response.status_code}")
        if not 200 <= response.status_code < 300:
            raise DeliveryFailed(f"webhook {recipient}: HTTP {response.status_code} {response.text[:200]}")

    def close(self) -> None:
        self._http.close()
