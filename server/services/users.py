"""Users of a tenant and their credentials (devices)."""
import uuid
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from server.errors import Conflict
from server.models import Device, User
from server.services.lookup import get_or_404
from server.tokens import hash_token, new_token


def list_users(session: Session, tenant_id: uuid.UUID, *, role: str | None, offset: int, limit: int):
    query = select(User).where(User.tenant_id == tenant_id)
    if role:
        query = query.where(User.role == role)
    total = session.scalar(select(func.count()).select_from(query.subquery()))
    users = session.scalars(query.order_by(User.username).offset(offset).limit(limit)).all()
    return users, total


def create_user(session: Session, tenant_id: uuid.UUID, fields: dict) -> User:
    taken = session.scalar(select(User.id).where(User.tenant_id == tenant_id, User.username == fields["username"]))
    if taken:
        raise Conflict(f"username {fields['username']!r} is taken", code="username_taken", field="username")
    user = User(tenant_id=tenant_id, **fields)
    session.add(user)
    session.commit()
    return user


def update_user(session: Session, user: User, changes: dict) -> User:
    for name, value in changes.items():
        setattr(user, name, value)
    user.version += 1
    session.commit()
    return user


def list_devices(session: Session, tenant_id: uuid.UUID, *, user_id: uuid.UUID | None, offset: int, limit: int):
    query = select(Device).where(Device.tenant_id == tenant_id)
    if user_id:
        query = query.where(Device.user_id == user_id)
    total = session.scalar(select(func.count()).select_from(query.subquery()))
    devices = session.scalars(query.order_by(Device.created_at, Device.id).offset(offset).limit(limit)).all()
    return devices, total


def register_device(session: Session, tenant_id: uuid.UUID, fields: dict, *, token: str | None = None):
    """Register a device for a user; returns (device, token). The token is shown this once."""
    get_or_404(session, User, tenant_id, fields["user_id"])
    token = token or new_token()
    device = Device(tenant_id=tenant_id, token_hash=hash_token(token), **fields)
    session.add(device)
    session.commit()
    return device, token


def revoke_device(session: Session, tenant_id: uuid.UUID, device_id: uuid.UUID) -> Device:
    device = get_or_404(session, Device, tenant_id, device_id, for_update=True)
    if device.revoked_at is None:
        device.revoked_at = datetime.now(UTC)
        session.commit()
    return device
