"""The applicant's progress query (进度查询, 004 三(七)): the code on the receipt (or number and phone) in,
the stages and steps with their due and done times (in the tenant's time zone) out, names masked.

It answers anyone, so it gives away nothing: the code is 64 random bits; a wrong code, phone or number and an
unknown tenant get the same 404; the phone is compared in constant time (and compared even when nothing
matched, so a miss takes as long as a wrong phone); each client address gets a few queries a minute.
"""
import hashlib
import hmac
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.error_codes import ServerCode
from server.errors import ApiError
from server.models import Application, Tenant
from server.services import sla, stages
from server.services.steps import UTILITY_NAMES, step_name

# Compared against when no application matched, so that a miss does the same work as a wrong phone.
_NO_PHONE = "0" * 11


class NoSuchApplication(ApiError):
    def __init__(self):
        super().__init__(ServerCode.NOT_FOUND, "no application matches this query")


def limit_key(client: str) -> str:
    """The rate-limit key of progress queries from one client address."""
    return f"progress:{client}"


def query_progress(session: Session, query: dict) -> dict:
    """The application's stages and steps; 404 `not_found`.

    `query` holds `code` (from the receipt), or `tenant`, `number` and `contact_phone`.
    """
    application = _by_code(session, query["code"]) if "code" in query else _by_number(session, **query)
    clocks = sla.timeline(session, application.tenant_id, application.id)
    zone = ZoneInfo(session.get(Tenant, application.tenant_id).time_zone)
    return {
        "number": application.number,
        "applicant": mask(application.applicant_unit, keep_start=3, keep_end=4),
        "contact": mask(application.contact_name, keep_start=1, keep_end=0),
        "utilities": [UTILITY_NAMES[utility] for utility in application.utilities],
        "applied_at": stages.local(application.applied_at, zone),
        "stages": stages.stages(session, application, clocks, zone),
        "steps": [{"utility": clock["utility"], "step": clock["step"],
                   "name": step_name(f"{clock['utility']}.{clock['step']}"),
                   "due_at": stages.local(clock["due_at"], zone), "done_at": stages.local(clock["done_at"], zone)}
                  for clock in clocks],
    }


def mask(name: str, *, keep_start: int, keep_end: int) -> str:
    """`随州市曾都区新能源科技有限公司` → `随州市********有限公司`, `陈经理` → `陈**`; short names keep less."""
    if len(name) <= keep_start + keep_end:
        keep_start, keep_end = min(1, len(name) - 1), 0
    return name[:keep_start] + "*" * (len(name) - keep_start - keep_end) + name[len(name) - keep_end:]


def _by_code(session: Session, code: str) -> Application:
    application = session.scalars(select(Application).where(Application.progress_code == code)).first()
    if application is None:
        raise NoSuchApplication()
    return application


def _by_number(session: Session, *, tenant: str, number: str, contact_phone: str) -> Application:
    found = session.scalars(select(Application).join(Tenant, Tenant.id == Application.tenant_id)
                            .where(Tenant.slug == tenant, Application.number == number)).first()
    matches = hmac.compare_digest(_fingerprint(found.contact_phone if found else _NO_PHONE),
                                  _fingerprint(contact_phone))
    if found is None or not matches:
        raise NoSuchApplication()
    return found


def _fingerprint(phone: str) -> bytes:
    """The number without +86 and dashes (as validate_phone lets them be written), hashed to a fixed length."""
    return hashlib.sha256(phone.removeprefix("+86").replace("-", "").encode()).digest()
