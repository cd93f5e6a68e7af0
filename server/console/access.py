"""Who may open a console page or act on it: the roles of the matching API view (or, for a work list, of the
task transition it leads to), checked by the same code.

Errors of the services are shown as pages: 403 and 404 as such, a refused action (409, 422…) as a
message on the page the form came from, an ended session as the sign-in page.
"""
import functools
from urllib.parse import urlsplit

import marshmallow as ma
from flask import current_app, flash, g, redirect, render_template, request, session, url_for
from flask_wtf.csrf import CSRFError

from domain_errors import DomainError
from server.auth import authenticate, requires
from server.console.blueprint import blp, csrf
from server.error_codes import ServerCode
from server.errors import flatten_messages
from server.services.task_states import TRANSITIONS

# Shown as a page of their own; any other refusal of an action goes back to the form with its message.
PAGE_STATUSES = (403, 404, 429)


def allowed_as(api_view):
    """Decorate a console view: sign-in required, then exactly the roles `api_view`'s `requires` allows."""
    return _allowed(tuple(role for role in api_view.required_roles if role != "any"))


def allowed_to_move_tasks_to(status: str):
    """Decorate a console view: the roles the task state machine lets move a task to `status` (a work list)."""
    return _allowed(TRANSITIONS[status][1])


def _allowed(roles: tuple[str, ...]):
    def decorator(view):
        checked = requires(*roles)(view)

        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            token = session.get("token")
            if token is None:
                return redirect(url_for("console.sign_in", next=request.full_path))
            authenticate(token)
            return checked(*args, **kwargs)

        wrapper.required_roles = roles
        return wrapper

    return decorator


@blp.before_request
def _guard():
    if not current_app.config["SECRET_KEY"]:
        return render_template("console/error.html", status=503, code=ServerCode.CONSOLE_NOT_CONFIGURED,
                               message="set TAPLINE_SECRET_KEY to use the console (README)"), 503
    if request.method == "POST":
        csrf.protect()
    return None


@blp.errorhandler(ma.ValidationError)
def _show_invalid_form(error: ma.ValidationError):
    """A form the API's schema refused: its messages, on the page the form came from."""
    flash("; ".join(f"{item['field']}: {item['message']}" if item["field"] else item["message"]
                    for item in flatten_messages(error.messages)), "error")
    return redirect(_back(), 303)


@blp.context_processor
def _signed_in_user() -> dict:
    """`me` for the page header, once a view has let the user in: the role as of this request."""
    if "principal" not in g:
        return {"me": None}
    return {"me": {"role": g.principal.role, "name": session.get("name"), "tenant_name": session.get("tenant_name")}}


def _show_error(error: DomainError):
    status = error.status
    if status == 401:
        session.pop("token", None)
        flash(error.message, "error")
        return redirect(url_for("console.sign_in", next=request.full_path if request.method == "GET" else None))
    if request.method == "POST" and status not in PAGE_STATUSES:
        flash(_describe(error), "error")
        return redirect(_back(), 303)
    return render_template("console/error.html", status=status, code=error.code, message=error.message), status


@blp.errorhandler(CSRFError)
def _show_csrf_error(error: CSRFError):
    return render_template("console/error.html", status=400, code=ServerCode.CSRF_FAILED,
                           message=error.description), 400


blp.register_error_handler(DomainError, _show_error)


def _describe(error: DomainError) -> str:
    return f"{error.message} ({error.field})" if error.field else error.message


def _back() -> str:
    """The page the form was on, if it is one of ours; else the console's home."""
    referrer = urlsplit(request.referrer or "")
    if referrer.netloc == request.host and referrer.path.startswith(blp.url_prefix):
        return referrer.path + (f"?{referrer.query}" if referrer.query else "")
    return url_for("console.home")
