"""progress codes: each application's random code for the applicant's progress query, existing ones included

Revision ID: 0011
Revises: 0010
"""
import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("applications", sa.Column("progress_code", sa.String(length=16), nullable=True))
    # 64 random bits as 16 hex digits, as the service makes them (gen_random_uuid is core since PostgreSQL 13).
    op.execute("update applications set progress_code = upper(substr(md5(gen_random_uuid()::text), 1, 16))")
    op.alter_column("applications", "progress_code", nullable=False)
    op.create_index("uq_applications_progress_code", "applications", ["progress_code"], unique=True)


def downgrade() -> None:
    op.drop_index("uq_applications_progress_code", table_name="applications")
    op.drop_column("applications", "progress_code")
