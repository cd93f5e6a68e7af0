"""foundation: tenants, users, devices, crews, changes

Revision ID: 0001
Revises: 
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql



class Xid8(sa.types.UserDefinedType):
    """PostgreSQL's 64-bit transaction id; defined here so the migration imports nothing of the app."""

    cache_ok = True

    def get_col_spec(self, **kw):
        return "xid8"

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("create extension if not exists postgis")
    op.create_table('changes',
    sa.Column('tenant_id', sa.UUID(), nullable=False),
    sa.Column('seq', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.Column('xid', Xid8(), server_default=sa.text('pg_current_xact_id()'), nullable=False),
    sa.Column('entity_type', sa.String(length=32), nullable=False),
    sa.Column('entity_id', sa.UUID(), nullable=False),
    sa.Column('op', sa.String(length=8), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('crew_id', sa.UUID(), nullable=True),
    sa.Column('reference', sa.Boolean(), server_default=sa.text('false'), nullable=False),
    sa.Column('user_id', sa.UUID(), nullable=True),
    sa.Column('meta', postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    sa.PrimaryKeyConstraint('tenant_id', 'seq', name=op.f('pk_changes'))
    )
    op.create_index('ix_changes_tenant_xid_seq', 'changes', ['tenant_id', 'xid', 'seq'], unique=False)
    op.create_table('rate_limit_windows',
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('window_start', sa.DateTime(timezone=True), nullable=False),
    sa.Column('hits', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('key', 'window_start', name=op.f('pk_rate_limit_windows'))
    )
    op.create_table('tenants',
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('slug', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('profile_id', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tenants')),
    sa.UniqueConstraint('slug', name=op.f('uq_tenants_slug'))
    )
    op.create_table('crews',
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('tenant_id', sa.UUID(), nullable=False),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_crews_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_crews')),
    sa.UniqueConstraint('tenant_id', 'name', name=op.f('uq_crews_tenant_id_name'))
    )
    op.create_table('users',
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('display_name', sa.String(length=200), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('phone', sa.String(length=32), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('tenant_id', sa.UUID(), nullable=False),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("role in ('crew', 'engineer', 'dispatcher', 'admin')", name=op.f('ck_users_role')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_users_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_users')),
    sa.UniqueConstraint('tenant_id', 'username', name=op.f('uq_users_tenant_id_username'))
    )
    op.create_table('crew_members',
    sa.Column('tenant_id', sa.UUID(), nullable=False),
    sa.Column('crew_id', sa.UUID(), nullable=False),
    sa.Column('user_id', sa.UUID(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'crew_id'], ['crews.tenant_id', 'crews.id'], name=op.f('fk_crew_members_tenant_id_crew_id_crews'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id', 'user_id'], ['users.tenant_id', 'users.id'], name=op.f('fk_crew_members_tenant_id_user_id_users')),
    sa.PrimaryKeyConstraint('tenant_id', 'crew_id', 'user_id', name=op.f('pk_crew_members'))
    )
    op.create_index('ix_crew_members_user', 'crew_members', ['tenant_id', 'user_id'], unique=False)
    op.create_table('devices',
    sa.Column('user_id', sa.UUID(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('tenant_id', sa.UUID(), nullable=False),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("kind in ('tablet', 'api')", name=op.f('ck_devices_kind')),
    sa.ForeignKeyConstraint(['tenant_id', 'user_id'], ['users.tenant_id', 'users.id'], name=op.f('fk_devices_tenant_id_user_id_users')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_devices'))
    )
    op.create_index('ix_devices_token_hash', 'devices', ['token_hash'], unique=True)


def downgrade() -> None:
    op.drop_index('ix_devices_token_hash', table_name='devices')
    op.drop_table('devices')
    op.drop_index('ix_crew_members_user', table_name='crew_members')
    op.drop_table('crew_members')
    op.drop_table('users')
    op.drop_table('crews')
    op.drop_table('tenants')
    op.drop_table('rate_limit_windows')
    op.drop_index('ix_changes_tenant_xid_seq', table_name='changes')
    op.drop_table('changes')
