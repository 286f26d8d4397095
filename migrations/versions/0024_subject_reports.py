"""subject reports: access reports and portability files built by jobs

Revision ID: 0024
Revises: 0023
Create Date: 2026-11-25 16:20:00.000000

"""
from alembic import op
import sqlalchemy as sa

import webapp.db  # noqa: F401 - custom column types


# revision identifiers, used by Alembic.
revision = '0024'
down_revision = "0023"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('subject_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('format', sa.String(length=5), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('task_id', sa.String(length=100), nullable=True),
    sa.Column('file_path', sa.String(length=200), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=True),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('expires_at', webapp.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('downloaded_at', webapp.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', webapp.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('access', 'portability')", name=op.f('ck_subject_reports_kind_known')),
    sa.CheckConstraint("(kind = 'access' AND format IN ('html', 'json', 'xml')) OR (kind = 'portability' AND format IN ('csv', 'xlsx', 'xml'))", name=op.f('ck_subject_reports_format_fits_kind')),
    sa.ForeignKeyConstraint(['request_id'], ['data_requests.id'], name=op.f('fk_subject_reports_request_id_data_requests'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_subject_reports')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_subject_reports_token_hash')),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('subject_reports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_subject_reports_email'), ['email'], unique=False)
        batch_op.create_index(batch_op.f('ix_subject_reports_expires_at'), ['expires_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_subject_reports_request_id'), ['request_id'], unique=False)


def downgrade():
    with op.batch_alter_table('subject_reports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_subject_reports_request_id'))
        batch_op.drop_index(batch_op.f('ix_subject_reports_expires_at'))
        batch_op.drop_index(batch_op.f('ix_subject_reports_email'))

    op.drop_table('subject_reports')
