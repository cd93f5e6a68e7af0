"""Signing in and out, the language switch, and the home page that leads each role to its work."""
from flask import current_app, g, make_response, redirect, render_template, request, session, url_for

from server.api.users import Me
from server.auth import count_refusal
from server.console.access import allowed_as
from server.console.blueprint import blp
from server.console.forms import inside_console
from server.console.i18n import LANGUAGE_COOKIE, LANGUAGES
from server.extensions import db
from server.services import sign_ins

#: Where each role's work starts.
HOME_OF = {"engineer": "console.review_queue", "dispatcher": "console.board", "admin": "console.admin_users"}


@blp.get("/sign-in")
def sign_in():
    tenant = request.cookies.get("tapline_tenant") or sign_ins.only_tenant_slug(db.session) or ""
    return render_template("console/sign_in.html", tenant=tenant, next=_safe_next())


@blp.post("/sign-in")
def sign_in_submit():
    form = request.form
    try:
        signed_in = sign_ins.sign_in(db.session, tenant_slug=form.get("tenant", ""),
                                     username=form.get("username", ""), password=form.get("password", ""),
                                     client=request.remote_addr, user_agent=request.user_agent.string,
                                     failures_per_minute=current_app.config["AUTH_FAILURES_PER_MINUTE"])
    except sign_ins.SignInFailed:
        count_refusal(sign_ins.limit_key(request.remote_addr))
        raise
    # A fresh session on sign-in, so nothing set before it (a planted CSRF token) carries over.
    session.clear()
    # The header's names ride in the cookie, so pages do not look them up on every request.
    session.update(token=signed_in.token, name=signed_in.display_name, tenant_name=signed_in.tenant_name)
    response = redirect(_safe_next() or url_for("console.home"), 303)
    response.set_cookie("tapline_tenant", form.get("tenant", "").strip(), max_age=365 * 86400, httponly=True,
                        samesite="Lax", secure=request.is_secure)
    return response


@blp.post("/sign-out")
@allowed_as(Me.get)
def sign_out():
    sign_ins.sign_out(db.session, g.principal)
    session.clear()
    return redirect(url_for("console.sign_in"), 303)


@blp.get("/")
@allowed_as(Me.get)
def home():
    if g.principal.role in HOME_OF:
        return redirect(url_for(HOME_OF[g.principal.role]))
    return render_template("console/home.html")


@blp.get("/language/<code>")
def choose_language(code: str):
    response = make_response(redirect(_safe_next() or url_for("console.home")))
    if code in LANGUAGES:
        response.set_cookie(LANGUAGE_COOKIE, code, max_age=365 * 86400, samesite="Lax", secure=request.is_secure)
    return response


def _safe_next() -> str | None:
    return inside_console(request.values.get("next"))
