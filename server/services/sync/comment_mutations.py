"""Comments pushed from tablets: a crew's notes and replies on its tasks, made, edited and deleted offline.

A comment is its author's: only they edit or delete it. Deleting one that another of the author's devices
edited meanwhile — or editing one deleted meanwhile — is a conflict, never a silent loss.
"""
import uuid

import marshmallow as ma
from marshmallow import validate

from schemas.base import StrictSchema
from schemas.tasks import TargetSchema
from server.error_codes import ServerCode
from server.models import Comment
from server.services import edit_rules
from server.services.changes import bump_version
from server.services.jsonable import jsonable
from server.services.sync.rejections import invalid_fields, rejection
from sync.merge import APPLIED, DELETED, merge_delete, merge_update

EDITABLE = ("body", "target")


class CommentEditSchema(StrictSchema):
    task_id = ma.fields.UUID()
    body = ma.fields.String(validate=validate.Length(1, 4000))
    target = ma.fields.Nested(TargetSchema, allow_none=True)


COMMENT_EDIT = CommentEditSchema(partial=True)


def task_of(mutation: dict) -> uuid.UUID | None:
    """The task a comment being created belongs to (loaded with the batch)."""
    try:
        return uuid.UUID(str(mutation["fields"].get("task_id")))
    except ValueError:
        return None


def create(batch, mutation: dict) -> dict:
    fields = _load(mutation["fields"])
    if mutation["id"] in batch.comments:
        raise rejection(ServerCode.ALREADY_EXISTS, f"comment {mutation['id']} exists; push an update", "id")
    task = batch.tasks.get(fields.get("task_id"))
    if task is None or "body" not in fields:
        raise rejection(ServerCode.INVALID_COMMENT, "a new comment names its task_id and has a body", "fields")
    kept = batch.allowed(edit_rules.comment, task, mutation)
    comment = Comment(tenant_id=task.tenant_id, id=mutation["id"], task_id=task.id, author_id=batch.principal.user_id,
                      body=fields["body"], target=fields.get("target"), updated_by=batch.principal.user_id,
                      created_at=batch.now, version=1, field_versions={})
    batch.session.add(comment)
    batch.comments[comment.id] = comment
    _log(batch, mutation, comment, task, {n: [None, getattr(comment, n)] for n in EDITABLE}, "created")
    batch.wrote(comment)
    return {"result": APPLIED, "version": 1, "flags": batch.flag(task, mutation, kept)}


def update(batch, mutation: dict) -> dict:
    comment, task, kept = _own(batch, mutation)
    incoming = _load(mutation["fields"])
    current = {n: getattr(comment, n) for n in EDITABLE}
    outcome = merge_update(current, batch.theirs(comment), comment.version, mutation["base_version"],
                           jsonable(incoming), deleted=comment.deleted_at is not None)
    _apply(batch, mutation, comment, task, outcome.changes, current)
    conflict_ids = [batch.conflict(mutation, comment, task, c) for c in outcome.conflicts]
    return {"result": outcome.result, "version": comment.version, "conflict_ids": conflict_ids,
            "flags": batch.flag(task, mutation, kept)}


def delete(batch, mutation: dict) -> dict:
    comment, task, kept = _own(batch, mutation)
    if comment.deleted_at is not None:
        return {"result": APPLIED, "version": comment.version}
    current = {n: getattr(comment, n) for n in EDITABLE}
    outcome = merge_delete(batch.theirs(comment), comment.version, mutation["base_version"], current)
    if outcome.changes:
        comment.deleted_at = batch.now
        bump_version(comment, [DELETED], batch.principal.user_id)
        batch.wrote(comment)
        _log(batch, mutation, comment, task, {DELETED: [False, True]}, "deleted", op="delete")
    conflict_ids = [batch.conflict(mutation, comment, task, c) for c in outcome.conflicts]
    return {"result": outcome.result, "version": comment.version, "conflict_ids": conflict_ids,
            "flags": batch.flag(task, mutation, kept)}


def _own(batch, mutation: dict):
    """The comment, its task, and whether the work is kept-and-flagged: only its author edits or deletes it."""
    comment = batch.comments.get(mutation["id"])
    if comment is None:
        raise rejection(ServerCode.NOT_FOUND, f"comment {mutation['id']} does not exist", "id")
    task = batch.tasks[comment.task_id]
    kept = batch.allowed(edit_rules.comment, task, mutation)
    if comment.author_id != batch.principal.user_id:
        raise rejection(ServerCode.NOT_THE_AUTHOR, "only a comment's author edits or deletes it", "id")
    batch.check_base(mutation, comment)
    return comment, task, kept


def _load(fields: dict) -> dict:
    try:
        return COMMENT_EDIT.load(fields)
    except ma.ValidationError as error:
        raise invalid_fields(error) from None


def _apply(batch, mutation, comment: Comment, task, changes: dict, before: dict) -> None:
    if not changes:
        return
    for name, value in changes.items():
        setattr(comment, name, value)
    bump_version(comment, changes, batch.principal.user_id)
    batch.wrote(comment)
    _log(batch, mutation, comment, task, {n: [before[n], changes[n]] for n in changes}, "synced")


def _log(batch, mutation, comment: Comment, task, changes: dict, action: str, op: str = "upsert") -> None:
    batch.journal.record_change(comment.tenant_id, "comment", comment.id, comment.version, crew_id=task.crew_id,
                                op=op)
    batch.journal.audit(batch.principal, "comment", comment.id, action, device_time=mutation["device_time"],
                        changes=jsonable(changes))

