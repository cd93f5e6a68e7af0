"""The engineers' pages: the review queue, a task with its map, and the review actions."""
from flask import current_app, flash, g, jsonify, redirect, render_template, request, url_for

from schemas.sync import ResolveSchema
from schemas.tasks import CommentSchema, TransitionSchema
from server.api.blobs import BlobBySha
from server.api.sync import Resolve
from server.api.tasks import Audit, Comments, Transitions
from server.console.access import allowed_as, allowed_to_move_tasks_to
from server.console.blueprint import blp
from server.console.forms import form_values, inside_console, page_arguments
from server.console.i18n import translate
from server.extensions import db
from server.services import maps, review, review_page, tasks, worklists
from server.services.sync import conflicts

QUEUE_PAGE_SIZE = 50
AUDIT_PAGE_SIZE = 100


@blp.get("/review")
@allowed_to_move_tasks_to("approved")
def review_queue():
    page, offset = page_arguments(QUEUE_PAGE_SIZE)
    items, total = worklists.review_queue(db.session, g.principal.tenant_id, offset=offset, limit=QUEUE_PAGE_SIZE)
    return render_template("console/review_queue.html", items=items, total=total, page=page,
                           pages=max(1, -(-total // QUEUE_PAGE_SIZE)))


@blp.get("/tasks/<uuid:task_id>")
@allowed_as(Audit.get)
def task_page(task_id):
    return render_template("console/task.html", task=review_page.review_page(db.session, g.principal, task_id))


@blp.get("/tasks/<uuid:task_id>/audit")
@allowed_as(Audit.get)
def task_audit(task_id):
    page, offset = page_arguments(AUDIT_PAGE_SIZE)
    entries, total = review.audit_trail(db.session, g.principal, task_id, offset=offset, limit=AUDIT_PAGE_SIZE)
    return render_template("console/audit.html", task=tasks.task_summary(db.session, tasks.get_task(
        db.session, g.principal, task_id)), entries=entries, total=total, page=page,
        pages=max(1, -(-total // AUDIT_PAGE_SIZE)))


@blp.get("/tasks/<uuid:task_id>/map.json")
@allowed_as(Audit.get)
def task_map(task_id):
    return jsonify(maps.task_map(db.session, g.principal, task_id))


@blp.post("/tasks/<uuid:task_id>/comments")
@allowed_as(Comments.post)
def comment(task_id):
    values = form_values("body", "utility")
    if request.form.get("vertex"):
        values["target"] = {"vertex": request.form["vertex"].split(",")}
    review.add_comment(db.session, g.principal, task_id, CommentSchema().load(values))
    flash(translate("comment_added"), "ok")
    return redirect(url_for("console.task_page", task_id=task_id), 303)


@blp.post("/tasks/<uuid:task_id>/transitions")
@allowed_as(Transitions.post)
def transition(task_id):
    body = TransitionSchema().load(form_values("to", "crew_id", "reason", "confirm_near_threshold"))
    tasks.transition(db.session, g.principal, task_id, body["to"], crew_id=body.get("crew_id"),
                     reason=body.get("reason"), confirm_near_threshold=body["confirm_near_threshold"])
    flash(translate("task_moved", status=translate("status_" + body["to"])), "ok")
    return redirect(inside_console(request.form.get("back")) or url_for("console.task_page", task_id=task_id), 303)


@blp.post("/conflicts/<uuid:conflict_id>/resolve")
@allowed_as(Resolve.post)
def resolve_conflict(conflict_id):
    body = ResolveSchema().load(form_values("choose"))
    conflict = conflicts.resolve(db.session, g.principal, conflict_id, body["choose"], body.get("value"),
                                 max_vertices=current_app.config["MAX_VERTICES"])
    flash(translate("conflict_resolved"), "ok")
    return redirect(url_for("console.task_page", task_id=conflict["task_id"]), 303)


@blp.get("/blobs/<sha256>")
@allowed_as(BlobBySha.get)
def blob(sha256):
    return BlobBySha().get(sha256)
