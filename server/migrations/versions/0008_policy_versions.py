"""policy versions: profiles a tenant uploaded or overrode, with who, when and the effective date

Revision ID: 0008
Revises: 0007
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "policy_versions",
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("profile_id", sa.String(length=64), nullable=False),
        sa.Column("version", sa.String(length=32), nullable=False),
        sa.Column("effective_date", sa.Date(), nullable=False),
        sa.Column("document", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("origin", sa.String(length=16), nullable=False),
        sa.Column("base_version", sa.String(length=32), nullable=True),
        sa.Column("overrides", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("created_by", sa.UUID(), nullable=False),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], name=op.f("fk_policy_versions_tenant_id_tenants")),
        sa.ForeignKeyConstraint(["tenant_id", "created_by"], ["users.tenant_id", "users.id"],
                                name=op.f("fk_policy_versions_tenant_id_created_by_users")),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_policy_versions")),
        sa.UniqueConstraint("tenant_id", "profile_id", "version",
                            name=op.f("uq_policy_versions_tenant_id_profile_id_version")),
    )


def downgrade() -> None:
    op.drop_table("policy_versions")
