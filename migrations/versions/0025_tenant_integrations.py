"""tenant integrations: switched on by a tenant admin, with third-country consent evidence

Revision ID: 0025
Revises: 0024
Create Date: 2026-11-25 16:45:00.000000

"""
import sqlalchemy as sa
from alembic import op

import webapp.db  # noqa: F401 - custom column types
from webapp.tenancy import drop_rls_statements, rls_statements

# revision identifiers, used by Alembic.
revision = '0025'
down_revision = "0024"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('tenant_integrations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=40), nullable=False),
    sa.Column('enabled_at', webapp.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('enabled_by_id', sa.Integer(), nullable=True),
    sa.Column('third_country', sa.Boolean(), nullable=False),
    sa.Column('consent_text_hash', sa.String(length=64), nullable=True),
    sa.Column('feed_token_hash', sa.String(length=64), nullable=False),
    sa.Column('disabled_at', webapp.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('disabled_by_id', sa.Integer(), nullable=True),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['disabled_by_id'], ['users.id'],
                            name=op.f('fk_tenant_integrations_disabled_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['enabled_by_id'], ['users.id'],
                            name=op.f('fk_tenant_integrations_enabled_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'],
                            name=op.f('fk_tenant_integrations_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tenant_integrations')),
    sa.UniqueConstraint('feed_token_hash', name=op.f('uq_tenant_integrations_feed_token_hash'))
    )
    with op.batch_alter_table('tenant_integrations', schema=None) as batch_op:
        batch_op.create_index('uq_tenant_integrations_active', ['tenant_id', 'key'], unique=True,
                              postgresql_where=sa.text('disabled_at IS NULL'),
                              sqlite_where=sa.text('disabled_at IS NULL'))
    if op.get_bind().dialect.name == "postgresql":  # the second tenant wall
        for statement in rls_statements("tenant_integrations"):
            op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for statement in drop_rls_statements("tenant_integrations"):
            op.execute(statement)
    op.drop_table('tenant_integrations')
