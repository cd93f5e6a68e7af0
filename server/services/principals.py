"""Who a token belongs to."""
import uuid
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.orm import Session

from server.models import CrewMember, Device, User
from server.unit_of_work import commits

SEEN_EVERY = timedelta(minutes=5)


@dataclass(frozen=True)
class FoundPrincipal:
    tenant_id: uuid.UUID
    user_id: uuid.UUID
    role: str
    device_id: uuid.UUID
    device_kind: str
    revoked: bool
    user_active: bool
    crew_ids: tuple[uuid.UUID, ...]
    # Last seen long enough ago to note again: throttled so that a busy tablet does not write on every request.
    seen_long_ago: bool


_CREWS = select(CrewMember.crew_id).where(CrewMember.tenant_id == Device.tenant_id,
                                          CrewMember.user_id == Device.user_id)
# The token's device and user, and the user's crews: one round trip, which every request makes (the
# statement is built once: building it took as long as running it).
_FIND = (select(Device.tenant_id, Device.user_id, User.role, Device.id, Device.kind, Device.revoked_at.is_not(None),
                User.active, func.array(_CREWS.scalar_subquery()),
                func.coalesce(Device.last_seen_at < func.now() - SEEN_EVERY, True))
         .join(User, (User.tenant_id == Device.tenant_id) & (User.id == Device.user_id))
         .where(Device.token_hash == bindparam("token_hash")))


def find_principal(session: Session, token_hash: str) -> FoundPrincipal | None:
    # On the session's connection: the statement reads columns, not entities, so the ORM has nothing to add.
    row = session.connection().execute(_FIND, {"token_hash": token_hash}).first()
    if row is None:
        return None
    *fields, crew_ids, seen_long_ago = row
    return FoundPrincipal(*fields, tuple(crew_ids), seen_long_ago)


@commits
def mark_seen(session: Session, found: FoundPrincipal) -> None:
    """Note that the principal's device is in use now."""
    session.execute(update(Device).where(Device.tenant_id == found.tenant_id, Device.id == found.device_id)
                    .values(last_seen_at=func.now()))
