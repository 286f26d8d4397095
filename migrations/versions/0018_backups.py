"""backups: backup runs and restore-check reports (operator-level)

Revision ID: 0018
Revises: 0017
Create Date: 2026-11-25 15:40:00.000000

"""
from alembic import op
import sqlalchemy as sa

import webapp.db  # noqa: F401 - custom column types


# revision identifiers, used by Alembic.
revision = '0018'
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('backup_runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('file_name', sa.String(length=200), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('dialect', sa.String(length=20), nullable=False),
    sa.Column('finished_at', webapp.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('size_bytes', sa.Integer(), nullable=True),
    sa.Column('sha256', sa.String(length=64), nullable=True),
    sa.Column('heads', sa.String(length=200), nullable=True),
    sa.Column('table_count', sa.Integer(), nullable=True),
    sa.Column('row_count', sa.Integer(), nullable=True),
    sa.Column('error', sa.String(length=500), nullable=True),
    sa.Column('expired_at', webapp.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', webapp.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("state IN ('running', 'done', 'failed')", name=op.f('ck_backup_runs_state_known')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_backup_runs')),
    sa.UniqueConstraint('file_name', name=op.f('uq_backup_runs_file_name'))
    )
    with op.batch_alter_table('backup_runs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_backup_runs_expired_at'), ['expired_at'], unique=False)

    op.create_table('restore_checks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('backup_run_id', sa.Integer(), nullable=True),
    sa.Column('outcome', sa.String(length=10), nullable=False),
    sa.Column('summary', sa.String(length=500), nullable=False),
    sa.Column('report', sa.Text(), nullable=False),
    sa.Column('report_file', sa.String(length=200), nullable=True),
    sa.Column('created_at', webapp.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("outcome IN ('passed', 'failed', 'skipped')", name=op.f('ck_restore_checks_outcome_known')),
    sa.ForeignKeyConstraint(['backup_run_id'], ['backup_runs.id'], name=op.f('fk_restore_checks_backup_run_id_backup_runs'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_restore_checks'))
    )
    with op.batch_alter_table('restore_checks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_restore_checks_backup_run_id'), ['backup_run_id'], unique=False)


def downgrade():
    with op.batch_alter_table('restore_checks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_restore_checks_backup_run_id'))
    op.drop_table('restore_checks')
    with op.batch_alter_table('backup_runs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_backup_runs_expired_at'))
    op.drop_table('backup_runs')
