"""Authoring a profile's versions: upload one (TOML or JSON), override some rules, read the history and
diffs, and preview what a candidate would change for the tenant's open applications.

Nothing here decides a case: policy/ does, under the version `policies.in_force_on` picks.
"""
import uuid
from datetime import UTC, datetime

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

import policy
from domain_errors import CommonCode
from policy.calendar import SHANGHAI
from policy.codes import PolicyCode
from policy.diff import diff_profiles
from policy.documents import from_json, shipped_document, to_json
from policy.loader import parse_toml, read_profile
from policy.versions import read_override
from server.error_codes import ServerCode
from server.errors import ApiError
from server.models import Application, PolicyVersion, SurveyTask, User, WorkOrder
from server.services import policies
from server.services.changes import audit
from server.services.facts import current_facts
from server.unit_of_work import commits

VERSION_MAX_CHARS = 32
#: What the preview compares between the decision in force and the candidate's.
COMPARED = ("applicable", "free_installation", "approval_path", "steps", "materials")


@commits
def create(session: Session, principal, profile_id: str, body: dict) -> dict:
    """Store a new version (201); nothing is stored when any check fails."""
    candidate = _candidate(session, principal.tenant_id, profile_id, body)
    row = PolicyVersion(tenant_id=principal.tenant_id, id=uuid.uuid4(), profile_id=profile_id,
                        version=candidate["profile"].version, effective_date=candidate["profile"].effective_date,
                        document=to_json(candidate["document"]), origin=candidate["origin"],
                        base_version=candidate["base_version"], overrides=candidate["overrides"],
                        created_by=principal.user_id)
    session.add(row)
    session.flush()
    audit(session, principal, "policy_version", row.id, "created",
          changes={"profile_id": profile_id, "version": row.version, "origin": row.origin,
                   "effective_date": row.effective_date.isoformat(), "base_version": row.base_version})
    return get(session, principal.tenant_id, profile_id, row.version)


def history(session: Session, tenant_id: uuid.UUID, profile_id: str) -> list[dict]:
    """Every version, oldest first, with who made it, when, from what, and which one is in force today."""
    known = policies.versions(session, tenant_id, profile_id)
    current = policies.in_force_on(known, None)
    authors = _authors(session, tenant_id, [entry.row.created_by for entry in known if entry.row])
    return [_summary(entry, entry is current, authors) for entry in known]


def get(session: Session, tenant_id: uuid.UUID, profile_id: str, version: str) -> dict:
    """One version with its rules."""
    known = policies.versions(session, tenant_id, profile_id)
    entry = policies.version_of(session, tenant_id, profile_id, version)
    current = policies.in_force_on(known, None)
    authors = _authors(session, tenant_id, [entry.row.created_by] if entry.row else [])
    return {**_summary(entry, entry.version == current.version, authors), "rules": entry.profile.to_dict()["rules"]}


def diff(session: Session, tenant_id: uuid.UUID, profile_id: str, before: str, after: str) -> dict:
    return diff_profiles(policies.version_of(session, tenant_id, profile_id, before).profile,
                         policies.version_of(session, tenant_id, profile_id, after).profile)


def preview(session: Session, principal, profile_id: str, body: dict, *, limit: int) -> dict:
    """The candidate checked as an upload would be, then what it would change for the open applications."""
    candidate = _candidate(session, principal.tenant_id, profile_id, body)["profile"]
    return _preview(session, principal.tenant_id, profile_id, candidate, limit)


def preview_version(session: Session, tenant_id: uuid.UUID, profile_id: str, version: str, *, limit: int) -> dict:
    """What a stored version would change for the open applications (before it takes effect, typically)."""
    return _preview(session, tenant_id, profile_id, policies.version_of(session, tenant_id, profile_id,
                                                                        version).profile, limit)


def _preview(session: Session, tenant_id: uuid.UUID, profile_id: str, candidate: policy.Profile,
             limit: int) -> dict:
    """Each open application's decision under the version in force at its `applied_at` against the
    candidate's; those whose outcome or a deadline differs are listed."""
    known = policies.versions(session, tenant_id, profile_id)
    calendar = policies.tenant_calendar(session, tenant_id)
    applications, total = _open_applications(session, tenant_id, profile_id, limit)
    changes = []
    for application in applications:
        for utility in application.utilities:
            facts, _ = current_facts(session, application, utility)
            in_force = policies.in_force_on(known, application.applied_at).profile
            before = _outcome(policy.evaluate(in_force, facts, calendar).to_dict())
            after = _outcome(policy.evaluate(candidate, facts, calendar).to_dict())
            changed = _changed(before, after)
            if changed:
                changes.append({"application_id": application.id, "number": application.number, "utility": utility,
                                "applied_at": application.applied_at, "changed": changed,
                                "before": before, "after": after})
    return {"profile": profile_id, "version": candidate.version, "effective_date": candidate.effective_date,
            "open_applications": total, "examined": len(applications), "truncated": len(applications) < total,
            "limit": limit, "changes": changes}


