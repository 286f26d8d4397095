"""security log: hash-chained events and the head of each chain

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa

import webapp.db


# revision identifiers, used by Alembic.
revision = '0003'
down_revision = "0002"
branch_labels = None
depends_on = None

GENESIS_HASH = '0' * 64


def upgrade():
    op.create_table('security_log',
    sa.Column('chain', sa.String(length=10), nullable=False),
    sa.Column('seq', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('entry_id', sa.String(length=32), nullable=False),
    sa.Column('occurred_at', webapp.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('tenant_id', sa.Integer(), nullable=True),
    sa.Column('endpoint', sa.String(length=120), nullable=True),
    sa.Column('method', sa.String(length=10), nullable=True),
    sa.Column('status', sa.SmallInteger(), nullable=True),
    sa.Column('browser_id', sa.String(length=32), nullable=True),
    sa.Column('detail', sa.Text(), nullable=True),
    sa.Column('prev_hash', sa.String(length=64), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.CheckConstraint("chain IN ('detailed', 'security')", name=op.f('ck_security_log_chain_known')),
    sa.PrimaryKeyConstraint('chain', 'seq', name=op.f('pk_security_log')),
    sa.UniqueConstraint('chain', 'prev_hash', name=op.f('uq_security_log_chain_prev_hash')),
    sa.UniqueConstraint('entry_id', name=op.f('uq_security_log_entry_id'))
    )
    with op.batch_alter_table('security_log', schema=None) as batch_op:
        batch_op.create_index('ix_security_log_chain_occurred_at', ['chain', 'occurred_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_security_log_user_id'), ['user_id'], unique=False)

    heads = op.create_table('security_log_heads',
    sa.Column('chain', sa.String(length=10), nullable=False),
    sa.Column('seq', sa.BigInteger(), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.CheckConstraint("chain IN ('detailed', 'security')", name=op.f('ck_security_log_heads_chain_known')),
    sa.PrimaryKeyConstraint('chain', name=op.f('pk_security_log_heads'))
    )
    op.bulk_insert(heads, [{'chain': 'detailed', 'seq': 0, 'hash': GENESIS_HASH},
                           {'chain': 'security', 'seq': 0, 'hash': GENESIS_HASH}])


def downgrade():
    op.drop_table('security_log_heads')
    with op.batch_alter_table('security_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_security_log_user_id'))
        batch_op.drop_index('ix_security_log_chain_occurred_at')

    op.drop_table('security_log')
