"""The demo tenant `make run` serves: a Suizhou water+gas utility with users of every role.

Demo tokens are fixed strings so a second `make run` prints the same ones; they exist only in
the demo tenant.
"""
from sqlalchemy import select
from sqlalchemy.orm import Session

from server.auth import Principal
from server.demo_work import seed_demo_work
from server.models import Crew, CrewMember, Device, Tenant, User
from server.services.passwords import hash_password
from server.services.tenants import create_tenant
from server.tokens import hash_token
from server.unit_of_work import commits

DEMO_SLUG = "suizhou-demo"
DEMO_USERS = [
    ("admin", "管理员 Admin", "admin"),
    ("engineer", "设计工程师 李工", "engineer"),
    ("dispatcher", "调度员 王芳", "dispatcher"),
    ("crew1", "踏勘员 张伟", "crew"),
    ("crew2", "踏勘员 刘洋", "crew"),
]


def demo_token(username: str) -> str:
    return f"tpl_demo_{username}"


def demo_password(username: str) -> str:
    """The console password of a demo user (fixed, like the tokens: the demo cluster is private)."""
    return f"demo-{username}-tapline"


def seed_demo(session: Session, *, max_vertices: int) -> list[str]:
    """Create the demo tenant and its work if missing; return lines to print (where the docs and tokens are)."""
    tenant = session.scalar(select(Tenant).where(Tenant.slug == DEMO_SLUG))
    if tenant is None:
        tenant, people, crew = _create_people(session)
        seed_demo_work(session, people, crew.id, max_vertices)
    _give_passwords(session, tenant)
    lines = [f"Demo tenant {tenant.slug} ({tenant.name}), policy profile {tenant.profile_id}. "
             f"Tokens, and console passwords (sign in at /console with the unit code {tenant.slug}):"]
    lines += [f"  {role:<10} {username:<10} Authorization: Bearer {demo_token(username):<22} "
              f"password: {demo_password(username)}" for username, _, role in DEMO_USERS]
    return lines


@commits
def _give_passwords(session: Session, tenant: Tenant) -> None:
    """Demo users without a console password get theirs (a demo seeded before the console had none)."""
    users = session.scalars(select(User).where(User.tenant_id == tenant.id, User.password_hash.is_(None),
                                               User.username.in_([username for username, _, _ in DEMO_USERS])))
    for user in users:
        user.password_hash = hash_password(demo_password(user.username))


@commits
def _create_people(session: Session) -> tuple[Tenant, dict[str, Principal], Crew]:
    tenant, _ = create_tenant(session, slug=DEMO_SLUG, name="随州市供水供气（演示）", profile_id="suizhou",
                              admin_username="admin", admin_token=demo_token("admin"))
    users = {"admin": session.scalar(select(User).where(User.tenant_id == tenant.id, User.username == "admin"))}
    devices = {"admin": session.scalar(select(Device).where(Device.tenant_id == tenant.id,
                                                            Device.user_id == users["admin"].id))}
    for username, display_name, role in DEMO_USERS[1:]:
        users[username] = User(tenant_id=tenant.id, username=username, display_name=display_name, role=role)
        session.add(users[username])
    session.flush()
    for username, _, _ in DEMO_USERS[1:]:
        kind = "tablet" if users[username].role == "crew" else "api"
        devices[username] = Device(tenant_id=tenant.id, user_id=users[username].id, name=f"demo {username}",
                                   kind=kind, token_hash=hash_token(demo_token(username)))
        session.add(devices[username])
    crew = Crew(tenant_id=tenant.id, name="踏勘一组 Survey crew 1")
    session.add(crew)
    session.flush()
    members = ("crew1", "crew2")
    session.add_all(CrewMember(tenant_id=tenant.id, crew_id=crew.id, user_id=users[u].id) for u in members)
    people = {name: Principal(tenant.id, user.id, user.role, devices[name].id, devices[name].kind,
                              (crew.id,) if name in members else ())
              for name, user in users.items()}
    return tenant, {**people, "crew": people["crew1"]}, crew
