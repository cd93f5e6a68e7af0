"""survey lifecycle and reference data

Revision ID: 0002
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa
import geoalchemy2
from sqlalchemy.dialects import postgresql

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("create sequence application_number_seq")
    op.create_table('audit_log',
    sa.Column('tenant_id', sa.UUID(), nullable=False),
    sa.Column('seq', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.Column('entity_type', sa.String(length=32), nullable=False),
    sa.Column('entity_id', sa.UUID(), nullable=False),
    sa.Column('action', sa.String(length=32), nullable=False),
    sa.Column('actor_id', sa.UUID(), nullable=True),
    sa.Column('device_id', sa.UUID(), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('device_time', sa.DateTime(timezone=True), nullable=True),
    sa.Column('changes', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('evidence', sa.ARRAY(sa.String(length=64)), nullable=False),
    sa.PrimaryKeyConstraint('tenant_id', 'seq', name=op.f('pk_audit_log'))
    )
    op.create_index('ix_audit_log_entity', 'audit_log', ['tenant_id', 'entity_type', 'entity_id', 'seq'], unique=False)
    op.create_table('calendar_years',
    sa.Column('tenant_id', sa.UUID(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('holidays', sa.ARRAY(sa.Date()), nullable=False),
    sa.Column('workdays', sa.ARRAY(sa.Date()), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('tenant_id', 'year', name=op.f('pk_calendar_years'))
    )
    op.create_table('comments',
    sa.Column('task_id', sa.UUID(), nullable=False),
    sa.Column('survey_id', sa.UUID(), nullable=True),
    sa.Column('author_id', sa.UUID(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('target', postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    sa.Column('resolved', sa.Boolean(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('field_versions', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('updated_by', sa.UUID(), nullable=True),
    sa.Column('tenant_id', sa.UUID(), nullable=False),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_comments'))
    )
    op.create_index('ix_comments_task', 'comments', ['tenant_id', 'task_id'], unique=False)
    op.create_table('constraint_features',
    sa.Column('layer', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('geom', geoalchemy2.types.Geometry(srid=4490, dimension=2, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry', nullable=False), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('tenant_id', sa.UUID(), nullable=False),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_constraint_features'))
    )
    op.create_index('ix_constraint_features_geom', 'constraint_features', ['geom'], unique=False, postgresql_using='gist')
    op.create_table('determinations',
    sa.Column('task_id', sa.UUID(), nullable=False),
    sa.Column('survey_id', sa.UUID(), nullable=False),
    sa.Column('survey_version', sa.Integer(), nullable=False),
    sa.Column('utility', sa.String(length=8), nullable=False),
    sa.Column('profile_id', sa.String(length=64), nullable=False),
    sa.Column('profile_version', sa.String(length=32), nullable=True),
    sa.Column('inputs', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('measurement', postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    sa.Column('decision', postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    sa.Column('errors', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('tenant_id', sa.UUID(), nullable=False),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_determinations'))
    )
    op.create_index('ix_determinations_task', 'determinations', ['tenant_id', 'task_id', 'created_at'], unique=False)
    op.create_table('sla_clocks',
    sa.Column('application_id', sa.UUID(), nullable=False),
    sa.Column('step', sa.String(length=64), nullable=False),
    sa.Column('anchor', sa.String(length=32), nullable=False),
    sa.Column('duration', sa.String(length=64), nullable=True),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('due_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('calendar', sa.String(length=16), nullable=True),
    sa.Column('done_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('rule', sa.String(length=16), nullable=True),
    sa.Column('clause', sa.String(length=64), nullable=True),
    sa.Column('tenant_id', sa.UUID(), nullable=False),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_sla_clocks')),
    sa.UniqueConstraint('tenant_id', 'application_id', 'step', name=op.f('uq_sla_clocks_tenant_id_application_id_step'))
    )
    op.create_index('ix_sla_clocks_open_due', 'sla_clocks', ['tenant_id', 'due_at'], unique=False, postgresql_where='done_at is null')
    op.create_table('task_events',
    sa.Column('task_id', sa.UUID(), nullable=False),
    sa.Column('from_status', sa.String(length=16), nullable=True),
    sa.Column('to_status', sa.String(length=16), nullable=False),
    sa.Column('actor_id', sa.UUID(), nullable=False),
    sa.Column('device_id', sa.UUID(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('tenant_id', sa.UUID(), nullable=False),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_task_events'))
    )
    op.create_index('ix_task_events_task', 'task_events', ['tenant_id', 'task_id', 'created_at'], unique=False)
    op.create_table('applications',
    sa.Column('number', sa.String(length=32), nullable=False),
    sa.Column('profile_id', sa.String(length=64), nullable=False),
    sa.Column('applicant_unit', sa.String(length=200), nullable=False),
    sa.Column('credit_code', sa.String(length=18), nullable=True),
    sa.Column('address', sa.String(length=300), nullable=False),
    sa.Column('requested_connection_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('location', geoalchemy2.types.Geometry(geometry_type='POINT', srid=4490, dimension=2, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry'), nullable=True),
    sa.Column('contact_name', sa.String(length=100), nullable=False),
    sa.Column('contact_phone', sa.String(length=32), nullable=False),
    sa.Column('project_code', sa.String(length=64), nullable=True),
    sa.Column('utilities', sa.ARRAY(sa.String(length=8)), nullable=False),
    sa.Column('customer_class', sa.String(length=32), nullable=False),
    sa.Column('business_type', sa.String(length=16), nullable=False),
    sa.Column('water_demand_t_per_day', sa.Numeric(precision=12, scale=2), nullable=True),
    sa.Column('gas_pressure_kpa', sa.Numeric(precision=10, scale=2), nullable=True),
    sa.Column('gas_load_m3_per_h', sa.Numeric(precision=12, scale=2), nullable=True),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('pre_service', sa.Boolean(), nullable=False),
    sa.Column('deferred_materials', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('applied_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('field_versions', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('updated_by', sa.UUID(), nullable=True),
    sa.Column('tenant_id', sa.UUID(), nullable=False),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_applications_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_applications')),
    sa.UniqueConstraint('tenant_id', 'number', name=op.f('uq_applications_tenant_id_number'))
    )
    op.create_index('ix_applications_location', 'applications', ['location'], unique=False, postgresql_using='gist')
    op.create_index('uq_applications_platform_project', 'applications', ['tenant_id', 'project_code'], unique=True, postgresql_where="channel = 'platform'")
    op.create_table('survey_tasks',
    sa.Column('application_id', sa.UUID(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('crew_id', sa.UUID(), nullable=True),
    sa.Column('utilities', sa.ARRAY(sa.String(length=8)), nullable=False),
    sa.Column('profile_id', sa.String(length=64), nullable=False),
    sa.Column('survey_due_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('surveyed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('site', geoalchemy2.types.Geometry(geometry_type='POINT', srid=4490, dimension=2, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry'), nullable=True),
    sa.Column('flagged', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('field_versions', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('updated_by', sa.UUID(), nullable=True),
    sa.Column('tenant_id', sa.UUID(), nullable=False),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("status in ('new', 'assigned', 'on_site', 'submitted', 'returned', 'approved', 'cancelled')", name=op.f('ck_survey_tasks_status')),
    sa.ForeignKeyConstraint(['tenant_id', 'application_id'], ['applications.tenant_id', 'applications.id'], name=op.f('fk_survey_tasks_tenant_id_application_id_applications')),
    sa.ForeignKeyConstraint(['tenant_id', 'crew_id'], ['crews.tenant_id', 'crews.id'], name=op.f('fk_survey_tasks_tenant_id_crew_id_crews')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_survey_tasks'))
    )
    op.create_index('ix_survey_tasks_application', 'survey_tasks', ['tenant_id', 'application_id'], unique=False)
    op.create_index('ix_survey_tasks_crew', 'survey_tasks', ['tenant_id', 'crew_id', 'status', 'survey_due_at'], unique=False)
    op.create_index('ix_survey_tasks_site', 'survey_tasks', ['site'], unique=False, postgresql_using='gist')
    op.create_index('ix_survey_tasks_status_due', 'survey_tasks', ['tenant_id', 'status', 'survey_due_at'], unique=False)
    op.create_table('surveys',
    sa.Column('task_id', sa.UUID(), nullable=False),
    sa.Column('utility', sa.String(length=8), nullable=False),
    sa.Column('meter_dn', sa.Integer(), nullable=True),
    sa.Column('red_line', geoalchemy2.types.Geometry(geometry_type='MULTIPOLYGON', srid=4490, dimension=2, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry'), nullable=True),
    sa.Column('route', geoalchemy2.types.Geometry(geometry_type='MULTILINESTRING', srid=4490, dimension=2, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry'), nullable=True),
    sa.Column('green_areas', geoalchemy2.types.Geometry(geometry_type='MULTIPOLYGON', srid=4490, dimension=2, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry'), nullable=True),
    sa.Column('meter_position', geoalchemy2.types.Geometry(geometry_type='POINT', srid=4490, dimension=2, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry'), nullable=True),
    sa.Column('segments', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('road_occupation_area_m2', sa.Numeric(precision=12, scale=2), nullable=True),
    sa.Column('tree_felling', sa.Boolean(), nullable=True),
    sa.Column('outside_length_accuracy_m', sa.Numeric(precision=8, scale=2), nullable=True),
    sa.Column('green_area_accuracy_m2', sa.Numeric(precision=10, scale=2), nullable=True),
    sa.Column('traffic_safety_impact', sa.Boolean(), nullable=True),
    sa.Column('photos', sa.ARRAY(sa.String(length=64)), nullable=False),
    sa.Column('sketches', sa.ARRAY(sa.String(length=64)), nullable=False),
    sa.Column('signature', sa.String(length=64), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('form_id', sa.String(length=64), nullable=True),
    sa.Column('form_version', sa.Integer(), nullable=True),
    sa.Column('answers', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('field_versions', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('updated_by', sa.UUID(), nullable=True),
    sa.Column('tenant_id', sa.UUID(), nullable=False),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'task_id'], ['survey_tasks.tenant_id', 'survey_tasks.id'], name=op.f('fk_surveys_tenant_id_task_id_survey_tasks')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_surveys')),
    sa.UniqueConstraint('tenant_id', 'task_id', 'utility', name=op.f('uq_surveys_tenant_id_task_id_utility'))
    )
    op.create_index('ix_surveys_red_line', 'surveys', ['red_line'], unique=False, postgresql_using='gist')
    op.create_index('ix_surveys_route', 'surveys', ['route'], unique=False, postgresql_using='gist')


def downgrade() -> None:
    op.execute("drop sequence application_number_seq")
    op.drop_index('ix_surveys_route', table_name='surveys', postgresql_using='gist')
    op.drop_index('ix_surveys_red_line', table_name='surveys', postgresql_using='gist')
    op.drop_table('surveys')
    op.drop_index('ix_survey_tasks_status_due', table_name='survey_tasks')
    op.drop_index('ix_survey_tasks_site', table_name='survey_tasks', postgresql_using='gist')
    op.drop_index('ix_survey_tasks_crew', table_name='survey_tasks')
    op.drop_index('ix_survey_tasks_application', table_name='survey_tasks')
    op.drop_table('survey_tasks')
    op.drop_index('uq_applications_platform_project', table_name='applications', postgresql_where="channel = 'platform'")
    op.drop_index('ix_applications_location', table_name='applications', postgresql_using='gist')
    op.drop_table('applications')
    op.drop_index('ix_task_events_task', table_name='task_events')
    op.drop_table('task_events')
    op.drop_index('ix_sla_clocks_open_due', table_name='sla_clocks', postgresql_where='done_at is null')
    op.drop_table('sla_clocks')
    op.drop_index('ix_determinations_task', table_name='determinations')
    op.drop_table('determinations')
    op.drop_index('ix_constraint_features_geom', table_name='constraint_features', postgresql_using='gist')
    op.drop_table('constraint_features')
    op.drop_index('ix_comments_task', table_name='comments')
    op.drop_table('comments')
    op.drop_table('calendar_years')
    op.drop_index('ix_audit_log_entity', table_name='audit_log')
    op.drop_table('audit_log')
