"""The survey task's state machine: which transitions exist and who may make them."""
from server.error_codes import ServerCode
from server.errors import ApiError

# to_status -> (from statuses, roles allowed)
TRANSITIONS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "assigned": (("new", "assigned", "on_site", "returned"), ("dispatcher", "admin")),
    "on_site": (("assigned", "returned"), ("crew",)),
    "submitted": (("on_site",), ("crew",)),
    "returned": (("submitted",), ("engineer",)),
    "approved": (("submitted",), ("engineer",)),
    "cancelled": (("new", "assigned", "on_site", "submitted", "returned"), ("dispatcher", "admin")),
}


def allowed_from(status: str) -> list[str]:
    return [to for to, (sources, _) in TRANSITIONS.items() if status in sources]


def check_transition(status: str, to_status: str, role: str) -> None:
    """Raise 409 listing the allowed transitions, or 403 when the role may not make this one."""
    sources, roles = TRANSITIONS.get(to_status, ((), ()))
    if status not in sources:
        allowed = allowed_from(status)
        raise ApiError(ServerCode.ILLEGAL_TRANSITION,
                       f"a {status} task cannot become {to_status}; allowed: {', '.join(allowed) or 'none'}",
                       field="to", details={"status": status, "to": to_status, "allowed": allowed})
    if role not in roles:
        raise ApiError(ServerCode.FORBIDDEN, f"only {' or '.join(roles)} may move a task to {to_status}",
                       details={"required": list(roles), "role": role})
