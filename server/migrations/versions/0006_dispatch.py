"""dispatch: construction teams, work orders, SLA alerts and evaluations, return visits

Revision ID: 0006
Revises: 0005
"""
import geoalchemy2
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def _keyed_columns() -> list[sa.Column]:
    """TenantKeyed and Versioned."""
    return [
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "construction_teams",
        *_keyed_columns(),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("utilities", sa.ARRAY(sa.String(length=8)), nullable=False),
        sa.Column("service_area", geoalchemy2.types.Geometry(geometry_type="GEOMETRY", srid=4490,
                                                             spatial_index=False, from_text="ST_GeomFromEWKT",
                                                             name="geometry"), nullable=False),
        sa.Column("daily_capacity", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.CheckConstraint("daily_capacity >= 0", name=op.f("ck_construction_teams_daily_capacity")),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], name=op.f("fk_construction_teams_tenant_id_tenants")),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_construction_teams")),
        sa.UniqueConstraint("tenant_id", "name", name=op.f("uq_construction_teams_tenant_id_name")),
    )
    op.create_index("ix_construction_teams_service_area", "construction_teams", ["service_area"],
                    postgresql_using="gist")

    op.create_table(
        "work_orders",
        *_keyed_columns(),
        sa.Column("application_id", sa.UUID(), nullable=False),
        sa.Column("task_id", sa.UUID(), nullable=False),
        sa.Column("utility", sa.String(length=8), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("team_id", sa.UUID(), nullable=True),
        sa.Column("start_on", sa.Date(), nullable=False),
        sa.Column("assigned_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("connected_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("checklist", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("documents", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.CheckConstraint("status in ('created', 'assigned', 'in_progress', 'completed', 'connected', 'closed')",
                           name=op.f("ck_work_orders_status")),
        sa.ForeignKeyConstraint(["tenant_id", "application_id"], ["applications.tenant_id", "applications.id"],
                                name=op.f("fk_work_orders_tenant_id_application_id_applications")),
        sa.ForeignKeyConstraint(["tenant_id", "task_id"], ["survey_tasks.tenant_id", "survey_tasks.id"],
                                name=op.f("fk_work_orders_tenant_id_task_id_survey_tasks")),
        sa.ForeignKeyConstraint(["tenant_id", "team_id"], ["construction_teams.tenant_id", "construction_teams.id"],
                                name=op.f("fk_work_orders_tenant_id_team_id_construction_teams")),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_work_orders")),
        sa.UniqueConstraint("tenant_id", "task_id", "utility", name=op.f("uq_work_orders_tenant_id_task_id_utility")),
    )
    op.create_index("ix_work_orders_team_day", "work_orders", ["tenant_id", "team_id", "start_on"])
    op.create_index("ix_work_orders_status", "work_orders", ["tenant_id", "status", "start_on"])
    op.create_index("ix_work_orders_application", "work_orders", ["tenant_id", "application_id"])

    # Narrow, two indexes and no foreign key to sla_clocks: a sweep may insert alerts by the hundred thousand,
    # and a per-row key check would cost more than the insert; alerts are only ever written from the clocks.
    op.create_table(
        "sla_alerts",
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("clock_id", sa.UUID(), nullable=False),
        sa.Column("level", sa.String(length=16), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("raised_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recipients", sa.ARRAY(sa.UUID()), server_default=sa.text("'{}'"), nullable=False),
        sa.CheckConstraint("level in ('warning', 'overdue', 'escalation')", name=op.f("ck_sla_alerts_level")),
        sa.PrimaryKeyConstraint("tenant_id", "clock_id", "level", name=op.f("pk_sla_alerts")),
    )
    op.create_index("ix_sla_alerts_raised", "sla_alerts", ["tenant_id", "raised_at"])

    op.create_table(
        "sla_evaluations",
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("application_id", sa.UUID(), nullable=False),
        sa.Column("utility", sa.String(length=8), nullable=False),
        sa.Column("evaluated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "application_id", "utility", name=op.f("pk_sla_evaluations")),
    )

    op.create_table(
        "return_visits",
        *_keyed_columns(),
        sa.Column("application_id", sa.UUID(), nullable=False),
        sa.Column("work_order_id", sa.UUID(), nullable=False),
        sa.Column("utility", sa.String(length=8), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("percent", sa.Integer(), nullable=False),
        sa.Column("selected_by", sa.String(length=8), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("feedback_within", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("result", sa.String(length=16), nullable=True),
        sa.Column("owner_gender", sa.String(length=8), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("visited_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("visited_by", sa.UUID(), nullable=True),
        sa.Column("follow_up_notes", sa.Text(), nullable=True),
        sa.CheckConstraint("status in ('not_selected', 'scheduled', 'done')", name=op.f("ck_return_visits_status")),
        sa.CheckConstraint("selected_by in ('all', 'sample', 'top_up')", name=op.f("ck_return_visits_selected_by")),
        sa.CheckConstraint("result in ('satisfied', 'dissatisfied')", name=op.f("ck_return_visits_result")),
        sa.CheckConstraint("owner_gender in ('female', 'male')", name=op.f("ck_return_visits_owner_gender")),
        sa.ForeignKeyConstraint(["tenant_id", "work_order_id"], ["work_orders.tenant_id", "work_orders.id"],
                                name=op.f("fk_return_visits_tenant_id_work_order_id_work_orders")),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_return_visits")),
        sa.UniqueConstraint("tenant_id", "work_order_id", name=op.f("uq_return_visits_tenant_id_work_order_id")),
    )
    op.create_index("ix_return_visits_month", "return_visits", ["tenant_id", "month", "percent", "status"])


def downgrade() -> None:
    op.drop_table("return_visits")
    op.drop_table("sla_evaluations")
    op.drop_table("sla_alerts")
    op.drop_table("work_orders")
    op.drop_table("construction_teams")
