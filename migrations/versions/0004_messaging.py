"""messaging: e-mail outbox and SMS messages

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 12:32:24.557347

"""
from alembic import op
import sqlalchemy as sa

import webapp.db  # noqa: F401 - custom column types


# revision identifiers, used by Alembic.
revision = '0004'
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('outbox_emails',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('to_address', sa.String(length=254), nullable=False),
    sa.Column('subject', sa.String(length=500), nullable=False),
    sa.Column('text_body', sa.Text(), nullable=False),
    sa.Column('html_body', sa.Text(), nullable=True),
    sa.Column('headers', sa.Text(), nullable=False),
    sa.Column('category', sa.String(length=20), nullable=False),
    sa.Column('message_id', sa.String(length=255), nullable=False),
    sa.Column('transport', sa.String(length=10), nullable=True),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', webapp.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_attempt_at', webapp.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.String(length=500), nullable=True),
    sa.Column('sent_at', webapp.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('created_at', webapp.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("category IN ('transactional', 'marketing')", name=op.f('ck_outbox_emails_category_known')),
    sa.CheckConstraint("state IN ('pending', 'sending', 'sent', 'failed')", name=op.f('ck_outbox_emails_state_known')),
    sa.CheckConstraint("transport IS NULL OR transport IN ('smtp', 'outbox')", name=op.f('ck_outbox_emails_transport_known')),
    sa.CheckConstraint('attempts >= 0', name=op.f('ck_outbox_emails_attempts_not_negative')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_outbox_emails_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox_emails')),
    sa.UniqueConstraint('message_id', name=op.f('uq_outbox_emails_message_id'))
    )
    with op.batch_alter_table('outbox_emails', schema=None) as batch_op:
        batch_op.create_index('ix_outbox_emails_state_due', ['state', 'next_attempt_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_outbox_emails_user_id'), ['user_id'], unique=False)

    op.create_table('sms_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('to_number', sa.String(length=16), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('purpose', sa.String(length=40), nullable=False),
    sa.Column('route', sa.String(length=20), nullable=False),
    sa.Column('idempotency_key', sa.String(length=64), nullable=False),
    sa.Column('provider', sa.String(length=20), nullable=True),
    sa.Column('provider_message_id', sa.String(length=100), nullable=True),
    sa.Column('delivered_at', webapp.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('body_purged_at', webapp.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', webapp.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_attempt_at', webapp.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.String(length=500), nullable=True),
    sa.Column('sent_at', webapp.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('created_at', webapp.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("provider IS NULL OR provider IN ('domestic', 'international', 'outbox')", name=op.f('ck_sms_messages_provider_known')),
    sa.CheckConstraint("route IN ('domestic', 'international')", name=op.f('ck_sms_messages_route_known')),
    sa.CheckConstraint("state IN ('pending', 'sending', 'sent', 'delivered', 'failed')", name=op.f('ck_sms_messages_state_known')),
    sa.CheckConstraint('attempts >= 0', name=op.f('ck_sms_messages_attempts_not_negative')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_sms_messages_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sms_messages')),
    sa.UniqueConstraint('idempotency_key', name=op.f('uq_sms_messages_idempotency_key'))
    )
    with op.batch_alter_table('sms_messages', schema=None) as batch_op:
        batch_op.create_index('ix_sms_messages_created_at', ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_sms_messages_provider_message_id'), ['provider_message_id'], unique=False)
        batch_op.create_index('ix_sms_messages_state_due', ['state', 'next_attempt_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_sms_messages_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('sms_messages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sms_messages_user_id'))
        batch_op.drop_index('ix_sms_messages_state_due')
        batch_op.drop_index(batch_op.f('ix_sms_messages_provider_message_id'))
        batch_op.drop_index('ix_sms_messages_created_at')

    op.drop_table('sms_messages')
    with op.batch_alter_table('outbox_emails', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outbox_emails_user_id'))
        batch_op.drop_index('ix_outbox_emails_state_due')

    op.drop_table('outbox_emails')
