"""Who a token belongs to."""
import uuid
from dataclasses import dataclass

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from server.models import Device, User


@dataclass(frozen=True)
class FoundPrincipal:
    tenant_id: uuid.UUID
    user_id: uuid.UUID
    role: str
    device_id: uuid.UUID
    device_kind: str
    revoked: bool
    user_active: bool


def find_principal(session: Session, token_hash: str) -> FoundPrincipal | None:
    row = session.execute(
        select(Device.tenant_id, Device.user_id, User.role, Device.id, Device.kind,
               Device.revoked_at.is_not(None), User.active)
        .join(User, (User.tenant_id == Device.tenant_id) & (User.id == Device.user_id))
        .where(Device.token_hash == token_hash)
    ).first()
    if row is None:
        return None
    found = FoundPrincipal(*row)
    # Throttled so a busy tablet does not write on every request.
    session.execute(
        text("update devices set last_seen_at = now() where tenant_id = :t and id = :d "
             "and (last_seen_at is null or last_seen_at < now() - interval '5 minutes')"),
        {"t": found.tenant_id, "d": found.device_id},
    )
    session.commit()
    return found
