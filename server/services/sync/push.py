"""Push: a batch of mutations from one device, each atomic and idempotent by (device, mutation_id).

Every mutation is validated and merged in memory first, so a bad one is rejected without touching the
others; the accepted ones are then written together (records, change feed, audit, receipts, conflicts)
in one transaction, a statement per table rather than a statement per mutation.
"""
import uuid
from datetime import UTC, datetime
from functools import partial

import marshmallow as ma
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

import field_forms
import geo
from schemas.surveys import SurveyWriteSchema
from server.errors import ApiError, Unprocessable
from server.models import Comment, Conflict, Receipt, Survey, SurveyTask
from server.services import determinations, surveys, tasks
from server.services.blobs import missing_blobs
from server.services.changes import Journal, bump_version
from server.services.crews import crews_of_user
from server.services.evidence import answer_refs, evidence_of
from server.services.jsonable import jsonable
from server.services.sync import comment_mutations
from server.services.sync.receipts import receipt_view, stored_receipts
from server.services.sync.rejections import Rejected, invalid_fields, rejection
from sync.conflict_details import describe_conflict
from sync.merge import merge_update

SURVEY_FIELDS = frozenset({"crs", *surveys.EDITABLE_FIELDS})
SUPPORTED = ["survey update", "survey_task transition", "comment create", "comment update", "comment delete"]
# One instance for every mutation: building a marshmallow schema costs more than loading with it.
SURVEY_EDIT = SurveyWriteSchema(partial=True)


