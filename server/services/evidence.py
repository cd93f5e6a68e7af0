"""The blobs a survey names — photos, sketches, signature, and those its form answers name — as evidence."""
import uuid

from sqlalchemy.orm import Session

from server.models import Survey
from server.services import forms


def evidence_of(session: Session, survey: Survey) -> list[str]:
    """Every blob the survey names, bound by hash to the audit entry that records it (DESIGN "Evidence")."""
    return sorted({*survey.evidence, *answer_refs(session, survey.tenant_id, {
        "form_id": survey.form_id, "form_version": survey.form_version, "answers": survey.answers})})


def answer_refs(session: Session, tenant_id: uuid.UUID, values: dict) -> set[str]:
    """The blobs the form answers name (photo, sketch and signature questions)."""
    if not values.get("answers") or values.get("form_id") is None:
        return set()
    form = forms.get_version(session, tenant_id, values["form_id"], values["form_version"])
    return form.blob_refs(values["answers"])
