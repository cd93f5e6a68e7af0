"""assignment history and decisions held after approval

Task events name the crew an assignment gave the task to, so push can tell a crew that once held a task
(its work is kept and flagged) from one that never did (the task does not exist for it). A determination
computed from an edit that reached an approved task is `pending` until an engineer accepts or declines it;
the approved one stays `in_force` meanwhile. Receipts are found by record, so a device's own earlier edits
never conflict with its later ones.

Revision ID: 0007
Revises: 0006
"""
import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("task_events", sa.Column("crew_id", sa.UUID(), nullable=True))
    # Before this revision only the current crew is known; earlier holders are lost, the current one is not.
    op.execute("""
        update task_events e set crew_id = t.crew_id
        from survey_tasks t
        where e.tenant_id = t.tenant_id and e.task_id = t.id and e.to_status = 'assigned'
    """)
    op.create_index("ix_task_events_crew", "task_events", ["tenant_id", "task_id", "crew_id"],
                    postgresql_where=sa.text("crew_id is not null"))
    op.create_index("ix_sync_receipts_entity", "sync_receipts", ["tenant_id", "device_id", "entity_id"])
    op.add_column("determinations", sa.Column("state", sa.String(16), nullable=False, server_default="in_force"))
    op.create_check_constraint("ck_determinations_state", "determinations",
                               "state in ('in_force', 'pending', 'declined')")


def downgrade() -> None:
    op.drop_constraint("ck_determinations_state", "determinations")
    op.drop_column("determinations", "state")
    op.drop_index("ix_sync_receipts_entity", "sync_receipts")
    op.drop_index("ix_task_events_crew", "task_events")
    op.drop_column("task_events", "crew_id")
