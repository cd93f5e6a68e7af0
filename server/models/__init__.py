"""SQLAlchemy 2 models. Tenant tables lead their keys with tenant_id so they can be distributed by tenant."""
from server.models.applications import Application, SurveyTask, TaskEvent
from server.models.audit import AuditEntry
from server.models.base import Base
from server.models.blobs import Blob
from server.models.changes import Change
from server.models.dispatch import ConstructionTeam, ReturnVisit, SlaAlert, SlaEvaluation, WorkOrder
from server.models.forms import FormVersion
from server.models.notifications import Notification
from server.models.policies import PolicyVersion
from server.models.ratelimit import RateLimitWindow
from server.models.reference import CalendarYear, ConstraintFeature
from server.models.sla import SlaClock
from server.models.surveys import Comment, Determination, Survey
from server.models.sync import Conflict, Receipt
from server.models.tenancy import Crew, CrewMember, Device, Tenant, User
from server.models.worker import ScheduledJob, WorkerHeartbeat

__all__ = [
    "Application", "AuditEntry", "Base", "Blob", "CalendarYear", "Change", "Comment", "Conflict", "ConstraintFeature",
    "ConstructionTeam", "Crew", "CrewMember", "Determination", "Device", "FormVersion", "Notification", "PolicyVersion",
    "RateLimitWindow", "Receipt", "ReturnVisit", "ScheduledJob", "SlaAlert", "SlaClock", "SlaEvaluation", "Survey",
    "SurveyTask", "TaskEvent", "Tenant", "User", "WorkOrder", "WorkerHeartbeat",
]
