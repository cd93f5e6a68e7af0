"""Alerts reach people: a real SMTP server and a real HTTP receiver, committed data, a worker killed mid-delivery.

Delivery runs over every tenant's outbox, so these tests start and end with an empty one, and count what the
receivers got for their own tenant.
"""
import os
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, text, update
from sqlalchemy.orm import Session

from server.extensions import db
from server.models import Notification, SlaClock
from server.services import alerts
from server.services.notifications import delivery
from server.services.notifications.channels import signature
from server.services.notifications.outbox import NAMED_CLOCKS, Targets
from tests.e2e.conftest import emptied
from tests.factories import ApiClient, make_application
from tests.receivers import Holding, SmtpReceiver, WebhookReceiver, free_port

SECRET = "s3cret-shared-with-the-receiver"
WAITING = text("select wait_event_type = 'Lock' from pg_stat_activity where pid = :pid")
TAPLINE = os.path.join(os.path.dirname(sys.executable), "tapline")


@pytest.fixture
def outbox(app):
    yield from emptied(Notification)


@pytest.fixture(autouse=True)
def clocks_closed_after(world):
    """These tests commit their tenant's open clocks; closed after each, a later sweep over every tenant (the API
    tests sweep at instants days ahead) raises nothing for them."""
    yield
    with Session(db.engine) as session:
        session.execute(update(SlaClock).where(SlaClock.tenant_id == world.id, SlaClock.done_at.is_(None))
                        .values(done_at=datetime.now(UTC)))
        session.commit()


@pytest.fixture
def staff(app, world):
    """The world's dispatcher and admin with email addresses, set as an admin would (PATCH with If-Match)."""
    api = ApiClient(app.test_client(), world)
    for name in ("dispatcher", "admin"):
        path = f"/api/v1/users/{world.users[name].id}"
        etag = api.get(path).headers["ETag"]
        response = api.patch(path, json={"email": f"{name}@{world.tenant.slug}.example"}, headers={"If-Match": etag})
        assert response.status_code == 200, response.json
    return api


def overdue_application(api, *, hours: float) -> dict:
    """An application whose water connection (即办) fell due `hours` ago: its clock moved back in time."""
    application = make_application(api)
    now = datetime.now(UTC)
    with Session(db.engine) as session:
        session.execute(update(SlaClock).where(SlaClock.application_id == application["id"],
                                               SlaClock.step == "water.connection")
                        .values(started_at=now - timedelta(hours=hours + 2), due_at=now - timedelta(hours=hours)))
        session.commit()
    return application


def settings(app, smtp_port: int, webhook_url: str, **overrides) -> dict:
    return {**app.config, "NOTIFY_SMTP_HOST": "127.0.0.1", "NOTIFY_SMTP_PORT": smtp_port, "NOTIFY_SMTP_TLS": "none",
            "NOTIFY_WEBHOOK_URL": webhook_url, "NOTIFY_WEBHOOK_SECRET": SECRET, "NOTIFY_TIMEOUT_SECONDS": 5,
            **overrides}


def sweep(config: dict) -> dict:
    with Session(db.engine) as session:
        return alerts.run_sweep(session, at=datetime.now(UTC), warning_share=0.75,
                                escalation_grace=timedelta(hours=24), targets=Targets.from_config(config))


def deliver(config: dict) -> dict:
    channels = delivery.open_channels(config)
    try:
        return delivery.deliver(db.engine, channels, config)
    finally:
        for channel in channels.values():
            channel.close()


def ours(webhook: WebhookReceiver, world) -> dict[str, dict]:
    return {key: payload for key, payload in webhook.distinct().items() if payload["tenant"] == world.tenant.slug}


