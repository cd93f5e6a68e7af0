"""audit entries keep the reason a person gave (a task returned or cancelled)

Revision ID: 0014
Revises: 0013
"""
import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("audit_log", sa.Column("reason", sa.Text(), nullable=True))


def downgrade() -> None:
    op.drop_column("audit_log", "reason")
