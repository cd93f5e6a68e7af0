"""SQLAlchemy 2 models. Tenant tables lead their keys with tenant_id so they can be distributed by tenant."""
from server.models.base import Base
from server.models.changes import Change
from server.models.ratelimit import RateLimitWindow
from server.models.tenancy import Crew, CrewMember, Device, Tenant, User

__all__ = ["Base", "Change", "Crew", "CrewMember", "Device", "RateLimitWindow", "Tenant", "User"]
