"""leads: restriction (Art. 18) and objection to direct marketing (Art. 21(2)); newsletter click consent

Revision ID: 0026
Revises: 0025
Create Date: 2026-11-25 16:50:00.000000

"""
import sqlalchemy as sa
from alembic import op

import webapp.db  # noqa: F401 - custom column types

# revision identifiers, used by Alembic.
revision = '0026'
down_revision = "0025"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('leads', schema=None) as batch_op:
        batch_op.add_column(sa.Column('restricted_at', webapp.db.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('marketing_objection_at', webapp.db.UTCDateTime(timezone=True), nullable=True))
    with op.batch_alter_table('newsletter_subscriptions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('click_tracking', sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade():
    with op.batch_alter_table('newsletter_subscriptions', schema=None) as batch_op:
        batch_op.drop_column('click_tracking')
    with op.batch_alter_table('leads', schema=None) as batch_op:
        batch_op.drop_column('marketing_objection_at')
        batch_op.drop_column('restricted_at')
