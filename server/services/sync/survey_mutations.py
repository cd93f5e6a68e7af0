"""Survey edits pushed from tablets: merged field by field into the survey, under the rules REST applies."""
import marshmallow as ma

from domain_errors import CommonCode, DomainError
from schemas.surveys import SurveyWriteSchema
from server.error_codes import ServerCode
from server.services import determinations, edit_rules, surveys
from server.services.blobs import missing_blobs
from server.services.evidence import answer_refs, evidence_of
from server.services.jsonable import jsonable
from server.services.sync.rejections import from_error, invalid_fields, rejection
from sync.conflict_details import describe_conflict
from sync.merge import merge_update

SURVEY_FIELDS = frozenset({"crs", *surveys.EDITABLE_FIELDS})
# One instance for every mutation: building a marshmallow schema costs more than loading with it.
SURVEY_EDIT = SurveyWriteSchema(partial=True)


def edit(batch, mutation: dict) -> dict:
    survey = batch.surveys.get(mutation["id"])
    if survey is None:
        raise rejection(ServerCode.NOT_FOUND, f"survey {mutation['id']} does not exist", "id")
    task = batch.tasks[survey.task_id]
    kept = batch.allowed(edit_rules.survey_edit, task, mutation)
    batch.check_base(mutation, survey)
    values = _parse(batch, survey, mutation)
    # Only the fields the device sent are compared, and only those that differ are merged: a field equal on
    # both sides neither changes nor conflicts, and GeoJSON is written for what the audit and conflicts keep.
    columns = surveys.as_stored(values)
    differing = surveys.differing_fields(surveys.stored_columns(survey, columns.keys()), columns)
    incoming = surveys.as_json({name: values[name] for name in differing})
    current = surveys.as_json(surveys.stored_values(survey, differing))
    outcome = merge_update(current, batch.theirs(survey), survey.version, mutation["base_version"], incoming,
                           describe=describe_conflict)
    if outcome.changes:
        batch.survey_writes.add(survey, {name: columns[name] for name in outcome.changes})
        batch.wrote(survey)
        batch.journal.record_change(batch.principal.tenant_id, "survey", survey.id, survey.version,
                                    crew_id=task.crew_id)
        batch.journal.audit(batch.principal, "survey", survey.id, "synced", device_time=mutation["device_time"],
                            changes=jsonable({n: [current[n], incoming[n]] for n in outcome.changes}),
                            evidence=evidence_of(batch.session, survey))
        if survey.submitted_at is not None and outcome.changes.keys() & determinations.MEASURED_FIELDS:
            batch.to_determine[survey.id] = (task, survey)
    conflict_ids = [batch.conflict(mutation, survey, task, c) for c in outcome.conflicts]
    return {"result": outcome.result, "version": survey.version, "conflict_ids": conflict_ids,
            "flags": batch.flag(task, mutation, kept)}


def read_geometries(mutations: list[dict], max_vertices: int) -> dict:
    """The geometries of every survey edit of a push, read together: {mutation_id: parse_geometries item}."""
    edits = [m for m in mutations if m["type"] == "survey"]
    return dict(zip((m["mutation_id"] for m in edits),
                    surveys.parse_geometries([m["fields"] for m in edits], max_vertices), strict=True))


def _parse(batch, survey, mutation: dict) -> dict:
    """The sent fields as stored values; every problem rejects the mutation before anything is written."""
    fields = mutation["fields"]
    unknown = sorted(set(fields) - SURVEY_FIELDS)
    if unknown:
        raise rejection(CommonCode.UNKNOWN_FIELD, f"{unknown[0]} is not a survey field", f"fields.{unknown[0]}")
    missing = sorted(blob_refs(fields) & batch.missing_blobs)
    if missing:
        raise rejection(ServerCode.MISSING_BLOB, f"blob {missing[0]} has not been uploaded completely; upload it, then "
                        "push again", "fields", missing=missing)
    if "answers" in fields:
        # Answers are checked against the form version they answer, which the device may not resend.
        fields = {"form_id": survey.form_id, "form_version": survey.form_version, **fields}
    try:
        values = surveys.parse_fields(batch.session, batch.principal.tenant_id, SURVEY_EDIT.load(fields),
                                      batch.max_vertices, geometries=batch.geometries.get(mutation["mutation_id"]))
    except ma.ValidationError as error:
        raise invalid_fields(error) from None
    except DomainError as error:
        raise from_error(error, prefix="fields") from None
    if "answers" in values:
        unsent = missing_blobs(batch.session, batch.principal.tenant_id,
                               answer_refs(batch.session, batch.principal.tenant_id, values))
        if unsent:
            raise rejection(ServerCode.MISSING_BLOB, f"blob {unsent[0]} named in the answers has not been uploaded "
                            "completely", "fields.answers", missing=unsent)
    return values


def blob_refs(fields: dict) -> set[str]:
    """The photos, sketches and signature a survey edit names (each must be uploaded first)."""
    refs = set(fields.get("photos") or []) | set(fields.get("sketches") or [])
    if fields.get("signature"):
        refs.add(fields["signature"])
    return {r for r in refs if isinstance(r, str)}
