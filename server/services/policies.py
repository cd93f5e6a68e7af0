"""The city policy profiles and the tenant's versions of them, evaluated against its working-day calendar.

A profile's versions are the shipped file (version 1 of the city) and what the tenant uploaded or overrode
since (`policy_versions`); the one in force on the application's `applied_at` decides (docs/policy.md).
"""
import json
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cache, lru_cache

from sqlalchemy import select
from sqlalchemy.orm import Session

import policy
from policy.calendar import SHANGHAI
from policy.documents import from_json
from policy.loader import read_profile
from policy.versions import in_force
from server.error_codes import ServerCode
from server.errors import ApiError, NotFound
from server.models import CalendarYear, PolicyVersion


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
        raise ApiError(ServerCode.UNKNOWN_PROFILE, f"no policy profile {profile_id!r}", field=field,
                       details={"allowed": sorted(profiles())})
    return profiles()[profile_id]


@dataclass(frozen=True)
class ProfileVersion:
    """One version of a profile as the tenant sees it: the shipped file, or a stored row."""

    profile: policy.Profile
    effective_date: date
    row: PolicyVersion | None = None

    @property
    def version(self) -> str:
        return self.profile.version


@lru_cache(maxsize=256)
def _stored_profile(profile_id: str, version: str, canonical: str) -> policy.Profile:
    """Stored versions never change, so a checked document is reused by its content (loading takes ~ms)."""
    return read_profile(from_json(json.loads(canonical), source=f"{profile_id} {version}"),
                        source=f"{profile_id} {version}", expected_id=profile_id)


def versions(session: Session, tenant_id: uuid.UUID, profile_id: str) -> list[ProfileVersion]:
    """Every version of the profile for this tenant, in the order they were made: the shipped one first."""
    shipped = get_profile(profile_id)
    rows = session.scalars(select(PolicyVersion).where(PolicyVersion.tenant_id == tenant_id,
                                                       PolicyVersion.profile_id == profile_id)
                           .order_by(PolicyVersion.created_at, PolicyVersion.id)).all()
    stored = [ProfileVersion(_stored_profile(profile_id, row.version, json.dumps(row.document, sort_keys=True)),
                             row.effective_date, row) for row in rows]
    return [ProfileVersion(shipped, shipped.effective_date), *stored]


def version_of(session: Session, tenant_id: uuid.UUID, profile_id: str, version: str) -> ProfileVersion:
    for candidate in versions(session, tenant_id, profile_id):
        if candidate.version == version:
            return candidate
    raise NotFound("PolicyVersion", f"{profile_id} {version}")


def in_force_on(known: list[ProfileVersion], at: datetime | None) -> ProfileVersion:
    """The version deciding an application received at `at` (now when not yet received)."""
    day = (at or datetime.now(UTC)).astimezone(SHANGHAI).date()
    return in_force(known, day, lambda candidate: candidate.effective_date)


def profile_in_force(session: Session, tenant_id: uuid.UUID, profile_id: str,
                     at: datetime | None = None) -> policy.Profile:
    return in_force_on(versions(session, tenant_id, profile_id), at).profile


def tenant_calendar(session: Session, tenant_id: uuid.UUID) -> policy.WorkingCalendar:
    """The statutory calendar with the tenant's uploaded years replacing the package's."""
    rows = session.scalars(select(CalendarYear).where(CalendarYear.tenant_id == tenant_id)).all()
    return policy.WorkingCalendar({row.year: policy.YearOverride(holidays=frozenset(row.holidays),
                                                                 workdays=frozenset(row.workdays)) for row in rows})


def evaluate(session: Session, tenant_id: uuid.UUID, profile_id: str, raw_facts: dict) -> dict:
    """The decision on a request's facts, as JSON; a 422 names a bad fact."""
    get_profile(profile_id)
    return decide(session, tenant_id, profile_id, policy.parse_facts(raw_facts)).to_dict()


def decide(session: Session, tenant_id: uuid.UUID, profile_id: str, facts: policy.Facts) -> policy.Decision:
    """The decision under the version in force at `applied_at` (today without it)."""
    profile = profile_in_force(session, tenant_id, profile_id, facts.get("applied_at"))
    return policy.evaluate(profile, facts, tenant_calendar(session, tenant_id))
