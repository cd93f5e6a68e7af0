"""notifications: the outbox of alerts to people and webhooks, and users' email addresses

Revision ID: 0010
Revises: 0009
"""
import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("users", sa.Column("email", sa.String(length=254), nullable=True))
    op.create_table(
        "notifications",
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("clock_id", sa.UUID(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("recipient", sa.String(length=500), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("kind in ('warning', 'overdue', 'escalation', 'follow_up')",
                           name=op.f("ck_notifications_kind")),
        sa.CheckConstraint("channel in ('email', 'webhook')", name=op.f("ck_notifications_channel")),
        sa.CheckConstraint("state in ('pending', 'sent', 'parked')", name=op.f("ck_notifications_state")),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_notifications")),
        sa.UniqueConstraint("tenant_id", "clock_id", "kind", "channel", "recipient",
                            name=op.f("uq_notifications_tenant_id_clock_id_kind_channel_recipient")),
    )
    op.create_index("ix_notifications_pending", "notifications", ["next_attempt_at"],
                    postgresql_where=sa.text("state = 'pending'"))
    op.create_index("ix_notifications_state", "notifications", ["tenant_id", "state", "created_at"])


def downgrade() -> None:
    op.drop_table("notifications")
    op.drop_column("users", "email")
