"""Deadline alerts: the cron sweep that raises each (clock, level) once, and the staff's list of them."""
import uuid
from datetime import datetime, timedelta

from sqlalchemy import and_, func, select, text
from sqlalchemy.orm import Session

from policy.process import ALERT_LEVELS
from server.models import Application, SlaAlert, SlaClock
from server.services import sla
from server.services.notifications import outbox
from server.unit_of_work import commits

# One statement over the open clocks of every tenant: each clock is paired with the three levels, and the
# pairs whose instant has come are inserted. `not exists` skips, cheaply, what earlier sweeps raised (read
# once, before the insert: probed row by row, sla_alerts would also be scanned for the rows this very
# statement inserts, which the planner cannot foresee when the table was empty, and a first sweep over
# 100,000 clocks ran for minutes). Sweeps take turns (TAKE_TURNS), so that reading sees every alert raised
# before and the insert needs no `on conflict` check per row, a third of its time over a backlog; the key
# (tenant, clock, level) still refuses a second copy. Escalations name the tenant's active admins they go
# to. A cancelled application's clocks no longer count. The alerts raised become their messages in the same
# statement (outbox.ENQUEUE), so none is raised without its messages.
SWEEP = text("""
with admins as (
    select tenant_id, array_agg(id order by id) as ids from users where role = 'admin' and active group by tenant_id
), raised_before as materialized (
    select x.tenant_id, x.clock_id, x.level from sla_alerts x
    join sla_clocks o on o.tenant_id = x.tenant_id and o.id = x.clock_id
    where o.done_at is null
), raised as (
    insert into sla_alerts (tenant_id, clock_id, level, due_at, raised_at, recipients)
    select c.tenant_id, c.id, l.level, c.due_at, :at,
           case when l.level = 'escalation' then coalesce(a.ids, '{}') else '{}' end
    from sla_clocks c
    cross join (values ('warning'), ('overdue'), ('escalation')) as l(level)
    left join admins a on a.tenant_id = c.tenant_id
    where c.done_at is null and c.due_at is not null
      and case l.level
          when 'warning' then :at >= coalesce(c.started_at, c.due_at)
                                      + (c.due_at - coalesce(c.started_at, c.due_at)) * :share
          when 'overdue' then :at > c.due_at
          else :at > c.due_at + :grace
          end
      and not exists (select from raised_before x where x.tenant_id = c.tenant_id and x.clock_id = c.id
                      and x.level = l.level)
      and not exists (select from survey_tasks t where t.tenant_id = c.tenant_id
                      and t.application_id = c.application_id and t.status = 'cancelled')
    returning tenant_id, clock_id, level, due_at
), new_alerts as (
    select tenant_id, clock_id, level as kind, due_at from raised
),""" + outbox.ENQUEUE + """
select level, count(*) from raised group by level
""")
# Held to the end of the sweep's transaction: a second sweep waits for the first to commit, and its statement,
# which reads committed data as it starts (read committed), finds those alerts already raised.
TAKE_TURNS = select(func.pg_advisory_xact_lock(func.hashtextextended("sla_sweep", 0)))


def sweep(session: Session, *, at: datetime, warning_share: float, escalation_grace: timedelta,
          targets: outbox.Targets = outbox.Targets(email=False, webhook_url="")) -> dict[str, int]:
    """Raise every alert the open clocks have reached by `at`, each (clock, level) once, with its notifications
    to `targets` (none by default); new alerts per level."""
    if not 0 < warning_share < 1:
        raise ValueError(f"the warning share must lie between 0 and 1, not {warning_share}")
    session.execute(TAKE_TURNS)
    counts = dict(session.execute(SWEEP, {"at": at, "share": warning_share, "grace": escalation_grace,
                                          **targets.params()}).all())
    return {level: counts.get(level, 0) for level in ALERT_LEVELS}


@commits
def run_sweep(session: Session, *, at: datetime, warning_share: float, escalation_grace: timedelta,
              targets: outbox.Targets) -> dict[str, int]:
    """What the worker runs: catch the clocks up with survey submissions, then sweep; one commit."""
    refreshed = sla.catch_up(session)
    counts = sweep(session, at=at, warning_share=warning_share, escalation_grace=escalation_grace,
                   targets=targets)
    return {"applications_refreshed": refreshed, **counts}


def list_alerts(session: Session, tenant_id: uuid.UUID, filters: dict, *, offset: int,
                limit: int) -> tuple[list[dict], int]:
    """The tenant's alerts, newest first, with their clock's application and step."""
    query = (select(SlaAlert, SlaClock.application_id, SlaClock.step, Application.number)
             .join(SlaClock, and_(SlaClock.tenant_id == SlaAlert.tenant_id, SlaClock.id == SlaAlert.clock_id))
             .join(Application, and_(Application.tenant_id == SlaClock.tenant_id,
                                     Application.id == SlaClock.application_id))
             .where(SlaAlert.tenant_id == tenant_id))
    if "level" in filters:
        query = query.where(SlaAlert.level == filters["level"])
    if "application_id" in filters:
        query = query.where(SlaClock.application_id == filters["application_id"])
    if "step" in filters:
        query = query.where(SlaClock.step == filters["step"])
    if "since" in filters:
        query = query.where(SlaAlert.raised_at >= filters["since"])
    total = session.scalar(select(func.count()).select_from(query.subquery()))
    rows = session.execute(query.order_by(SlaAlert.raised_at.desc(), SlaClock.step, SlaAlert.clock_id,
                                          SlaAlert.level).offset(offset).limit(limit))
    return [{"clock_id": alert.clock_id, "level": alert.level, "application_id": application_id, "number": number,
             "step": step, "due_at": alert.due_at, "raised_at": alert.raised_at, "recipients": alert.recipients}
            for alert, application_id, step, number in rows], total
