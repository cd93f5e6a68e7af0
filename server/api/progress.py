"""The applicant's progress query (进度查询, 004 三(七)): public, no token."""
from flask import current_app, request
from flask.views import MethodView

from schemas.sla import ProgressQuerySchema, ProgressSchema
from server.api.blueprint import Blueprint
from server.auth import limit_attempts
from server.extensions import db
from server.services.progress import limit_key, query_progress

blp = Blueprint("progress", __name__, url_prefix="/api/v1/progress",
                description="Applicants follow their application: the code on their receipt in, stages out")


@blp.route("")
class Progress(MethodView):
    @blp.doc(security=[])
    @blp.arguments(ProgressQuerySchema)
    @blp.response(200, ProgressSchema)
    @blp.alt_response(404, description="`not_found`: no application with this code (or number and phone; either "
                                       "may be wrong, the answer does not say which)")
    @blp.alt_response(429, description="`rate_limited`: too many queries from this address in a minute")
    def post(self, body):
        """Query an application's progress with the code on its receipt: each stage and step, due and done

        Stages 受理, 踏勘, 审批, 施工, 通水/通气, 回访 in Chinese, times in Asia/Shanghai (+08:00), the applicant's
        and contact's names masked. A POST, so that the code stays out of URLs and access logs.
        """
        limit_attempts(limit_key(request.remote_addr), current_app.config["PROGRESS_QUERIES_PER_MINUTE"])
        return query_progress(db.session, body)
