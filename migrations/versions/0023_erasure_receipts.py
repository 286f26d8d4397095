"""erasure receipts (the replay list of erasures)

Revision ID: 0023
Revises: 0022
Create Date: 2026-11-25 16:20:00.000000

"""
from alembic import op
import sqlalchemy as sa

import webapp.db  # noqa: F401 - custom column types


# revision identifiers, used by Alembic.
revision = '0023'
down_revision = "0022"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('erasure_receipts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('at', webapp.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=True),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('subject_hash', sa.String(length=64), nullable=False),
    sa.Column('outcome', sa.String(length=10), nullable=False),
    sa.Column('counts', sa.JSON(), nullable=False),
    sa.Column('grounds', sa.JSON(), nullable=False),
    sa.Column('notice_email_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("kind IN ('erasure', 'replay')", name=op.f('ck_erasure_receipts_kind_known')),
    sa.CheckConstraint("outcome IN ('complete', 'partial', 'refused', 'nothing')",
                       name=op.f('ck_erasure_receipts_outcome_known')),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_erasure_receipts_actor_id_users'),
                            ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['request_id'], ['data_requests.id'],
                            name=op.f('fk_erasure_receipts_request_id_data_requests'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_erasure_receipts'))
    )
    with op.batch_alter_table('erasure_receipts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_erasure_receipts_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_erasure_receipts_request_id'), ['request_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_erasure_receipts_subject_hash'), ['subject_hash'], unique=False)


def downgrade():
    with op.batch_alter_table('erasure_receipts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_erasure_receipts_subject_hash'))
        batch_op.drop_index(batch_op.f('ix_erasure_receipts_request_id'))
        batch_op.drop_index(batch_op.f('ix_erasure_receipts_actor_id'))
    op.drop_table('erasure_receipts')
