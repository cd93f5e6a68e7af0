"""console: users' password hashes, console sign-ins as devices, the tenant's basemap

Revision ID: 0015
Revises: 0014
"""
import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("users", sa.Column("password_hash", sa.String(length=200), nullable=True))
    op.drop_constraint(op.f("ck_devices_kind"), "devices", type_="check")
    op.create_check_constraint(op.f("ck_devices_kind"), "devices", "kind in ('tablet', 'api', 'console')")
    op.add_column("tenants", sa.Column("basemap_url", sa.String(length=500), nullable=True))
    op.add_column("tenants", sa.Column("basemap_gcj02", sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade() -> None:
    op.drop_column("tenants", "basemap_gcj02")
    op.drop_column("tenants", "basemap_url")
    op.execute("delete from devices where kind = 'console'")
    op.drop_constraint(op.f("ck_devices_kind"), "devices", type_="check")
    op.create_check_constraint(op.f("ck_devices_kind"), "devices", "kind in ('tablet', 'api')")
    op.drop_column("users", "password_hash")
