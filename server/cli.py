"""The `tapline` command: database, tenants, demo data, the worker and its jobs run by hand.

Not Flask's CLI: its development server and shell have no place on a production host. Each command builds
the app itself (so `DATABASE_URL` is read when a command runs, not for `--help`).
"""
import signal
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import click
from flask import current_app
from flask.cli import ScriptInfo, with_appcontext
from sqlalchemy.exc import OperationalError

from server import migrate
from server.app import create_app
from server.demo import seed_demo
from server.error_codes import CATALOGUE, markdown
from server.extensions import db
from server.services import alerts, blobs
from server.services.notifications.outbox import Targets
from server.services.tenants import create_tenant
from server.worker import Worker

#: The help's sections, in order, and the commands in each.
SECTIONS = (
    ("Reference", ("errors",)),
    ("Run", ("worker",)),
    ("Set up", ("db", "tenant", "demo")),
    ("Jobs by hand (the worker runs them on schedule)", ("sla", "blobs")),
)
EXAMPLES = """Examples:

\b
  export DATABASE_URL=postgresql://tapline:…@db.internal:5432/tapline
  tapline db upgrade
  tapline tenant create --slug wuhu-water --name 芜湖供水 --profile wuhu --admin admin
  tapline worker
  tapline sla sweep --at 2026-11-25T09:00:00+08:00
  tapline blobs expire --older-than-hours 24
  tapline errors --markdown > docs/errors.md

Settings come from the environment (DATABASE_URL, TAPLINE_*): see the README's configuration table.
"""


class TaplineGroup(click.Group):
    """A group whose help lists its commands by section, and whose commands fail in one line, not a traceback,
    when the database cannot be reached."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except OperationalError as error:
            raise click.ClickException(f"cannot reach the database at DATABASE_URL: {error.orig}") from None

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        for title, names in SECTIONS:
            rows = [(name, self.commands[name].get_short_help_str(limit=formatter.width))
                    for name in names if name in self.commands]
            with formatter.section(title):
                formatter.write_dl(rows)


def _create_app():
    """The app for a command, or a one-line error (exit 1) when it cannot be built from the environment."""
    try:
        return create_app()
    except RuntimeError as error:
        raise click.ClickException(str(error)) from None


@click.group(cls=TaplineGroup, epilog=EXAMPLES, context_settings={"obj": ScriptInfo(create_app=_create_app),
                                                                  "help_option_names": ["-h", "--help"]})
@click.version_option(package_name="tapline")
def main():
    """Tapline: the back end of water and gas service-connection field work (用水用气报装)."""


@main.group("db")
def db_group():
    """Migrate the database schema."""


@db_group.command("upgrade")
@click.argument("revision", default="head")
@with_appcontext
def db_upgrade(revision):
    """Apply the Alembic migrations up to REVISION (default: head)."""
    migrate.upgrade(current_app.config["DATABASE_URL"], revision)
    click.echo(f"database at {migrate.head_revision() if revision == 'head' else revision}")


def _zone(_ctx, _param, value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise click.BadParameter(f"{value!r} is not an IANA time zone, e.g. Asia/Shanghai") from None
    return value


@main.group("tenant")
def tenant_group():
    """Create a tenant (a utility or a city's joint service)."""


@tenant_group.command("create")
@click.option("--slug", required=True)
@click.option("--name", required=True)
@click.option("--profile", "profile_id", required=True, help="policy profile id, e.g. suizhou")
@click.option("--admin", "admin_username", required=True, help="username of the first admin")
@click.option("--time-zone", callback=_zone, default="Asia/Shanghai", show_default=True,
              help="the IANA zone in which its people read times")
@with_appcontext
def tenant_create(slug, name, profile_id, admin_username, time_zone):
    """Create a tenant and its first admin; prints the admin's token (shown once)."""
    tenant, token = create_tenant(db.session, slug=slug, name=name, profile_id=profile_id,
                                  admin_username=admin_username, time_zone=time_zone)
    click.echo(f"tenant {tenant.slug} ({tenant.id}); admin token: {token}")


@main.group("demo")
def demo_group():
    """Seed the demo tenant that `make run` serves."""


@demo_group.command("seed")
@with_appcontext
def demo_seed():
    """Seed (or refresh) the demo tenant and print its tokens."""
    for line in seed_demo(db.session, max_vertices=current_app.config["MAX_VERTICES"]):
        click.echo(line)


@main.group("blobs")
def blobs_group():
    """Expire abandoned photo, sketch and signature uploads."""


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
    """Run the scheduled jobs until stopped (SIGTERM or Ctrl-C).

    The SLA sweep, blob expiry and notification delivery, each on its schedule. Start one or more on any
    machines: each due job runs on exactly one of them.
    """
    process = Worker(current_app._get_current_object())
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: process.stop())
    process.run()


@main.group("sla")
def sla_group():
    """Sweep the deadline clocks and raise alerts (超期预警督办)."""


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


@main.command("errors")
@click.option("--markdown", "as_markdown", is_flag=True, help="the table of docs/errors.md")
def errors(as_markdown):
    """List every error code the API answers with, its HTTP status and meaning."""
    if as_markdown:
        click.echo(markdown(), nl=False)
        return
    for code in CATALOGUE.values():
        click.echo(f"{code.value}\t{code.status}\t{code.meaning}")