class Batch:
    """One push: the records it touches, locked and loaded up front, and what it will write."""

    def __init__(self, session: Session, principal, mutations: list[dict], max_vertices: int):
        self.session, self.principal, self.max_vertices = session, principal, max_vertices
        self.now = datetime.now(UTC)
        self.crews = set(crews_of_user(session, principal.tenant_id, principal.user_id))
        survey_ids = [m["id"] for m in mutations if m["type"] == "survey"]
        self.surveys = {s.id: s for s in session.scalars(select(Survey).where(
            Survey.tenant_id == principal.tenant_id, Survey.id.in_(survey_ids)).with_for_update())}
        comment_ids = [m["id"] for m in mutations if m["type"] == "comment"]
        self.comments = {c.id: c for c in session.scalars(select(Comment).where(
            Comment.tenant_id == principal.tenant_id, Comment.id.in_(comment_ids)).with_for_update())}
        task_ids = ({s.task_id for s in self.surveys.values()} | {c.task_id for c in self.comments.values()}
                    | {m["id"] for m in mutations if m["type"] == "survey_task"}
                    | {comment_mutations.task_of(m) for m in mutations if m["type"] == "comment"} - {None})
        self.tasks = {t.id: t for t in session.scalars(select(SurveyTask).where(
            SurveyTask.tenant_id == principal.tenant_id, SurveyTask.id.in_(task_ids)).with_for_update())}
        referenced = {sha for m in mutations if m["type"] == "survey" for sha in _blob_refs(m["fields"])}
        self.missing_blobs = set(missing_blobs(session, principal.tenant_id, referenced))
        self.journal = Journal()
        self.receipts: list[dict] = []
        self.conflicts: list[dict] = []
        self.to_determine: dict[uuid.UUID, tuple[SurveyTask, Survey]] = {}

    def apply(self, mutation: dict) -> dict:
        receipt = {"tenant_id": self.principal.tenant_id, "device_id": self.principal.device_id,
                   "mutation_id": mutation["mutation_id"], "entity_type": mutation["type"],
                   "entity_id": mutation["id"], "received_at": self.now, "device_time": mutation["device_time"],
                   "skew_ms": int((self.now - mutation["device_time"]).total_seconds() * 1000),
                   "errors": [], "conflict_ids": [], "flags": [], "version": None}
        try:
            handler = {("survey", "update"): self._edit_survey,
                       ("survey_task", "transition"): self._transition,
                       ("comment", "create"): partial(comment_mutations.create, self),
                       ("comment", "update"): partial(comment_mutations.update, self),
                       ("comment", "delete"): partial(comment_mutations.delete, self),
                       }.get((mutation["type"], mutation["op"]))
            if handler is None:
                raise rejection("unsupported_mutation", f"{mutation['op']} of a {mutation['type']} cannot be "
                                "pushed", "op", supported=SUPPORTED)
            receipt.update(handler(mutation))
        except Rejected as rejected:
            receipt.update(result="rejected", errors=rejected.errors)
        self.receipts.append(receipt)
        return receipt

    def _edit_survey(self, mutation: dict) -> dict:
        survey = self.surveys.get(mutation["id"])
        if survey is None:
            raise rejection("not_found", f"survey {mutation['id']} does not exist", "id")
        task = self.tasks[survey.task_id]
        fields = mutation["fields"]
        unknown = sorted(set(fields) - SURVEY_FIELDS)
        if unknown:
            raise rejection("unknown_field", f"{unknown[0]} is not a survey field", f"fields.{unknown[0]}")
        missing = sorted(_blob_refs(fields) & self.missing_blobs)
        if missing:
            raise rejection("missing_blob", f"blob {missing[0]} has not been uploaded completely; upload it, then "
                             "push again", "fields", missing=missing)
        if "answers" in fields:
            # Answers are checked against the form version they answer, which the device may not resend.
            fields = {"form_id": survey.form_id, "form_version": survey.form_version, **fields}
        values = self._parse_survey_fields(fields)
        if "answers" in values:
            unsent = missing_blobs(self.session, self.principal.tenant_id,
                                   answer_refs(self.session, self.principal.tenant_id, values))
            if unsent:
                raise rejection("missing_blob", f"blob {unsent[0]} named in the answers has not been uploaded "
                                "completely", "fields.answers", missing=unsent)
        incoming = surveys.as_json(values)
        # Only the fields the device sent are compared: decoding every stored geometry would double the work.
        current = surveys.as_json(surveys.stored_values(survey, incoming.keys()))
        outcome = merge_update(current, survey.field_versions, survey.version, mutation["base_version"], incoming,
                               describe=describe_conflict)
        if outcome.changes:
            surveys.write_values(survey, {name: values[name] for name in outcome.changes})
            bump_version(survey, outcome.changes, self.principal.user_id)
            self.journal.record_change(self.principal.tenant_id, "survey", survey.id, survey.version,
                                       crew_id=task.crew_id)
            self.journal.audit(self.principal, "survey", survey.id, "synced", device_time=mutation["device_time"],
                               changes=jsonable({n: [current[n], incoming[n]] for n in outcome.changes}),
                               evidence=evidence_of(self.session, survey))
            if survey.submitted_at is not None and outcome.changes.keys() & determinations.MEASURED_FIELDS:
                self.to_determine[survey.id] = (task, survey)
        conflict_ids = [self.conflict(mutation, survey, task, c) for c in outcome.conflicts]
        return {"result": outcome.result, "version": survey.version, "conflict_ids": conflict_ids,
                "flags": self.flags(task, mutation) or self._locked(task, mutation)}

    def _parse_survey_fields(self, fields: dict) -> dict:
        try:
            loaded = SURVEY_EDIT.load(fields)
            return surveys.parse_fields(self.session, self.principal.tenant_id, loaded, self.max_vertices)
        except ma.ValidationError as error:
            raise invalid_fields(error) from None
        except (ApiError, geo.GeometryError, field_forms.FieldFormsError) as error:
            raise Rejected(_domain_errors(error)) from None

    def conflict(self, mutation: dict, record, task: SurveyTask, conflict) -> str:
        """Keep both values of a field edited on both sides, for a person to settle; returns the conflict id."""
        conflict_id = uuid.uuid4()
        self.conflicts.append({
            "tenant_id": self.principal.tenant_id, "id": conflict_id, "version": 1, "field_versions": {},
            "entity_type": mutation["type"], "entity_id": record.id, "task_id": task.id, "field": conflict.field,
            "base_version": mutation["base_version"], "server_version": record.version,
            "server_value": jsonable(conflict.server_value), "device_value": jsonable(conflict.device_value),
            "details": conflict.details, "device_id": self.principal.device_id,
            "mutation_id": mutation["mutation_id"], "status": "open", "updated_by": self.principal.user_id})
        self.journal.record_change(self.principal.tenant_id, "conflict", conflict_id, 1, crew_id=task.crew_id)
        self.journal.audit(self.principal, mutation["type"], record.id, "conflict",
                           device_time=mutation["device_time"],
                           changes={"field": conflict.field, "conflict_id": str(conflict_id)})
        return str(conflict_id)

    def flags(self, task: SurveyTask, mutation: dict) -> list[dict]:
        """Work done on a task that was cancelled or reassigned meanwhile is kept, and a dispatcher is told."""
        if task.status == "cancelled":
            return [self._flag(task, mutation, "task_cancelled", "the task was cancelled while the device was "
                                                                 "offline; the data is kept for a dispatcher")]
        if task.crew_id not in self.crews:
            return [self._flag(task, mutation, "task_reassigned", "the task was reassigned while the device was "
                                                                  "offline; the data is kept for a dispatcher")]
        return []

    def _locked(self, task: SurveyTask, mutation: dict) -> list[dict]:
        """An edit that arrives after the survey went to review is kept too, and flagged for the engineer."""
        if task.status in surveys.EDITABLE_WHILE["crew"] or self.principal.role != "crew":
            return []
        return [self._flag(task, mutation, "survey_locked",
                           f"the task was {task.status} when this edit arrived; it is kept and flagged for review")]

    def _flag(self, task: SurveyTask, mutation: dict, code: str, message: str) -> dict:
        task.flagged = [*task.flagged, {"code": code, "message": message, "device_id": str(self.principal.device_id),
                                        "mutation_id": str(mutation["mutation_id"]), "at": self.now.isoformat()}]
        return {"code": code, "message": message}

    def _transition(self, mutation: dict) -> dict:
        task = self.tasks.get(mutation["id"])
        if task is None:
            raise rejection("not_found", f"task {mutation['id']} does not exist", "id")
        flags = self.flags(task, mutation)
        if flags:
            raise Rejected([{**flags[0], "field": "fields.to", "details": {"status": task.status}}])
        try:
            with self.session.begin_nested():
                tasks.apply_transition(self.session, self.principal, task, mutation["fields"].get("to"),
                                       reason=mutation["fields"].get("reason"))
        except ApiError as error:
            raise rejection(error.code, error.message, f"fields.{error.field}" if error.field else None,
                             **error.details) from None
        return {"result": "applied", "version": task.version}

    def write(self) -> None:
        self.session.flush()
        for task, survey in self.to_determine.values():
            determinations.determine(self.session, self.principal, task, survey)
        self.journal.write(self.session)
        if self.conflicts:
            self.session.execute(insert(Conflict), self.conflicts)
        if self.receipts:
            self.session.execute(insert(Receipt), self.receipts)


