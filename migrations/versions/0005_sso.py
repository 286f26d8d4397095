"""sso: single sign-on identities (provider, subject) linked to accounts

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25 13:05:00.000000

"""
from alembic import op
import sqlalchemy as sa

import webapp.db  # noqa: F401 - custom column types


# revision identifiers, used by Alembic.
revision = '0005'
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('sso_identities',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('provider', sa.String(length=40), nullable=False),
    sa.Column('subject', sa.String(length=255), nullable=False),
    sa.Column('last_login_at', webapp.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', webapp.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('length(subject) > 0', name=op.f('ck_sso_identities_subject_not_blank')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_sso_identities_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sso_identities')),
    sa.UniqueConstraint('provider', 'subject', name='uq_sso_identities_provider_subject')
    )
    with op.batch_alter_table('sso_identities', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sso_identities_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('sso_identities', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sso_identities_user_id'))

    op.drop_table('sso_identities')
