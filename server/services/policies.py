"""The city policy profiles, evaluated against a tenant's working-day calendar."""
import uuid
from functools import cache

from sqlalchemy import select
from sqlalchemy.orm import Session

import policy
from server.errors import NotFound, Unprocessable
from server.models import CalendarYear


@cache
def profiles() -> dict[str, policy.Profile]:
    """Loaded once per process from the package's files; a broken profile stops the app at start-up."""
    return policy.load_profiles()


def get_profile(profile_id: str) -> policy.Profile:
    try:
        return profiles()[profile_id]
    except KeyError:
        raise NotFound("Profile", profile_id) from None


def known_profile(profile_id: str, *, field: str) -> policy.Profile:
    """The profile a request names, or a 422 on that field listing the known ones."""
    if profile_id not in profiles():
        raise Unprocessable(f"no policy profile {profile_id!r}", code="unknown_profile", field=field,
                            details={"allowed": sorted(profiles())})
    return profiles()[profile_id]


def tenant_calendar(session: Session, tenant_id: uuid.UUID) -> policy.WorkingCalendar:
    """The statutory calendar with the tenant's uploaded years replacing the package's."""
    rows = session.scalars(select(CalendarYear).where(CalendarYear.tenant_id == tenant_id)).all()
    return policy.WorkingCalendar({row.year: policy.YearOverride(holidays=frozenset(row.holidays),
                                                                 workdays=frozenset(row.workdays)) for row in rows})


def evaluate(session: Session, tenant_id: uuid.UUID, profile_id: str, raw_facts: dict) -> dict:
    """The decision for these facts; unknown or ill-typed facts are a 422 naming the fact."""
    profile = get_profile(profile_id)
    facts = policy.parse_facts(raw_facts)
    return policy.evaluate(profile, facts, tenant_calendar(session, tenant_id)).to_dict()


def decide(session: Session, tenant_id: uuid.UUID, profile_id: str, raw_facts: dict) -> tuple[dict, str]:
    """The decision and the profile version it was made under, for storing beside a survey."""
    return evaluate(session, tenant_id, profile_id, raw_facts), get_profile(profile_id).version
