"""Delivery: claim one due message at a time with SKIP LOCKED, send it, and record the outcome in that transaction.

A message is marked sent in the transaction that holds its row while it is sent, so no other worker sends it
meanwhile and a worker that restarts never sends a message already marked. What remains is the window
between the receiver accepting the message and that commit: a worker killed there (or a database lost) has
sent it without marking it, and the message goes again. Delivery is therefore at least once; the
notification's id travels as the webhook's Idempotency-Key and the email's Message-ID so receivers drop the
copy (docs/notifications.md).
"""
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from server.models import Notification
from server.services.notifications.channels import ChannelDown, DeliveryFailed, EmailChannel, WebhookChannel
from server.services.notifications.messages import compose
from server.unit_of_work import unit_of_work

ERROR_CHARS = 1000


def open_channels(config: Mapping) -> dict:
    return {"email": EmailChannel(config), "webhook": WebhookChannel(config)}


def deliver(engine: Engine, channels: Mapping, config: Mapping) -> dict[str, int]:
    """Send up to `NOTIFY_BATCH` due messages; counts of `sent`, `retrying` and `parked`.

    A channel found down leaves the rest of its messages for the next run (each keeps its own backoff).
    """
    counts = {"sent": 0, "retrying": 0, "parked": 0}
    down: set[str] = set()
    for _ in range(config["NOTIFY_BATCH"]):
        with Session(engine) as session, unit_of_work(session):
            notification = session.scalars(
                select(Notification).where(Notification.state == "pending", Notification.next_attempt_at <= func.now(),
                                           Notification.channel.not_in(down))
                .order_by(Notification.next_attempt_at).limit(1).with_for_update(skip_locked=True)).first()
            if notification is None:
                break
            notification.attempts += 1
            try:
                channels[notification.channel].send(notification.recipient, compose(session, notification),
                                                    str(notification.id))
                notification.state, notification.sent_at, notification.last_error = "sent", datetime.now(UTC), None
            except DeliveryFailed as error:
                if isinstance(error, ChannelDown):
                    down.add(notification.channel)
                _failed(notification, str(error), config)
            counts["sent" if notification.state == "sent" else
                   "parked" if notification.state == "parked" else "retrying"] += 1
    return counts


def _failed(notification: Notification, error: str, config: Mapping) -> None:
    notification.last_error = error[:ERROR_CHARS]
    if notification.attempts >= config["NOTIFY_MAX_ATTEMPTS"]:
        notification.state = "parked"
        return
    delay = min(config["NOTIFY_BACKOFF_SECONDS"] * 2 ** (notification.attempts - 1),
                config["NOTIFY_BACKOFF_MAX_SECONDS"])
    notification.next_attempt_at = datetime.now(UTC) + timedelta(seconds=delay)
