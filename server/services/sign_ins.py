"""Console sign-in: a user name and password open a session, held as a device of kind `console`.

A session is a device so everything tokens already guarantee holds for it too: an admin (or sign-out)
revokes it one by one, a deactivated user is refused on the next request, and every app process agrees.
The failed-attempt limit is the one bearer tokens have, counted under the same key per client address.
"""
import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.error_codes import ServerCode
from server.errors import ApiError
from server.models import Tenant, User
from server.services import ratelimits, users
from server.services.passwords import hash_password, needs_rehash, password_matches
from server.unit_of_work import commits


@dataclass(frozen=True)
class SignedIn:
    token: str
    display_name: str
    tenant_name: str


class SignInFailed(ApiError):
    """A wrong tenant, user or password (which one is not said); the caller counts it against the client's limit."""

    def __init__(self):
        super().__init__(ServerCode.SIGN_IN_FAILED, "the unit, user name or password is wrong")


def limit_key(client: str) -> str:
    """The rate-limit key of failed credentials from one client address (tokens and passwords alike)."""
    return f"auth:{client}"


@dataclass(frozen=True)
class _Signer:
    """Who signs in acts for themself: the audit names them as the actor that registered their console device."""

    tenant_id: uuid.UUID
    user_id: uuid.UUID
    device_id: uuid.UUID | None = None


@commits
def sign_in(session: Session, *, tenant_slug: str, username: str, password: str, client: str, user_agent: str,
            failures_per_minute: int) -> SignedIn:
    """Check the password and open a session: its token (for the browser's session cookie) and who it is.

    Raises 429 past the failure limit and 401 `sign_in_failed` (`SignInFailed`, which the caller counts) for any
    wrong tenant, user or password (which one is not said), or `user_inactive`.
    """
    ratelimits.check(session, limit_key(client), failures_per_minute)
    user, tenant_name = session.execute(
        select(User, Tenant.name).join(Tenant, Tenant.id == User.tenant_id)
        .where(Tenant.slug == tenant_slug.strip(), User.username == username.strip())).first() or (None, None)
    if not password_matches(user and user.password_hash, password):
        raise SignInFailed()
    if not user.active:
        raise ApiError(ServerCode.USER_INACTIVE, "this user is deactivated")
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    _, token = users.register_device(session, _Signer(user.tenant_id, user.id),
                                     {"user_id": user.id, "kind": "console", "name": f"console: {user_agent[:180]}"})
    return SignedIn(token, user.display_name, tenant_name)


@commits
def sign_out(session: Session, principal) -> None:
    """End the caller's console session: its token is refused from now on."""
    users.end_own_session(session, principal)


def only_tenant_slug(session: Session) -> str | None:
    """The tenant's slug when the installation serves exactly one, so the sign-in form can fill it in."""
    slugs = session.scalars(select(Tenant.slug).limit(2)).all()
    return slugs[0] if len(slugs) == 1 else None
