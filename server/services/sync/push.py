"""Push: a batch of mutations from one device, each atomic and idempotent by (device, mutation_id).

Push is a door into the same services as REST: a mutation is allowed exactly when the same act over REST
would be (`edit_rules`), except that a crew's offline work on a task its crew held is kept and flagged
instead of refused. Only a malformed envelope refuses the whole push; a bad mutation is `rejected` with
its reason in its receipt, stores nothing, and the others go on.

Every mutation is validated and merged in memory first, so a rejected one touches nothing; the accepted
ones are then written together (records, change feed, audit, receipts, conflicts) in one transaction, a
statement per table rather than a statement per mutation.
"""
import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial

import marshmallow as ma
import orjson
from sqlalchemy import select
from sqlalchemy.orm import Session

from schemas.sync import MutationSchema
from server.error_codes import ServerCode
from server.errors import ApiError, NotFound
from server.models import Comment, Conflict, Receipt, Survey, SurveyTask
from server.services import determinations, edit_rules, task_flags, tasks
from server.services.blobs import missing_blobs
from server.services.bulk import copy_rows
from server.services.changes import Journal
from server.services.jsonable import jsonable
from server.services.lookup import among
from server.services.sync import comment_mutations, survey_mutations
from server.services.sync.receipts import own_versions, receipt_view, replayed
from server.services.sync.rejections import Rejected, from_error, invalid_fields, rejection
from server.services.sync.survey_writes import SurveyWrites
from server.unit_of_work import commits
from sync.codes import SyncCode

SUPPORTED = ["survey update", "survey_task transition", "comment create", "comment update", "comment delete"]
# One instance for every mutation: building a marshmallow schema costs more than loading with it.
MUTATION = MutationSchema()


