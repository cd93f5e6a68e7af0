"""notification digests: a message names the clocks it is about, so a sweep writes one per level, not per alert

A sweep over a backlog raises alerts by the hundred thousand; one outbox row (and one email, one webhook
call) per alert and recipient made the first pass write 440,928 rows for 220,464 alerts, and four index
entries each. Now a message carries the clocks it names (the first few due) and how many it is about. The
unique key goes: only the alerts a sweep has just raised (their own key makes each once) and a visit's one
follow-up are ever notified.

Revision ID: 0017
Revises: 0016
"""
import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("notifications", sa.Column("clock_ids", sa.ARRAY(sa.UUID()), nullable=True))
    op.add_column("notifications", sa.Column("clock_count", sa.Integer(), nullable=True))
    op.execute("update notifications set clock_ids = array[clock_id], clock_count = 1")
    op.alter_column("notifications", "clock_ids", nullable=False)
    op.alter_column("notifications", "clock_count", nullable=False)
    op.drop_constraint("uq_notifications_tenant_id_clock_id_kind_channel_recipient", "notifications")
    op.drop_column("notifications", "clock_id")


def downgrade() -> None:
    # A message about several clocks keeps the first it names.
    op.add_column("notifications", sa.Column("clock_id", sa.UUID(), nullable=True))
    op.execute("update notifications set clock_id = clock_ids[1]")
    op.alter_column("notifications", "clock_id", nullable=False)
    op.create_unique_constraint("uq_notifications_tenant_id_clock_id_kind_channel_recipient", "notifications",
                                ["tenant_id", "clock_id", "kind", "channel", "recipient"])
    op.drop_column("notifications", "clock_count")
    op.drop_column("notifications", "clock_ids")
