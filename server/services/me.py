"""The caller's own view of itself."""
from sqlalchemy.orm import Session

from server.models import Device, Tenant, User
from server.services.lookup import get_or_404


def describe_me(session: Session, principal) -> dict:
    tenant = session.get(Tenant, principal.tenant_id)
    return {
        "user": get_or_404(session, User, principal.tenant_id, principal.user_id),
        "device": get_or_404(session, Device, principal.tenant_id, principal.device_id),
        "tenant": {"id": str(tenant.id), "slug": tenant.slug, "name": tenant.name, "profile_id": tenant.profile_id},
        "crew_ids": list(principal.crew_ids),
    }
