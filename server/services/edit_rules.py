"""Who may change a task's records, and in which state: one rule for REST and for push.

REST and push are two doors into the same services, so they ask the same questions here. They differ in
one thing only: a crew that worked offline on a task that was reassigned, cancelled or submitted while it
had no signal must not lose that work. Push keeps such a write and flags the task for the person who must
look at it (`Kept`); REST, whose caller sees the task's state before writing, refuses it. A task the
device's crew never held does not exist for it, through either door.
"""
import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.error_codes import ServerCode
from server.errors import ApiError, NotFound
from server.models import SurveyTask, TaskEvent
from server.services.lookup import among

#: Who writes a survey, and while the task is in which states.
EDITABLE_WHILE = {"crew": ("on_site", "returned"), "engineer": ("submitted",)}
SURVEY_EDITORS = tuple(EDITABLE_WHILE)
#: Crews leave notes on their tasks, engineers review comments.
COMMENTERS = ("crew", "engineer")


@dataclass(frozen=True)
class Kept:
    """The write is stored and the task flagged with `code` for a dispatcher or an engineer."""

    code: ServerCode
    message: str


def crews_that_held(session: Session, tenant_id: uuid.UUID, task_ids) -> dict[uuid.UUID, set[uuid.UUID]]:
    """Every crew each task was ever assigned to (its current crew included)."""
    held: dict[uuid.UUID, set[uuid.UUID]] = {}
    rows = session.execute(select(TaskEvent.task_id, TaskEvent.crew_id).where(
        TaskEvent.tenant_id == tenant_id, among(TaskEvent.task_id, task_ids), TaskEvent.crew_id.is_not(None)))
    for task_id, crew_id in rows:
        held.setdefault(task_id, set()).add(crew_id)
    return held


def reach(principal, task: SurveyTask, crews: set, held: set) -> Kept | None:
    """Whether the caller may write to the task at all: None when its crew holds it, or it is office staff.

    A crew whose crew held the task once gets `Kept` (its offline work is kept and flagged); one that never
    held it gets 404, as REST answers for a task it cannot see. A cancelled task keeps late work too.
    """
    if principal.role != "crew":
        return None
    if task.crew_id not in crews:
        if not crews & held:
            raise NotFound("SurveyTask", task.id)
        return Kept(ServerCode.TASK_REASSIGNED,
                    "the task was reassigned while the device was offline; the data is kept for a dispatcher")
    if task.status == "cancelled":
        return Kept(ServerCode.TASK_CANCELLED,
                    "the task was cancelled while the device was offline; the data is kept for a dispatcher")
    return None


def survey_edit(principal, task: SurveyTask, crews: set, held: set) -> Kept | None:
    """May the caller change the task's survey now? None: yes. `Kept`: only as kept-and-flagged late work.

    Raises 403 for a role that never edits surveys, 404 for a task the caller cannot see, and 409
    `survey_locked` for an engineer outside review (an engineer is online: nothing to keep).
    """
    check_role(principal, SURVEY_EDITORS, "change a survey")
    kept = reach(principal, task, crews, held)
    if kept is not None:
        return kept
    editable_while = EDITABLE_WHILE[principal.role]
    if task.status in editable_while:
        return None
    if principal.role == "crew":
        return Kept(ServerCode.SURVEY_LOCKED,
                    f"the task was {task.status} when this edit arrived; it is kept and flagged for review")
    raise ApiError(ServerCode.SURVEY_LOCKED,
                   f"a {principal.role} cannot change a survey while its task is {task.status}",
                   details={"status": task.status, "editable_while": list(editable_while)})


def comment(principal, task: SurveyTask, crews: set, held: set) -> Kept | None:
    """May the caller comment on the task? Crews note on their own tasks; engineers comment on any."""
    check_role(principal, COMMENTERS, "comment on a task")
    return reach(principal, task, crews, held)


def check_role(principal, roles: tuple[str, ...], act: str) -> None:
    if principal.role not in roles:
        raise ApiError(ServerCode.FORBIDDEN, f"only {' or '.join(roles)} may {act}; you are {principal.role}",
                       details={"required": list(roles), "role": principal.role})