def _candidate(session: Session, tenant_id: uuid.UUID, profile_id: str, body: dict) -> dict:
    """The checked profile a request proposes and what to store of it; a 422 names the field at fault."""
    known = policies.versions(session, tenant_id, profile_id)
    given = [key for key in ("toml", "document", "override") if body.get(key) is not None]
    if len(given) != 1:
        raise ApiError(ServerCode.ONE_SOURCE_REQUIRED, "send exactly one of toml, document or override", field=None,
                       details={"given": given})
    source = given[0]
    base_version = overrides = None
    try:
        if source == "toml":
            raw = parse_toml(body["toml"], source="toml")
        elif source == "document":
            raw = from_json(body["document"], source="document")
        else:
            override = body["override"]
            base = (policies.version_of(session, tenant_id, profile_id, override["base_version"])
                    if override.get("base_version") else policies.in_force_on(known, None))
            base_document = shipped_document(profile_id) if base.row is None else from_json(base.row.document,
                                                                                           source="override")
            base_version, overrides = base.version, override["rules"]
            profile, raw = read_override(base_document, overrides, version=override["version"],
                                         effective_date=override["effective_date"], source="override")
        if source != "override":
            profile = read_profile(raw, source=source, expected_id=profile_id, id_source="the profile in the URL")
    except policy.ProfileError as error:
        raise ApiError(PolicyCode.INVALID_PROFILE, error.message,
                       field=f"{source}.{error.field}" if error.field else source,
                       details={"rule": error.rule}) from None
    _check_new(profile, known, source)
    return {"profile": profile, "document": raw, "origin": "override" if source == "override" else "upload",
            "base_version": base_version, "overrides": overrides}


def _check_new(profile: policy.Profile, known: list[policies.ProfileVersion], source: str) -> None:
    field = f"{source}.version"
    if len(profile.version) > VERSION_MAX_CHARS:
        raise ApiError(CommonCode.INVALID_VALUE, f"version is at most {VERSION_MAX_CHARS} characters", field=field,
                       details={"limit": VERSION_MAX_CHARS})
    if any(entry.version == profile.version for entry in known):
        raise ApiError(ServerCode.VERSION_EXISTS,
                       f"version {profile.version} of {profile.id} exists; versions are never edited, "
                       "give the new one its own version", field=field,
                       details={"versions": [entry.version for entry in known]})
    today = datetime.now(UTC).astimezone(SHANGHAI).date()
    if profile.effective_date <= today:
        # Applications received up to today keep the version they were received under (docs/policy.md).
        raise ApiError(ServerCode.EFFECTIVE_DATE_NOT_FUTURE,
                       f"effective_date must be after today ({today.isoformat()}, Asia/Shanghai): a version "
                       "never reaches back to applications already received", field=f"{source}.effective_date",
                       details={"today": today.isoformat()})


def _open_applications(session: Session, tenant_id: uuid.UUID, profile_id: str,
                       limit: int) -> tuple[list[Application], int]:
    """Applications under this profile not cancelled and not connected for every utility, newest first."""
    connected = (select(func.count()).select_from(WorkOrder)
                 .where(WorkOrder.tenant_id == Application.tenant_id, WorkOrder.application_id == Application.id,
                        WorkOrder.connected_at.is_not(None)).scalar_subquery())
    query = (select(Application)
             .join(SurveyTask, and_(SurveyTask.tenant_id == Application.tenant_id,
                                    SurveyTask.application_id == Application.id))
             .where(Application.tenant_id == tenant_id, Application.profile_id == profile_id,
                    SurveyTask.status != "cancelled", connected < func.cardinality(Application.utilities)))
    total = session.scalar(select(func.count()).select_from(query.subquery()))
    found = session.scalars(query.order_by(Application.applied_at.desc(), Application.id).limit(limit)).all()
    return list(found), total


def _outcome(decision: dict) -> dict:
    return {"version": decision["version"], **{name: decision[name] for name in COMPARED},
            "deadlines": {deadline["step"]: deadline["due"] for deadline in decision["deadlines"]}}


def _changed(before: dict, after: dict) -> list[str]:
    changed = [name for name in COMPARED if before[name] != after[name]]
    steps = sorted({*before["deadlines"], *after["deadlines"]})
    return changed + [f"deadlines.{step}" for step in steps
                      if before["deadlines"].get(step) != after["deadlines"].get(step)]


def _authors(session: Session, tenant_id: uuid.UUID, user_ids: list[uuid.UUID]) -> dict[uuid.UUID, str]:
    if not user_ids:
        return {}
    rows = session.execute(select(User.id, User.username).where(User.tenant_id == tenant_id, User.id.in_(user_ids)))
    return {user_id: username for user_id, username in rows}


def _summary(entry: policies.ProfileVersion, in_force_today: bool, authors: dict[uuid.UUID, str]) -> dict:
    row = entry.row
    return {**entry.profile.summary(), "origin": row.origin if row else "shipped",
            "base_version": row.base_version if row else None, "overrides": row.overrides if row else None,
            "created_by": authors.get(row.created_by) if row else None, "created_at": row.created_at if row else None,
            "in_force_today": in_force_today}