def test_each_alert_reaches_its_people_once_by_email_and_by_signed_webhook(app, world, staff, outbox):
    application = overdue_application(staff, hours=25)
    with SmtpReceiver() as smtp, WebhookReceiver() as webhook:
        config = settings(app, smtp.port, webhook.url)
        sweep(config)
        deliver(config)
        sweep(config)
        deliver(config)

    dispatcher, admin = (f"{name}@{world.tenant.slug}.example" for name in ("dispatcher", "admin"))
    number = application["number"]
    assert sorted((m["To"], m["Subject"]) for m in smtp.messages) == sorted([
        (dispatcher, f"【超期预警】{number} 用水·通水"), (dispatcher, f"【已超期】{number} 用水·通水"),
        (admin, f"【超期督办】{number} 用水·通水")])
    assert len(smtp.distinct()) == 3
    escalation = next(m for m in smtp.messages if m["To"] == admin)
    assert "超期未办，请督办" in escalation.get_content() and "（北京时间）" in escalation.get_content()

    hooks = ours(webhook, world)
    assert sorted(payload["kind"] for payload in hooks.values()) == ["escalation", "overdue", "warning"]
    assert len([r for r in webhook.requests if r[2]["tenant"] == world.tenant.slug]) == 3
    for headers, body, payload in webhook.requests:
        assert headers["X-Tapline-Signature"] == signature(SECRET, headers["X-Tapline-Timestamp"], body)
        assert headers["Idempotency-Key"] == payload["id"]
    escalated = next(payload for payload in hooks.values() if payload["kind"] == "escalation")
    assert [person["email"] for person in escalated["recipients"]] == [admin]
    assert escalated["count"] == 1 and [deadline["application_number"] for deadline in escalated["deadlines"]] == [number]
    assert escalated["deadlines"][0]["due_at"].endswith("+08:00")


def test_a_backlog_reaches_each_person_once_a_level_naming_the_steps_due_first(app, world, staff, outbox):
    """The first sweep over many late steps: one message per level and recipient, not one per step."""
    hours = range(26, 27 + NAMED_CLOCKS)  # one more late step than a message names
    numbers = [overdue_application(staff, hours=late)["number"] for late in hours]
    due_first = numbers[::-1]
    with SmtpReceiver() as smtp, WebhookReceiver() as webhook:
        config = settings(app, smtp.port, webhook.url)
        sweep(config)
        deliver(config)

    dispatcher = f"dispatcher@{world.tenant.slug}.example"
    emails = {m["Subject"]: m.get_content() for m in smtp.messages if m["To"] == dispatcher}
    overdue = f"【已超期】{due_first[0]} 用水·通水 等 {len(numbers)} 项"
    assert sorted(emails) == sorted([overdue, f"【超期预警】{due_first[0]} 用水·通水 等 {len(numbers)} 项"])
    *named, rest = emails[overdue].strip().splitlines()
    assert [line.split()[1].split("（")[0] for line in named] == due_first[:NAMED_CLOCKS]
    assert rest == "另有 1 项未列出，见控制台「超期预警」。"

    hooks = sorted(ours(webhook, world).values(), key=lambda payload: payload["kind"])
    assert [(payload["kind"], payload["count"]) for payload in hooks] == [
        ("escalation", len(numbers)), ("overdue", len(numbers)), ("warning", len(numbers))]
    assert all([deadline["application_number"] for deadline in payload["deadlines"]] == due_first[:NAMED_CLOCKS]
               for payload in hooks)


def test_two_sweeps_at_once_raise_each_alert_and_its_messages_once(app, world, staff, outbox):
    """The worker's sweep and one run by hand: the second waits for the first to commit and finds its alerts."""
    application = overdue_application(staff, hours=25)
    targets, now = Targets.from_config(settings(app, free_port(), "https://hooks.example/tapline")), datetime.now(UTC)

    def sweep_in(session: Session) -> dict:
        return alerts.sweep(session, at=now, warning_share=0.75, escalation_grace=timedelta(hours=24), targets=targets)

    with Session(db.engine) as first, Session(db.engine) as second, ThreadPoolExecutor(1) as pool:
        assert sweep_in(first)["escalation"] >= 1
        second_pid = second.execute(text("select pg_backend_pid()")).scalar_one()
        racing = pool.submit(sweep_in, second)
        while not racing.done() and not first.execute(WAITING, {"pid": second_pid}).scalar():
            time.sleep(0.01)
        first.commit()
        assert racing.result() == {"warning": 0, "overdue": 0, "escalation": 0}
        second.commit()

    raised = staff.get("/api/v1/sla/alerts", as_="dispatcher", query_string={"application_id": application["id"]})
    assert sorted(alert["level"] for alert in raised.json) == ["escalation", "overdue", "warning"]
    told = staff.get("/api/v1/notifications", as_="admin", query_string={"state": "pending"}).json
    assert sorted((n["kind"], n["channel"]) for n in told) == [
        ("escalation", "email"), ("escalation", "webhook"), ("overdue", "email"), ("overdue", "webhook"),
        ("warning", "email"), ("warning", "webhook")]