class Batch:
    """One push: the records it touches, locked and loaded up front, and what it will write."""

    def __init__(self, session: Session, principal, mutations: list[dict], max_vertices: int):
        self.session, self.principal, self.max_vertices = session, principal, max_vertices
        self.now = datetime.now(UTC)
        self.crews = set(principal.crew_ids)
        self.surveys = self._locked(Survey, {m["id"] for m in mutations if m["type"] == "survey"})
        self.comments = self._locked(Comment, {m["id"] for m in mutations if m["type"] == "comment"})
        task_ids = ({s.task_id for s in self.surveys.values()} | {c.task_id for c in self.comments.values()}
                    | {m["id"] for m in mutations if m["type"] == "survey_task"}
                    | {comment_mutations.task_of(m) for m in mutations if m["type"] == "comment"} - {None})
        self.tasks = self._locked(SurveyTask, task_ids)
        self.held = edit_rules.crews_that_held(session, principal.tenant_id, self.tasks)
        # Versions this device made itself: a device never conflicts with its own earlier edits.
        self.own_versions = own_versions(session, principal, [*self.surveys.values(), *self.comments.values()])
        referenced = {sha for m in mutations if m["type"] == "survey"
                      for sha in survey_mutations.blob_refs(m["fields"])}
        self.missing_blobs = set(missing_blobs(session, principal.tenant_id, referenced))
        self.geometries = survey_mutations.read_geometries(mutations, max_vertices)
        self.journal = Journal()
        self.survey_writes = SurveyWrites(principal.tenant_id, principal.user_id)
        self.receipts: list[dict] = []
        self.conflicts: list[dict] = []
        self.to_determine: dict[uuid.UUID, tuple[SurveyTask, Survey]] = {}
        self.flagged_tasks: dict[uuid.UUID, SurveyTask] = {}

    def _locked(self, model, ids: set) -> dict:
        """The tenant's rows of these ids, locked for this push (none asked, none read)."""
        if not ids:
            return {}
        return {row.id: row for row in self.session.scalars(select(model).where(
            model.tenant_id == self.principal.tenant_id, among(model.id, ids)).with_for_update())}

    def apply(self, mutation: dict) -> dict:
        receipt = {"tenant_id": self.principal.tenant_id, "device_id": self.principal.device_id,
                   "mutation_id": mutation["mutation_id"], "entity_type": mutation["type"],
                   "entity_id": mutation["id"], "received_at": self.now, "device_time": mutation["device_time"],
                   "skew_ms": int((self.now - mutation["device_time"]).total_seconds() * 1000),
                   "errors": [], "conflict_ids": [], "flags": [], "version": None}
        handler = {("survey", "update"): partial(survey_mutations.edit, self),
                   ("survey_task", "transition"): self._transition,
                   ("comment", "create"): partial(comment_mutations.create, self),
                   ("comment", "update"): partial(comment_mutations.update, self),
                   ("comment", "delete"): partial(comment_mutations.delete, self),
                   }.get((mutation["type"], mutation["op"]))
        try:
            if handler is None:
                raise rejection(SyncCode.UNSUPPORTED_MUTATION, f"{mutation['op']} of a {mutation['type']} cannot be "
                                "pushed", "op", supported=SUPPORTED)
            receipt.update(handler(mutation))
        except Rejected as rejected:
            receipt.update(result="rejected", errors=rejected.errors)
        self.receipts.append(receipt)
        return receipt

    def allowed(self, rule, task: SurveyTask, mutation: dict) -> edit_rules.Kept | None:
        """Ask an `edit_rules` rule as REST does; its refusal becomes this mutation's rejection.

        A record the device may not see is answered as one that does not exist, as REST answers 404.
        """
        try:
            return rule(self.principal, task, self.crews, self.held.get(task.id, set()))
        except NotFound:
            raise rejection(ServerCode.NOT_FOUND, f"{mutation['type']} {mutation['id']} does not exist", "id") from None
        except ApiError as error:
            raise from_error(error) from None

    def check_base(self, mutation: dict, record) -> None:
        """A base version the server never issued is a device bug, not an edit to merge."""
        if mutation["base_version"] is not None and mutation["base_version"] > record.version:
            raise rejection(SyncCode.BASE_VERSION_AHEAD, f"base_version {mutation['base_version']} is newer than the "
                            f"record's version {record.version}; pull, then edit again", "base_version",
                            version=record.version)

    def theirs(self, record) -> dict[str, int]:
        """The record's field versions, less those this device wrote itself (its own edits never conflict)."""
        own = self.own_versions.get(record.id, set())
        return {name: version for name, version in record.field_versions.items() if version not in own}

    def wrote(self, record) -> None:
        self.own_versions.setdefault(record.id, set()).add(record.version)

    def flag(self, task: SurveyTask, mutation: dict, kept: edit_rules.Kept | None) -> list[dict]:
        """Work kept for a dispatcher or an engineer; flagged only once the mutation is accepted."""
        if kept is None:
            return []
        self.flagged_tasks[task.id] = task
        return [task_flags.flag(task, kept.code, kept.message, at=self.now, device_id=self.principal.device_id,
                                mutation_id=mutation["mutation_id"])]

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

    def _transition(self, mutation: dict) -> dict:
        task = self.tasks.get(mutation["id"])
        if task is None:
            raise rejection(ServerCode.NOT_FOUND, f"task {mutation['id']} does not exist", "id")
        kept = self.allowed(edit_rules.reach, task, mutation)
        if kept is not None:
            # The transition alone is refused; the data pushed beside it is kept by its own mutations.
            raise rejection(kept.code, kept.message, "fields.to", status=task.status)
        # A submission versions and determines the task's surveys: the edits pushed before it are stored first.
        self.survey_writes.write(self.session)
        try:
            with self.session.begin_nested():
                tasks.apply_transition(self.session, self.principal, task, mutation["fields"].get("to"),
                                       reason=mutation["fields"].get("reason"))
        except ApiError as error:
            raise from_error(error, prefix="fields") from None
        return {"result": "applied", "version": task.version}

    def write(self) -> None:
        for task in self.flagged_tasks.values():
            task_flags.published(self.session, task, self.principal.user_id)
        self.session.flush()
        self.survey_writes.write(self.session)
        for task, survey in self.to_determine.values():
            determinations.determine(self.session, self.principal, task, survey)
        self.journal.write(self.session)
        copy_rows(self.session, Conflict.__table__, self.conflicts)
        copy_rows(self.session, Receipt.__table__, self.receipts)


@dataclass
class Pushed:
    """The receipts of a push, in the order of its mutations, and how many got each result."""

    receipts: list[dict | orjson.Fragment]
    results: Counter


