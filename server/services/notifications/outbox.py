"""The outbox: the alerts a sweep raises become one message per level, recipient and channel, in their transaction.

Warnings and overdue steps go to the tenant's active dispatchers (they assign the crews and teams who act),
escalations to its active admins, each by email where the user has an address; every message also goes to
the configured webhook, which an SMS or WeCom bridge may stand behind. A return visit's dissatisfied customer
(follow_up) goes to the dispatchers too, as a message about its one clock.
"""
import uuid
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from policy.process import NOTIFICATION_STATES
from server.error_codes import ServerCode
from server.errors import ApiError
from server.models import Notification
from server.services.lookup import get_or_404
from server.unit_of_work import commits


@dataclass(frozen=True)
class Targets:
    """The channels configured: email when an SMTP server is, the webhook when its URL is."""

    email: bool
    webhook_url: str

    @classmethod
    def from_config(cls, config: Mapping) -> "Targets":
        return cls(email=bool(config["NOTIFY_SMTP_HOST"]), webhook_url=config["NOTIFY_WEBHOOK_URL"])

    def params(self) -> dict:
        return {"email": self.email, "webhook_url": self.webhook_url}


#: The most clocks one message names: a sweep over a backlog raises thousands of alerts of a level at once, and
#: a person reads the first few and the count; the console lists them all.
NAMED_CLOCKS = 20

#: A CTE over `new_alerts(tenant_id, clock_id, kind, due_at)`, inserting for each tenant and kind one message to
#: each recipient of the `:email` and `:webhook_url` targets, naming the clocks due first. Each alert is new
#: (its own key makes it once), so each message is written once however often the sweep runs.
ENQUEUE = f"""
notified as (
    insert into notifications (tenant_id, id, clock_ids, clock_count, kind, channel, recipient, state, attempts,
                               next_attempt_at)
    select n.tenant_id, gen_random_uuid(), n.clock_ids, n.clock_count, n.kind, r.channel, r.recipient, 'pending', 0,
           now()
    from (
        select tenant_id, kind, (array_agg(clock_id order by due_at, clock_id))[1:{NAMED_CLOCKS}] as clock_ids,
               count(*) as clock_count
        from new_alerts group by tenant_id, kind
    ) as n
    cross join lateral (
        select 'email', u.email from users u
        where :email and u.tenant_id = n.tenant_id and u.active and u.email is not null
          and u.role = case n.kind when 'escalation' then 'admin' else 'dispatcher' end
        union all
        select 'webhook', cast(:webhook_url as text) where :webhook_url <> ''
    ) as r(channel, recipient)
    returning 1
)"""

FOLLOW_UP = text(f"""
with new_alerts(tenant_id, clock_id, kind, due_at) as (
    values (cast(:tenant_id as uuid), cast(:clock_id as uuid), 'follow_up', cast(null as timestamptz))
), {ENQUEUE}
select count(*) from notified
""")


def enqueue_follow_up(session: Session, tenant_id: uuid.UUID, clock_id: uuid.UUID, targets: Targets) -> int:
    """Tell the dispatchers that a customer was dissatisfied (the follow-up clock `clock_id`); rows written."""
    return session.scalar(FOLLOW_UP, {"tenant_id": tenant_id, "clock_id": clock_id, **targets.params()})


def list_notifications(session: Session, tenant_id: uuid.UUID, state: str, *, offset: int,
                       limit: int) -> tuple[list[Notification], int]:
    """The tenant's notifications in `state`, oldest first."""
    query = select(Notification).where(Notification.tenant_id == tenant_id, Notification.state == state)
    total = session.scalar(select(func.count()).select_from(query.subquery()))
    rows = session.scalars(query.order_by(Notification.created_at, Notification.id).offset(offset).limit(limit))
    return list(rows), total


def count_by_state(session: Session) -> dict[str, int]:
    """Every tenant's notifications by state, each state named (0 when none)."""
    counts = dict(session.execute(select(Notification.state, func.count()).group_by(Notification.state)).all())
    return {state: counts.get(state, 0) for state in NOTIFICATION_STATES}


@commits
def requeue(session: Session, tenant_id: uuid.UUID, notification_id: uuid.UUID) -> Notification:
    """Give a parked notification a fresh set of attempts, due now; commits. 409 `not_parked` otherwise."""
    notification = get_or_404(session, Notification, tenant_id, notification_id, for_update=True)
    if notification.state != "parked":
        raise ApiError(ServerCode.NOT_PARKED,
                       f"this notification is {notification.state}; only a parked one is re-queued",
                       details={"state": notification.state})
    notification.state, notification.attempts, notification.next_attempt_at = "pending", 0, func.now()
    return notification