def test_failures_back_off_then_park_and_an_admin_requeues(app, world, staff, outbox):
    overdue_application(staff, hours=1)
    with WebhookReceiver() as webhook:
        webhook.status = 400
        config = settings(app, free_port(), webhook.url, NOTIFY_MAX_ATTEMPTS=2, NOTIFY_BACKOFF_SECONDS=30)
        sweep(config)
        first = deliver(config)
        assert first["sent"] == 0 and first["retrying"] >= 3
        # The webhooks wait their 30 s backoff; the SMTP server, down, is tried once a run, with another email.
        assert deliver(config) == {"sent": 0, "retrying": 1, "parked": 0}
        with Session(db.engine) as session:
            rows = session.scalars(select(Notification).where(Notification.tenant_id == world.id)).all()
            webhooks = [row for row in rows if row.channel == "webhook"]
            emails = [row for row in rows if row.channel == "email"]
            assert all(timedelta(seconds=29) < row.next_attempt_at - datetime.now(UTC) <= timedelta(seconds=30)
                       for row in webhooks)
            assert [row.attempts for row in emails] == [1, 1] and {row.state for row in emails} == {"pending"}
            session.execute(update(Notification).where(Notification.channel == "webhook")
                            .values(next_attempt_at=datetime.now(UTC)))
            session.commit()
        deliver(config)

        parked = staff.get("/api/v1/notifications", as_="admin").json
        assert sorted(n["kind"] for n in parked) == ["overdue", "warning"]
        assert {(n["channel"], n["attempts"], n["last_error"].split(": ")[-1]) for n in parked} == {
            ("webhook", 2, "HTTP 400 ")}
        assert staff.get("/api/v1/notifications", as_="dispatcher").status_code == 403

        webhook.status = 200
        requeued = staff.post(f"/api/v1/notifications/{parked[0]['id']}/requeue", as_="admin")
        assert (requeued.status_code, requeued.json["state"], requeued.json["attempts"]) == (200, "pending", 0)
        deliver(config)
    assert list(ours(webhook, world)) == [parked[0]["id"]]
    again = staff.post(f"/api/v1/notifications/{parked[0]['id']}/requeue", as_="admin")
    assert (again.status_code, again.json["code"]) == (409, "not_parked")


def test_a_worker_killed_mid_delivery_leaves_each_receiver_one_message_per_alert(app, world, staff, outbox,
                                                                                empty_schedule):
    """SIGKILL after a receiver accepted a message, before the worker recorded it: it goes again, with the same key."""
    application = overdue_application(staff, hours=25)
    holding = Holding(hold_first=True)
    with SmtpReceiver(holding) as smtp, WebhookReceiver(holding) as webhook:
        env = {**os.environ, "DATABASE_URL": app.config["DATABASE_URL"], "TAPLINE_WORKER_POLL_SECONDS": "0.1",
               "TAPLINE_WORKER_DELIVERY_SECONDS": "1",
               **{f"TAPLINE_{name}": str(value) for name, value in settings(app, smtp.port, webhook.url).items()
                  if name.startswith("NOTIFY_")}}

        def start():
            return subprocess.Popen([TAPLINE, "worker"], env=env, stderr=subprocess.DEVNULL)

        first = start()
        try:
            assert holding.first_arrived.wait(60), "the worker sent nothing"
        finally:
            first.kill()  # also when the assertion fails: no worker outlives its test
            first.wait()
        holding.release()
        second = start()
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and (len(smtp.distinct()) < 3 or len(ours(webhook, world)) < 3):
                time.sleep(0.1)
        finally:
            second.send_signal(signal.SIGTERM)
            try:
                second.wait(20)
            except subprocess.TimeoutExpired:
                second.kill()

    emails = [m for m in smtp.messages if application["number"] in m["Subject"]]
    hooks = [payload for _, _, payload in webhook.requests if payload["tenant"] == world.tenant.slug]
    assert len(smtp.distinct()) == 3 and len(ours(webhook, world)) == 3
    # The crash window hit exactly one message, which arrived twice with the same key; all else once.
    assert len(emails) + len(hooks) == 7
