"""The applicant's progress query (进度查询, 004 三(七)): public, no token."""
from flask import current_app, request
from flask.views import MethodView
from flask_smorest import Blueprint

from schemas.sla import ProgressQuerySchema, ProgressSchema
from server.extensions import db
from server.services.progress import query_progress

blp = Blueprint("progress", __name__, url_prefix="/api/v1/progress",
                description="Applicants follow their application: number and contact phone in, steps out")


@blp.route("")
class Progress(MethodView):
    @blp.doc(security=[])
    @blp.arguments(ProgressQuerySchema)
    @blp.response(200, ProgressSchema)
    @blp.alt_response(404, description="`not_found`: no application with this number and phone (either may be "
                                       "wrong; the answer does not say which)")
    @blp.alt_response(429, description="`rate_limited`: too many queries from this address in a minute")
    def post(self, body):
        """Query an application's progress: each step's due and done time, nothing else

        A POST, so that the phone number stays out of URLs and access logs.
        """
        return query_progress(db.session, **body, client=request.remote_addr,
                              per_minute=current_app.config["PROGRESS_QUERIES_PER_MINUTE"])