@commits
def push(session: Session, principal, mutations: list[dict], *, max_mutations: int, max_vertices: int,
         device_time_window: tuple[timedelta, timedelta]) -> Pushed:
    """Receipts in the order of `mutations`; a mutation already answered gets its first receipt as a duplicate.

    `mutations` are the envelope's raw objects: each is read on its own, so one malformed mutation is
    rejected alone. `device_time_window` is (how far back, how far ahead) a device clock may be.
    """
    if len(mutations) > max_mutations:
        raise ApiError(SyncCode.TOO_MANY_MUTATIONS, f"a push holds at most {max_mutations} mutations; split the batch",
                       field="mutations", details={"limit": max_mutations})
    # A replay is answered from its stored receipts alone: nothing already answered is read twice.
    ids = [_mutation_id(raw) for raw in mutations]
    stored = replayed(session, principal, [i for i in ids if i is not None])
    if stored.keys() >= set(ids):
        return Pushed([stored[i] for i in ids], Counter(duplicate=len(ids)))
    read = [None if i in stored else _read(raw, device_time_window) for i, raw in zip(ids, mutations, strict=True)]
    batch = Batch(session, principal, [m for m in read if m is not None and not isinstance(m, Rejected)],
                  max_vertices)
    answered: dict[uuid.UUID, dict] = {}
    out, results = [], Counter()
    for mutation_id, raw, mutation in zip(ids, mutations, read, strict=True):
        if mutation is None:
            out.append(stored[mutation_id])
            results["duplicate"] += 1
            continue
        if isinstance(mutation, Rejected):
            receipt = _unread(raw, mutation, batch.now)
        elif mutation["mutation_id"] in answered:
            original = answered[mutation["mutation_id"]]
            receipt = {**receipt_view(original), "result": "duplicate", "original_result": original["result"]}
        else:
            answered[mutation["mutation_id"]] = applied = batch.apply(mutation)
            receipt = receipt_view(applied)
        out.append(receipt)
        results[receipt["result"]] += 1
    batch.write()
    return Pushed(out, results)


def _mutation_id(raw) -> uuid.UUID | None:
    """The mutation's id if it is readable at all: a replay is looked up by it before anything else is read."""
    return _uuid_of(raw, "mutation_id")


def _uuid_of(raw, name: str) -> uuid.UUID | None:
    value = raw.get(name) if isinstance(raw, dict) else None
    try:
        return uuid.UUID(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _read(raw, window: tuple[timedelta, timedelta]) -> dict | Rejected:
    """One mutation of the envelope, validated; a `Rejected` names what is wrong with it."""
    if not isinstance(raw, dict):
        return rejection(SyncCode.INVALID_MUTATION, "a mutation is a JSON object", None)
    nul = _nul_path(raw) if _may_hold_nul(raw) else None
    if nul is not None:
        return rejection(SyncCode.INVALID_CHARACTER, "text cannot hold the NUL character (\\u0000)", nul)
    try:
        mutation = MUTATION.load(raw)
    except ma.ValidationError as error:
        return invalid_fields(error, prefix="")
    now = datetime.now(UTC)
    back, ahead = window
    try:
        sane = now - back <= mutation["device_time"] <= now + ahead
    except OverflowError:
        sane = False
    if not sane:
        return rejection(SyncCode.DEVICE_TIME_OUT_OF_RANGE, "device_time lies outside the window a tablet clock can be "
                         "in; set the tablet's clock and push again", "device_time",
                         earliest=(now - back).isoformat(), latest=(now + ahead).isoformat())
    return mutation


def _may_hold_nul(raw: dict) -> bool:
    """NUL is rare: one C-speed encode says whether a mutation may hold one before its strings are walked."""
    try:
        return b"\\u0000" in orjson.dumps(raw)
    except orjson.JSONEncodeError:  # an integer past 64 bits, which orjson does not write: walk
        return True


def _nul_path(value, path: str = "") -> str | None:
    """The path of the first string (key or value) holding NUL, which PostgreSQL text cannot store."""
    if isinstance(value, str):
        return (path or None) if "\x00" in value else None
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, item in items:
        here = f"{path}[{key}]" if isinstance(key, int) else f"{path}.{key}" if path else key
        if isinstance(key, str) and "\x00" in key:
            return here
        found = _nul_path(item, here)
        if found is not None:
            return found
    return None


def _unread(raw, rejected: Rejected, now: datetime) -> dict:
    """The receipt of a mutation too malformed to store one: its ids echoed when they are readable."""
    kind = raw.get("type") if isinstance(raw, dict) else None
    return {"mutation_id": _mutation_id(raw), "type": kind if isinstance(kind, str) else None,
            "id": _uuid_of(raw, "id"), "result": "rejected", "original_result": None, "version": None,
            "received_at": now, "device_time": None, "skew_ms": None, "errors": rejected.errors,
            "conflict_ids": [], "flags": []}
