"""Bearer-token authentication and role checks.

Each request looks its token up again, so a revoked device gets 401 at once on every app process.
"""
import functools
import uuid
from dataclasses import dataclass

from flask import current_app, g, request

from server.error_codes import ServerCode
from server.errors import ApiError
from server.extensions import db
from server.services import principals, ratelimits, sign_ins
from server.tokens import hash_token


@dataclass(frozen=True)
class Principal:
    tenant_id: uuid.UUID
    user_id: uuid.UUID
    role: str
    device_id: uuid.UUID
    device_kind: str
    #: the user's crews, read with the token: a crew member sees their tasks only
    crew_ids: tuple[uuid.UUID, ...]


def _bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def authenticate(token: str | None = None) -> Principal:
    """The principal of `token` (default: the bearer token), or 401; repeated failures from one address get 429.

    Only failures are limited: a valid token always gets in, so an address that shares a NAT with someone
    guessing is never locked out. Tokens are 256 random bits, so the limit guards the database, not the token.
    The console passes the token its session cookie holds; its failed sign-ins count against the same limit.
    """
    if "principal" in g:
        return g.principal
    token = token or _bearer_token()
    if token is None:
        raise ApiError(ServerCode.TOKEN_MISSING, "a bearer token is required (Authorization: Bearer <token>)")
    found = principals.find_principal(db.session, hash_token(token))
    if found is None:
        limit_key = sign_ins.limit_key(request.remote_addr)
        ratelimits.check(db.session, limit_key, current_app.config["AUTH_FAILURES_PER_MINUTE"])
        count_refusal(limit_key)
        raise ApiError(ServerCode.TOKEN_INVALID, "the token is not valid")
    if found.seen_long_ago:
        with db.apart() as session:
            principals.mark_seen(session, found)
    if found.revoked:
        raise ApiError(ServerCode.DEVICE_REVOKED, "this device has been revoked; ask an administrator")
    if not found.user_active:
        raise ApiError(ServerCode.USER_INACTIVE, "this user is deactivated")
    g.principal = Principal(found.tenant_id, found.user_id, found.role, found.device_id, found.device_kind,
                            found.crew_ids)
    return g.principal


def limit_attempts(key: str, per_minute: int) -> None:
    """Count one attempt under `key`, or 429 past `per_minute` of them; counted apart, so it stays although the
    request then fails."""
    with db.apart() as session:
        ratelimits.check(session, key, per_minute)
        ratelimits.hit(session, key)


def count_refusal(key: str) -> None:
    """Count a refused attempt under `key` in a transaction of its own, so that it stays although the request fails.

    The request's transaction ends first: refused, it keeps nothing, and so holds no lock the count could wait on.
    """
    db.session.rollback()
    with db.apart() as session:
        ratelimits.hit(session, key)


def requires(*roles: str):
    """Decorate a view: authenticate, then allow only these roles (none given: any role)."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            principal = authenticate()
            if roles and principal.role not in roles:
                raise ApiError(ServerCode.FORBIDDEN,
                               f"this needs the role {' or '.join(roles)}; you are {principal.role}",
                               details={"required": list(roles), "role": principal.role})
            return view(*args, **kwargs)

        wrapper.required_roles = roles or ("any",)
        return wrapper

    return decorator
