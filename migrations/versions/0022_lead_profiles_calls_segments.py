"""lead marketing profiles, call log, segments and the segment a campaign targets

Revision ID: 0022
Revises: 0021
Create Date: 2026-11-25 16:40:00.000000

"""
from alembic import op
import sqlalchemy as sa

import webapp.db  # noqa: F401 - custom column types


# revision identifiers, used by Alembic.
revision = '0022'
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('lead_profiles',
    sa.Column('lead_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('problem', sa.Text(), nullable=True),
    sa.Column('decision_criteria', sa.Text(), nullable=True),
    sa.Column('interest_area', sa.String(length=20), nullable=True),
    sa.Column('industry', sa.String(length=100), nullable=True),
    sa.Column('company_type', sa.String(length=20), nullable=True),
    sa.Column('decision_role', sa.String(length=20), nullable=True),
    sa.Column('position', sa.String(length=100), nullable=True),
    sa.Column('updated_at', webapp.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("interest_area IS NULL OR interest_area IN ('contacts', 'sales_pipeline', 'newsletter', 'support', 'reporting', 'other')", name=op.f('ck_lead_profiles_interest_area_known')),
    sa.CheckConstraint("company_type IS NULL OR company_type IN ('sole_trader', 'small', 'medium', 'large', 'public', 'nonprofit')", name=op.f('ck_lead_profiles_company_type_known')),
    sa.CheckConstraint("decision_role IS NULL OR decision_role IN ('decision_maker', 'influencer', 'user', 'other')", name=op.f('ck_lead_profiles_decision_role_known')),
    sa.ForeignKeyConstraint(['lead_id'], ['leads.id'], name=op.f('fk_lead_profiles_lead_id_leads'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_lead_profiles_updated_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('lead_id', name=op.f('pk_lead_profiles'))
    )
    with op.batch_alter_table('lead_profiles', schema=None) as batch_op:
        batch_op.create_index('ix_lead_profiles_interest_company', ['interest_area', 'company_type'], unique=False)

    op.create_table('call_logs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('lead_id', sa.Integer(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=True),
    sa.Column('direction', sa.String(length=10), nullable=False),
    sa.Column('started_at', webapp.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('duration_seconds', sa.Integer(), nullable=False),
    sa.Column('announced', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('recorded', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('review', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('created_at', webapp.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("direction IN ('inbound', 'outbound')", name=op.f('ck_call_logs_direction_known')),
    sa.CheckConstraint('duration_seconds >= 0 AND duration_seconds <= 86400', name=op.f('ck_call_logs_duration_in_range')),
    sa.CheckConstraint("NOT recorded OR (direction = 'inbound' AND announced)", name=op.f('ck_call_logs_recording_announced')),
    sa.ForeignKeyConstraint(['lead_id'], ['leads.id'], name=op.f('fk_call_logs_lead_id_leads'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['staff_id'], ['users.id'], name=op.f('fk_call_logs_staff_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_call_logs'))
    )
    with op.batch_alter_table('call_logs', schema=None) as batch_op:
        batch_op.create_index('ix_call_logs_lead_started', ['lead_id', 'started_at'], unique=False)
        batch_op.create_index('ix_call_logs_started', ['started_at'], unique=False)

    op.create_table('segments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('filters', sa.JSON(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', webapp.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('length(trim(name)) > 0', name=op.f('ck_segments_name_not_blank')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_segments_created_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_segments')),
    sa.UniqueConstraint('name', name=op.f('uq_segments_name'))
    )

    op.create_table('campaign_segments',
    sa.Column('campaign_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('segment_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['newsletter_campaigns.id'], name=op.f('fk_campaign_segments_campaign_id_newsletter_campaigns'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['segment_id'], ['segments.id'], name=op.f('fk_campaign_segments_segment_id_segments'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('campaign_id', name=op.f('pk_campaign_segments'))
    )
    with op.batch_alter_table('campaign_segments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_campaign_segments_segment_id'), ['segment_id'], unique=False)


def downgrade():
    op.drop_table('campaign_segments')
    op.drop_table('segments')
    op.drop_table('call_logs')
    op.drop_table('lead_profiles')