def push(session: Session, principal, mutations: list[dict], *, max_mutations: int, max_vertices: int) -> list[dict]:
    """Receipts in the order of `mutations`; a mutation already answered gets its first receipt as a duplicate."""
    if len(mutations) > max_mutations:
        raise Unprocessable(f"a push holds at most {max_mutations} mutations; split the batch",
                            code="too_many_mutations", field="mutations", details={"limit": max_mutations})
    stored = stored_receipts(session, principal, [m["mutation_id"] for m in mutations])
    batch = Batch(session, principal, [m for m in mutations if m["mutation_id"] not in stored], max_vertices)
    answered: dict[uuid.UUID, dict] = {}
    out = []
    for mutation in mutations:
        first = stored.get(mutation["mutation_id"])
        if first is not None:
            out.append(receipt_view(first, duplicate=True))
        elif mutation["mutation_id"] in answered:
            original = answered[mutation["mutation_id"]]
            out.append({**_view(original), "result": "duplicate", "original_result": original["result"]})
        else:
            answered[mutation["mutation_id"]] = receipt = batch.apply(mutation)
            out.append(_view(receipt))
    batch.write()
    session.commit()
    return out


def _view(receipt: dict) -> dict:
    return receipt_view(Receipt(**{k: v for k, v in receipt.items() if k not in ("tenant_id", "device_id")}))


def _blob_refs(fields: dict) -> set[str]:
    refs = set(fields.get("photos") or []) | set(fields.get("sketches") or [])
    if fields.get("signature"):
        refs.add(fields["signature"])
    return {r for r in refs if isinstance(r, str)}


def _domain_errors(error) -> list[dict]:
    nested = getattr(error, "details", {}).get("errors")
    if nested:
        return [{**e, "field": f"fields.answers.{e['field']}" if e.get("field") else "fields.answers"}
                for e in nested]
    field = getattr(error, "field", None)
    return [{"code": error.code, "message": error.message, "field": f"fields.{field}" if field else "fields",
             "details": getattr(error, "details", {})}]

