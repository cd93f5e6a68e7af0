"""The office console at /console: server-rendered pages for engineers, dispatchers and admins.

Every page and action calls the same services as the API, and lets through exactly the roles the matching
API view lets through (`access.allowed_as`). Sign-in opens a session held as a `console` device
(server/services/sign_ins.py); its token travels in a signed, HttpOnly session cookie.
"""
from flask import Flask, request
from flask.sessions import SecureCookieSessionInterface

from server.console import access, admin, board, i18n, review, sign_in  # noqa: F401  (importing them registers their pages)
from server.console.blueprint import blp, csrf

__all__ = ["blp", "init_app"]


class _SessionInterface(SecureCookieSessionInterface):
    """The cookie is Secure whenever the request came over TLS (directly or, with PROXY_HOPS, via the balancer)."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return request.is_secure or super().get_cookie_secure(app)


def init_app(app: Flask) -> None:
    # Only the console's forms are checked: the API authenticates with bearer tokens, which browsers never
    # attach on their own, so it needs no CSRF token.
    app.config.update(WTF_CSRF_CHECK_DEFAULT=False, WTF_CSRF_TIME_LIMIT=None, SESSION_COOKIE_SAMESITE="Lax",
                      SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_NAME="tapline_console")
    app.session_interface = _SessionInterface()
    csrf.init_app(app)
    i18n.init_app(app)
    app.register_blueprint(blp)
