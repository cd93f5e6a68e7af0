"""The `tapline` command: Flask's CLI plus database, tenant, demo and SLA commands."""
import signal
from datetime import UTC, datetime, timedelta

import click
from flask import current_app
from flask.cli import FlaskGroup, with_appcontext

from server import migrate
from server.app import create_app
from server.demo import seed_demo
from server.extensions import db
from server.services import alerts, blobs
from server.services.notifications.outbox import Targets
from server.services.tenants import create_tenant
from server.worker import Worker


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


@main.group("blobs")
def blobs_group():
    """Photos, sketches and signatures."""


@blobs_group.command("expire")
@click.option("--older-than-hours", type=click.IntRange(min=1),
              help="forget partial uploads started longer ago than this (default: TAPLINE_BLOB_EXPIRE_AFTER_HOURS)")
@with_appcontext
def blobs_expire(older_than_hours):
    """Delete uploads left partial (a lost tablet, an abandoned photo) and their chunks; the worker runs it hourly."""
    hours = older_than_hours or current_app.config["BLOB_EXPIRE_AFTER_HOURS"]
    expired = blobs.expire_partial_uploads(db.session, current_app.extensions["tapline_blobs"], timedelta(hours=hours))
    click.echo(f"expired={expired}")


@main.command("worker")
@with_appcontext
def worker():
    """Run the periodic jobs (SLA sweep, blob expiry, notification delivery) until SIGTERM or Ctrl-C.

    Start one or more on any machines; each due job runs on exactly one of them.
    """
    process = Worker(current_app._get_current_object())
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: process.stop())
    process.run()


@main.group("sla")
def sla_group():
    """Deadline clocks and alerts (超期预警督办)."""


def _instant(_ctx, _param, value: str | None) -> datetime:
    if value is None:
        return datetime.now(UTC)
    try:
        at = datetime.fromisoformat(value)
    except ValueError:
        at = None
    if at is None or at.utcoffset() is None:
        raise click.BadParameter("an ISO 8601 instant with its offset, e.g. 2026-11-25T09:00:00+08:00")
    return at


@sla_group.command("sweep")
@click.option("--at", callback=_instant, metavar="ISO-8601", help="sweep as of this instant (default: now)")
@with_appcontext
def sla_sweep(at):
    """Raise the alerts every open clock of every tenant has reached, each once; the worker runs it every minute."""
    counts = alerts.run_sweep(db.session, at=at, warning_share=current_app.config["SLA_WARNING_SHARE"],
                              escalation_grace=timedelta(hours=current_app.config["SLA_ESCALATION_GRACE_HOURS"]),
                              targets=Targets.from_config(current_app.config))
    click.echo(" ".join(f"{name}={count}" for name, count in counts.items()))
