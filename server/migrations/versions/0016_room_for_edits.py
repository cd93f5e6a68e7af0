"""room for edits: surveys and tasks leave a fifth of each page free

A survey is updated many times (every push of an edit), never by its geometry indexes' columns alone.
With full pages each update writes a new row elsewhere and an entry into all four of the survey's
indexes, two of them GiST; with room on the page PostgreSQL updates in place (a HOT update) and touches
no index. Existing rows move into the roomier layout as they are next rewritten (or by VACUUM FULL).

Revision ID: 0016
Revises: 0015
"""
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

TABLES = ("surveys", "survey_tasks")


def upgrade() -> None:
    for table in TABLES:
        op.execute(f"alter table {table} set (fillfactor = 80)")


def downgrade() -> None:
    for table in TABLES:
        op.execute(f"alter table {table} reset (fillfactor)")
