"""The `tapline` command: Flask's CLI plus database, tenant and demo commands."""
import click
from flask import current_app
from flask.cli import FlaskGroup, with_appcontext

from server import migrate
from server.app import create_app
from server.demo import seed_demo
from server.extensions import db
from server.services.tenants import create_tenant


@click.group(cls=FlaskGroup, create_app=lambda: create_app())
def main():
    """Tapline service commands."""


@main.group("db")
def db_group():
    """Database schema."""


@db_group.command("upgrade")
@click.argument("revision", default="head")
@with_appcontext
def db_upgrade(revision):
    """Apply the Alembic migrations up to REVISION (default: head)."""
    migrate.upgrade(current_app.config["DATABASE_URL"], revision)
    click.echo(f"database at {migrate.head_revision() if revision == 'head' else revision}")


@main.group("tenant")
def tenant_group():
    """Tenants."""


@tenant_group.command("create")
@click.option("--slug", required=True)
@click.option("--name", required=True)
@click.option("--profile", "profile_id", required=True, help="policy profile id, e.g. suizhou")
@click.option("--admin", "admin_username", required=True, help="username of the first admin")
@with_appcontext
def tenant_create(slug, name, profile_id, admin_username):
    """Create a tenant and its first admin; prints the admin's token (shown once)."""
    tenant, token = create_tenant(db.session, slug=slug, name=name, profile_id=profile_id,
                                  admin_username=admin_username)
    click.echo(f"tenant {tenant.slug} ({tenant.id}); admin token: {token}")


@main.group("demo")
def demo_group():
    """Demo data."""


@demo_group.command("seed")
@with_appcontext
def demo_seed():
    """Seed (or refresh) the demo tenant and print its tokens."""
    for line in seed_demo(db.session, max_vertices=current_app.config["MAX_VERTICES"]):
        click.echo(line)
