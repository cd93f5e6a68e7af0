"""Users of a tenant and their credentials (devices)."""
import uuid
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from server.error_codes import ServerCode
from server.errors import ApiError
from server.models import Device, User
from server.services.changes import audit
from server.services.jsonable import jsonable
from server.services.lookup import get_or_404
from server.services.passwords import hash_password
from server.tokens import hash_token, new_token
from server.unit_of_work import commits


def list_users(session: Session, tenant_id: uuid.UUID, *, role: str | None, offset: int, limit: int):
    query = select(User).where(User.tenant_id == tenant_id)
    if role:
        query = query.where(User.role == role)
    total = session.scalar(select(func.count()).select_from(query.subquery()))
    users = session.scalars(query.order_by(User.username).offset(offset).limit(limit)).all()
    return users, total


@commits
def create_user(session: Session, principal, fields: dict) -> User:
    tenant_id = principal.tenant_id
    taken = session.scalar(select(User.id).where(User.tenant_id == tenant_id, User.username == fields["username"]))
    if taken:
        raise ApiError(ServerCode.USERNAME_TAKEN, f"username {fields['username']!r} is taken", field="username")
    user = User(tenant_id=tenant_id, **_with_password_hash(fields))
    session.add(user)
    session.flush()
    audit(session, principal, "user", user.id, "created",
          changes=jsonable(_audited({name: [None, value] for name, value in fields.items()})))
    return user


@commits
def update_user(session: Session, principal, user: User, changes: dict) -> User:
    """Raises 409 `last_admin` when the change would leave the tenant without an active admin."""
    stored = _with_password_hash(changes)
    changes = {name: [getattr(user, name), value] for name, value in stored.items() if getattr(user, name) != value}
    if user.role == "admin" and user.active and ("role" in changes or "active" in changes):
        _check_another_admin(session, user)
    for name, (_, value) in changes.items():
        setattr(user, name, value)
    user.version += 1
    if changes:
        audit(session, principal, "user", user.id, "updated", changes=jsonable(_audited(changes)))
    return user


def _check_another_admin(session: Session, user: User) -> None:
    # The admins' rows stay locked until commit: two admins demoting each other at once cannot both pass.
    admins = session.scalars(select(User.id).where(User.tenant_id == user.tenant_id, User.role == "admin",
                                                   User.active.is_(True)).with_for_update()).all()
    if set(admins) <= {user.id}:
        raise ApiError(ServerCode.LAST_ADMIN,
                       "the tenant's last active admin cannot be demoted or deactivated; make another user admin "
                       "first", details={"user_id": str(user.id)})


def _with_password_hash(fields: dict) -> dict:
    """The fields to store: a given password as its hash."""
    fields = dict(fields)
    if "password" in fields:
        fields["password_hash"] = hash_password(fields.pop("password"))
    return fields


def _audited(changes: dict) -> dict:
    """What the audit log keeps of a change: never a password, nor its hash."""
    return {name: "(changed)" if name in ("password", "password_hash") else value for name, value in changes.items()}


def list_devices(session: Session, tenant_id: uuid.UUID, *, user_id: uuid.UUID | None, offset: int, limit: int):
    query = select(Device).where(Device.tenant_id == tenant_id)
    if user_id:
        query = query.where(Device.user_id == user_id)
    total = session.scalar(select(func.count()).select_from(query.subquery()))
    devices = session.scalars(query.order_by(Device.created_at, Device.id).offset(offset).limit(limit)).all()
    return devices, total


@commits
def register_device(session: Session, principal, fields: dict) -> tuple[Device, str]:
    """Register a device for a user; returns (device, token). The token is shown this once."""
    get_or_404(session, User, principal.tenant_id, fields["user_id"])
    token = new_token()
    device = Device(tenant_id=principal.tenant_id, token_hash=hash_token(token), **fields)
    session.add(device)
    session.flush()
    audit(session, principal, "device", device.id, "registered",
          changes=jsonable(_audited({name: [None, value] for name, value in fields.items()})))
    return device, token


@commits
def revoke_device(session: Session, principal, device_id: uuid.UUID) -> Device:
    """Raises 409 `own_device`: the device making the request cannot cut itself off (revoke it from another)."""
    device = get_or_404(session, Device, principal.tenant_id, device_id, for_update=True)
    if device.id == principal.device_id:
        raise ApiError(ServerCode.OWN_DEVICE, "this is the device you are calling from; revoke it from another device",
                       details={"device_id": str(device.id)})
    return _revoke(session, principal, device)


@commits
def end_own_session(session: Session, principal) -> Device:
    """Signing out of the console revokes the session's own device, which an admin's revoke refuses."""
    return _revoke(session, principal, get_or_404(session, Device, principal.tenant_id, principal.device_id,
                                                  for_update=True))


def _revoke(session: Session, principal, device: Device) -> Device:
    if device.revoked_at is None:
        device.revoked_at = datetime.now(UTC)
        audit(session, principal, "device", device.id, "revoked",
              changes=jsonable({"revoked_at": [None, device.revoked_at]}))
    return device
