"""The applicant's progress query (进度查询, 004 三(七)): number and phone in, the steps' due and done times out.

It answers anyone, so it gives away nothing: a wrong phone, a wrong number and an unknown utility get the
same 404, the phone is compared in constant time (and compared even when nothing matched, so a miss takes
as long as a wrong phone), and each client address gets a few queries a minute.
"""
import hashlib
import hmac

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.errors import ApiError
from server.models import Application, Tenant
from server.services import ratelimits, sla

TIMELINE_FIELDS = ("utility", "step", "due_at", "done_at")
# Compared against when no application matched, so that a miss does the same work as a wrong phone.
_NO_PHONE = "0" * 11


class NoSuchApplication(ApiError):
    status, code = 404, "not_found"

    def __init__(self):
        super().__init__("no application matches this number and contact phone")


def query_progress(session: Session, *, tenant: str, number: str, contact_phone: str, client: str,
                   per_minute: int) -> dict:
    """The application's steps, soonest due first; 404 `not_found` or 429 `rate_limited`."""
    key = f"progress:{client}"
    ratelimits.check(session, key, per_minute)
    ratelimits.hit(session, key)
    found = session.execute(
        select(Application.tenant_id, Application.id, Application.contact_phone)
        .join(Tenant, Tenant.id == Application.tenant_id)
        .where(Tenant.slug == tenant, Application.number == number)).first()
    matches = hmac.compare_digest(_fingerprint(found.contact_phone if found else _NO_PHONE),
                                  _fingerprint(contact_phone))
    if found is None or not matches:
        raise NoSuchApplication()
    steps = sla.timeline(session, found.tenant_id, found.id)
    return {"steps": [{name: step[name] for name in TIMELINE_FIELDS} for step in steps]}


def _fingerprint(phone: str) -> bytes:
    """The number without +86 and dashes (as validate_phone lets them be written), hashed to a fixed length."""
    return hashlib.sha256(phone.removeprefix("+86").replace("-", "").encode()).digest()
