"""analytics: raw page views (90 days) and daily roll-ups

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-25 16:00:00.000000

"""
from alembic import op
import sqlalchemy as sa

import webapp.db  # noqa: F401 - custom column types


# revision identifiers, used by Alembic.
revision = '0017'
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('analytics_page_views',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('viewed_at', webapp.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('path', sa.String(length=300), nullable=False),
    sa.Column('referrer_host', sa.String(length=253), nullable=True),
    sa.Column('utm_source', sa.String(length=100), nullable=True),
    sa.Column('utm_medium', sa.String(length=100), nullable=True),
    sa.Column('utm_campaign', sa.String(length=100), nullable=True),
    sa.Column('device_type', sa.String(length=10), nullable=False),
    sa.Column('os_family', sa.String(length=50), nullable=False),
    sa.Column('browser_family', sa.String(length=50), nullable=False),
    sa.Column('visitor_id', sa.String(length=32), nullable=False),
    sa.Column('consent_id', sa.String(length=32), nullable=True),
    sa.Column('is_new_visitor', sa.Boolean(), nullable=False),
    sa.CheckConstraint("device_type IN ('desktop', 'mobile', 'tablet', 'other')",
                       name=op.f('ck_analytics_page_views_device_known')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_analytics_page_views'))
    )
    op.create_index('ix_analytics_page_views_viewed_at', 'analytics_page_views', ['viewed_at'], unique=False)
    op.create_index('ix_analytics_page_views_consent_id', 'analytics_page_views', ['consent_id'], unique=False)
    op.create_table('analytics_daily',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('dimension', sa.String(length=10), nullable=False),
    sa.Column('value', sa.String(length=300), nullable=False),
    sa.Column('views', sa.Integer(), nullable=False),
    sa.Column('visitors', sa.Integer(), nullable=False),
    sa.Column('new_visitors', sa.Integer(), nullable=False),
    sa.Column('computed_at', webapp.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("dimension IN ('total', 'path', 'source', 'medium', 'campaign', 'device', 'os', 'browser')",
                       name=op.f('ck_analytics_daily_dimension_known')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_analytics_daily')),
    sa.UniqueConstraint('dimension', 'day', 'value', name=op.f('uq_analytics_daily_dimension_day_value'))
    )


def downgrade():
    op.drop_table('analytics_daily')
    op.drop_index('ix_analytics_page_views_consent_id', table_name='analytics_page_views')
    op.drop_index('ix_analytics_page_views_viewed_at', table_name='analytics_page_views')
    op.drop_table('analytics_page_views')
