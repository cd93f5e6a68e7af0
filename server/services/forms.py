"""Form versions: the built-ins from the package, then what the tenant publishes; each immutable."""
import json
import uuid
from functools import cache, lru_cache

from sqlalchemy import select
from sqlalchemy.orm import Session

import field_forms
from field_forms.codes import FormCode
from server.errors import ApiError, NotFound
from server.models import FormVersion
from server.services.changes import audit, record_change
from server.unit_of_work import commits

FORM_NAMESPACE = uuid.UUID("0b5c7c36-3a57-4f8e-9a57-2f7d1d0c4c61")


@cache
def builtin() -> dict[tuple[str, int], field_forms.FormDefinition]:
    forms = (field_forms.parse_definition(raw) for raw in field_forms.builtin_forms())
    return {(form.form_id, form.version): form for form in forms}


def form_entity_id(tenant_id: uuid.UUID, form_id: str, version: int) -> uuid.UUID:
    return uuid.uuid5(FORM_NAMESPACE, f"{tenant_id}:{form_id}:{version}")


@lru_cache(maxsize=512)
def _parse_stored(digest: str, canonical: str) -> field_forms.FormDefinition:
    """Published versions never change, so a parse (~7 ms) is reused by digest."""
    return field_forms.parse_definition(json.loads(canonical))


def _published(session: Session, tenant_id: uuid.UUID, form_id: str | None = None) -> list[field_forms.FormDefinition]:
    query = select(FormVersion.digest, FormVersion.definition).where(FormVersion.tenant_id == tenant_id)
    if form_id:
        query = query.where(FormVersion.form_id == form_id)
    stored = [_parse_stored(digest, json.dumps(raw, sort_keys=True)) for digest, raw in session.execute(query)]
    shipped = [form for (fid, _), form in builtin().items() if form_id in (None, fid)]
    return shipped + stored


def latest_forms(session: Session, tenant_id: uuid.UUID) -> list[dict]:
    latest: dict[str, field_forms.FormDefinition] = {}
    for form in _published(session, tenant_id):
        if form.form_id not in latest or form.version > latest[form.form_id].version:
            latest[form.form_id] = form
    return [latest[k].raw for k in sorted(latest)]


def get_version(session: Session, tenant_id: uuid.UUID, form_id: str, version: int) -> field_forms.FormDefinition:
    for form in _published(session, tenant_id, form_id):
        if form.version == version:
            return form
    raise NotFound("FormVersion", f"{form_id} v{version}")


@commits
def publish(session: Session, principal, form_id: str, raw: dict) -> tuple[dict, bool]:
    """Publish the next version; a retried identical publish returns the stored one. Returns (definition, created)."""
    if raw.get("form_id") != form_id:
        raise ApiError(FormCode.FORM_ID_MISMATCH,
                       f"the definition's form_id must be {form_id!r}, the form in the URL", field="form_id")
    form = field_forms.parse_definition(raw)
    existing = field_forms.check_publishable(form, _published(session, principal.tenant_id, form_id))
    if existing is not None:
        return existing.raw, False
    session.add(FormVersion(tenant_id=principal.tenant_id, form_id=form.form_id, version=form.version,
                            definition=form.raw, digest=form.digest, published_by=principal.user_id))
    entity_id = form_entity_id(principal.tenant_id, form.form_id, form.version)
    session.flush()
    record_change(session, principal.tenant_id, "form_version", entity_id, 1, reference=True,
                  meta={"form_id": form.form_id, "version": form.version})
    audit(session, principal, "form_version", entity_id, "published",
          changes={"form_id": form.form_id, "version": form.version, "digest": form.digest})
    return form.raw, True


def import_xlsform(session: Session, principal, form_id: str, content: bytes, *, max_rows: int) -> tuple[dict, bool]:
    """Publish the version an XLSForm describes (the next one unless its settings say); nothing on any error."""
    published = _published(session, principal.tenant_id, form_id)
    following = max((form.version for form in published), default=0) + 1
    raw = field_forms.read_xlsform(content, form_id=form_id, version=following, max_rows=max_rows)
    return publish(session, principal, form_id, raw)


def export_xlsform(session: Session, tenant_id: uuid.UUID, form_id: str, version: int) -> bytes:
    return field_forms.write_xlsform(get_version(session, tenant_id, form_id, version).raw)


def validate(session: Session, tenant_id: uuid.UUID, form_id: str, version: int, answers: dict) -> dict:
    return field_forms.validate_submission(get_version(session, tenant_id, form_id, version), answers)
