"""tenant time zones: the zone in which times are shown to the tenant's people (default Asia/Shanghai)

Revision ID: 0012
Revises: 0011
"""
import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("tenants", sa.Column("time_zone", sa.String(length=64), server_default="Asia/Shanghai",
                                       nullable=False))


def downgrade() -> None:
    op.drop_column("tenants", "time_zone")
