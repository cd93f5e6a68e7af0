"""The text of a notification, written when it is delivered: Chinese, times in the tenant's time zone."""
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from server.models import Application, Notification, SlaClock, Tenant, User
from server.services.steps import step_name

TITLES = {"warning": "超期预警", "overdue": "已超期", "escalation": "超期督办", "follow_up": "回访不满意"}
RECIPIENT_ROLES = {"warning": "dispatcher", "overdue": "dispatcher", "escalation": "admin", "follow_up": "dispatcher"}


@dataclass(frozen=True)
class Message:
    subject: str
    text: str
    #: What a webhook receiver (an SMS or WeCom bridge) routes on: the event and the people it is for.
    payload: dict


def compose(session: Session, notification: Notification) -> Message:
    """The message of `notification`, from the clocks it names, their applications and the people of its role.

    One clock reads as itself; more read one line each, due first, with how many the message does not name.
    """
    tenant_slug, time_zone = session.execute(select(Tenant.slug, Tenant.time_zone)
                                             .where(Tenant.id == notification.tenant_id)).one()
    zone = ZoneInfo(time_zone)
    rows = session.execute(
        select(SlaClock, Application.number, Application.applicant_unit)
        .join(Application, and_(Application.tenant_id == SlaClock.tenant_id, Application.id == SlaClock.application_id))
        .where(SlaClock.tenant_id == notification.tenant_id, SlaClock.id.in_(notification.clock_ids))).all()
    position = {clock_id: index for index, clock_id in enumerate(notification.clock_ids)}
    named = sorted(rows, key=lambda row: position[row[0].id])
    people = session.execute(select(User.display_name, User.email, User.phone).where(
        User.tenant_id == notification.tenant_id, User.role == RECIPIENT_ROLES[notification.kind], User.active)
        .order_by(User.username)).all()
    title, count = TITLES[notification.kind], notification.clock_count
    lines = [f"报装 {number}（{unit}）的「{step_name(clock.step)}」"
             f"{_situation(notification.kind, clock.due_at.astimezone(zone))}" for clock, number, unit in named]
    if count > len(named):
        lines.append(f"另有 {count - len(named)} 项未列出，见控制台「超期预警」。")
    first_clock, first_number, _ = named[0]
    subject = f"【{title}】{first_number} {step_name(first_clock.step)}" + (f" 等 {count} 项" if count > 1 else "")
    text = "\n".join(lines)
    payload = {
        "id": str(notification.id), "kind": notification.kind, "title": title, "text": text, "tenant": tenant_slug,
        "count": count,
        "deadlines": [{"application_number": number, "application_id": str(clock.application_id), "step": clock.step,
                       "step_name": step_name(clock.step), "due_at": clock.due_at.astimezone(zone).isoformat()}
                      for clock, number, _ in named],
        "recipients": [{"name": name, "email": email, "phone": phone} for name, email, phone in people],
    }
    return Message(subject=subject, text=text, payload=payload)


def _situation(kind: str, due_at: datetime) -> str:
    """`due_at` in the tenant's zone: named 北京时间 in China's, by its offset elsewhere."""
    offset = due_at.strftime("%z")
    zone = "北京时间" if offset == "+0800" else f"UTC{offset[:3]}:{offset[3:]}"
    due = f"{due_at:%Y-%m-%d %H:%M}（{zone}）"
    return {
        "warning": f"将于 {due} 到期，请尽快办理。",
        "overdue": f"已于 {due} 到期，尚未办结。",
        "escalation": f"已于 {due} 到期，超期未办，请督办。",
        "follow_up": f"客户回访不满意，请于 {due} 前逐条销号解决。",
    }[kind]

