"""Joint survey tasks (联合踏勘): assignment, the crew's surveys, engineering review and the audit trail."""
from flask import current_app, g
from flask.views import MethodView

from schemas.surveys import SurveySchema, SurveyWriteSchema
from schemas.tasks import (
    AuditEntrySchema,
    CommentSchema,
    DeterminationSchema,
    TaskDetailSchema,
    TaskQuerySchema,
    TaskSchema,
    TransitionSchema,
)
from schemas.users import ROLES
from server.api.blueprint import Blueprint
from server.api.pages import PAGE, paged
from server.auth import requires
from server.extensions import db
from server.services import edit_rules, review, surveys, tasks

blp = Blueprint("tasks", __name__, url_prefix="/api/v1/tasks",
                description="Joint survey tasks: crews survey, engineers review (crews see their crews' tasks only)")


@blp.route("")
class Tasks(MethodView):
    @requires(*ROLES)
    @blp.arguments(TaskQuerySchema, location="query")
    @blp.response(200, TaskSchema(many=True))
    @blp.paginate(**PAGE)
    def get(self, filters, pagination_parameters):
        """List tasks, soonest survey due first

        Engineers find their review queue with `status=submitted`; `bbox` matches the task's site or its
        surveys' red line and route.
        """
        # Each task comes as the JSON text TaskSchema dumps, written by PostgreSQL (records.json_query), so it is
        # written as it is, as pull's pages are; tests/api/test_tasks.py holds it to the schema's output.
        return current_app.json.response(paged(pagination_parameters, tasks.list_tasks, db.session, g.principal,
                                               filters))


@blp.route("/<uuid:task_id>")
class TaskById(MethodView):
    @requires(*ROLES)
    @blp.response(200, TaskDetailSchema)
    def get(self, task_id):
        """Get a task with its application, surveys, latest determinations, comments and history"""
        return review.task_detail(db.session, g.principal, task_id)


@blp.route("/<uuid:task_id>/transitions")
class Transitions(MethodView):
    @requires(*ROLES)
    @blp.arguments(TransitionSchema)
    @blp.response(200, TaskSchema)
    @blp.alt_response(409, description="`illegal_transition` (details.allowed lists the legal ones) or "
                                       "`geometry_errors` (approval while a survey did not measure cleanly)")
    def post(self, body, task_id):
        """Move a task: assign a crew (dispatcher), on site / submit (crew), approve / return (engineer), cancel

        Submitting determines every survey (measurement and policy decision). Returning and cancelling need
        a reason.
        """
        return tasks.transition(db.session, g.principal, task_id, body["to"], crew_id=body.get("crew_id"),
                                reason=body.get("reason"), confirm_near_threshold=body["confirm_near_threshold"])


@blp.route("/<uuid:task_id>/surveys/<string:utility>")
class SurveyByUtility(MethodView):
    @requires(*ROLES)
    @blp.etag
    @blp.response(200, SurveySchema)
    def get(self, task_id, utility):
        """Get the survey of one utility (its ETag guards the next PUT)"""
        return surveys.get_survey(db.session, g.principal, task_id, utility)

    @requires(*edit_rules.SURVEY_EDITORS)
    @blp.etag
    @blp.arguments(SurveyWriteSchema)
    @blp.response(200, SurveySchema)
    @blp.alt_response(409, description="`survey_locked`: crews write while on_site or returned, engineers while "
                                       "submitted")
    def put(self, fields, task_id, utility):
        """Replace the survey of one utility (If-Match required: a stale ETag gets 412)

        Geometry is checked before anything is stored: a bad one is a 422 naming the field and position.
        After submission, a change of geometry or measurements is determined again at once.
        """
        task, survey = surveys.editable_survey(db.session, g.principal, task_id, utility)
        blp.check_etag(surveys.survey_view(db.session, survey), SurveySchema)
        return surveys.replace_survey(db.session, g.principal, task, survey, fields,
                                      max_vertices=current_app.config["MAX_VERTICES"])


@blp.route("/<uuid:task_id>/determinations")
class Determinations(MethodView):
    @requires(*ROLES)
    @blp.response(200, DeterminationSchema(many=True))
    def get(self, task_id):
        """The task's determinations, oldest first: each change of measurement or decision once"""
        return review.task_determinations(db.session, g.principal, task_id)


@blp.route("/<uuid:task_id>/determinations/<uuid:determination_id>/<any(accept, decline):verdict>")
class SettleDetermination(MethodView):
    @requires("engineer")
    @blp.response(200, DeterminationSchema)
    def post(self, task_id, determination_id, verdict):
        """Settle a pending determination (from an edit after approval): `accept` re-approves with it, `decline`
        keeps the approved decision (the crew's data stays stored either way)"""
        return review.settle_pending(db.session, g.principal, task_id, determination_id,
                                     accept=verdict == "accept")


@blp.route("/<uuid:task_id>/comments")
class Comments(MethodView):
    @requires(*edit_rules.COMMENTERS)
    @blp.arguments(CommentSchema)
    @blp.response(201, CommentSchema)
    def post(self, fields, task_id):
        """Comment on a task or a survey, optionally pointing at a feature (`segments[2]`, a vertex)"""
        return review.add_comment(db.session, g.principal, task_id, fields)


@blp.route("/<uuid:task_id>/audit")
class Audit(MethodView):
    @requires("admin", "dispatcher", "engineer")
    @blp.response(200, AuditEntrySchema(many=True))
    @blp.paginate(**PAGE)
    def get(self, task_id, pagination_parameters):
        """The append-only audit trail of the task, its application, surveys and comments"""
        return paged(pagination_parameters, review.audit_trail, db.session, g.principal, task_id)
