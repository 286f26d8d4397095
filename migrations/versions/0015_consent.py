"""consent: cookie-consent decisions (evidence) and the operator's marketing-tag settings

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-25 15:30:00.000000

"""
from alembic import op
import sqlalchemy as sa

import webapp.db  # noqa: F401 - custom column types


# revision identifiers, used by Alembic.
revision = '0015'
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('consent_decisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('consent_id', sa.String(length=32), nullable=False),
    sa.Column('decided_at', webapp.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', webapp.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('method', sa.String(length=10), nullable=False),
    sa.Column('action', sa.String(length=12), nullable=False),
    sa.Column('gpc', sa.Boolean(), nullable=False),
    sa.Column('categories', sa.JSON(), nullable=False),
    sa.Column('services', sa.JSON(), nullable=False),
    sa.Column('notice_version_id', sa.Integer(), nullable=True),
    sa.Column('notice_number', sa.Integer(), nullable=True),
    sa.Column('notice_hash', sa.String(length=64), nullable=True),
    sa.CheckConstraint("action IN ('accept_all', 'reject_all', 'choose', 'withdraw', 'gpc_refusal')",
                       name=op.f('ck_consent_decisions_action_known')),
    sa.CheckConstraint("method IN ('banner', 'settings', 'gpc')", name=op.f('ck_consent_decisions_method_known')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consent_decisions'))
    )
    with op.batch_alter_table('consent_decisions', schema=None) as batch_op:
        batch_op.create_index('ix_consent_decisions_consent_id_decided', ['consent_id', 'decided_at'], unique=False)
        batch_op.create_index('ix_consent_decisions_decided_at', ['decided_at'], unique=False)

    op.create_table('marketing_tag_settings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('google_ads_enabled', sa.Boolean(), nullable=False),
    sa.Column('google_ads_id', sa.String(length=32), nullable=False),
    sa.Column('google_ads_conversion_label', sa.String(length=64), nullable=False),
    sa.Column('facebook_pixel_enabled', sa.Boolean(), nullable=False),
    sa.Column('facebook_pixel_id', sa.String(length=32), nullable=False),
    sa.Column('updated_at', webapp.db.UTCDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_marketing_tag_settings'))
    )


def downgrade():
    op.drop_table('marketing_tag_settings')
    with op.batch_alter_table('consent_decisions', schema=None) as batch_op:
        batch_op.drop_index('ix_consent_decisions_decided_at')
        batch_op.drop_index('ix_consent_decisions_consent_id_decided')

    op.drop_table('consent_decisions')
