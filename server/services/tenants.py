"""Tenants are created by operators (CLI), each with a first admin."""
from sqlalchemy import select
from sqlalchemy.orm import Session

from server.error_codes import ServerCode
from server.errors import ApiError
from server.models import Device, Tenant, User
from server.tokens import hash_token, new_token
from server.unit_of_work import commits


@commits
def create_tenant(session: Session, *, slug: str, name: str, profile_id: str, admin_username: str,
                  admin_token: str | None = None, time_zone: str = "Asia/Shanghai") -> tuple[Tenant, str]:
    if session.scalar(select(Tenant.id).where(Tenant.slug == slug)):
        raise ApiError(ServerCode.TENANT_EXISTS, f"tenant {slug!r} exists", field="slug")
    tenant = Tenant(slug=slug, name=name, profile_id=profile_id, time_zone=time_zone)
    session.add(tenant)
    session.flush()
    admin = User(tenant_id=tenant.id, username=admin_username, display_name=admin_username, role="admin")
    session.add(admin)
    session.flush()
    token = admin_token or new_token()
    session.add(Device(tenant_id=tenant.id, user_id=admin.id, name="admin console", kind="api",
                       token_hash=hash_token(token)))
    return tenant, token


def basemap(session: Session, tenant_id) -> dict:
    tenant = session.get(Tenant, tenant_id)
    return {"url": tenant.basemap_url, "gcj02": tenant.basemap_gcj02}


@commits
def set_basemap(session: Session, tenant_id, *, url: str | None, gcj02: bool) -> dict:
    """The console's map tiles for this tenant (none: a plain background)."""
    tenant = session.get(Tenant, tenant_id, with_for_update=True)
    tenant.basemap_url, tenant.basemap_gcj02 = url or None, gcj02 and bool(url)
    return basemap(session, tenant_id)
