"""site, notices, subprocessors: public website texts, privacy-notice versions, sub-processor registry

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-25 15:30:00.000000

"""
import sqlalchemy as sa
from alembic import op

import webapp.db  # noqa: F401 - custom column types

# revision identifiers, used by Alembic.
revision = '0016'
down_revision = "0015"
branch_labels = None
depends_on = None


def _user_fk(table, column):
    return sa.ForeignKeyConstraint([column], ['users.id'], name=op.f(f'fk_{table}_{column}_users'),
                                   ondelete='SET NULL')


def upgrade():
    op.create_table('notice_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('body_de', sa.Text(), nullable=False),
    sa.Column('body_en', sa.Text(), nullable=False),
    sa.Column('body_hu', sa.Text(), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('changed_categories', sa.JSON(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', webapp.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('published_at', webapp.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('published_by_id', sa.Integer(), nullable=True),
    sa.Column('text_hash', sa.String(length=64), nullable=True),
    sa.Column('created_at', webapp.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("state IN ('draft', 'published')", name=op.f('ck_notice_versions_state_known')),
    sa.CheckConstraint("state = 'draft' OR (published_at IS NOT NULL AND text_hash IS NOT NULL)",
                       name=op.f('ck_notice_versions_published_complete')),
    _user_fk('notice_versions', 'created_by_id'),
    _user_fk('notice_versions', 'published_by_id'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notice_versions')),
    sa.UniqueConstraint('number', name=op.f('uq_notice_versions_number'))
    )
    op.create_table('site_pages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=20), nullable=False),
    sa.Column('title_de', sa.String(length=200), nullable=False),
    sa.Column('title_en', sa.String(length=200), nullable=False),
    sa.Column('title_hu', sa.String(length=200), nullable=False),
    sa.Column('body_de', sa.Text(), nullable=False),
    sa.Column('body_en', sa.Text(), nullable=False),
    sa.Column('body_hu', sa.Text(), nullable=False),
    sa.Column('updated_at', webapp.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', webapp.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("key IN ('home', 'product', 'pricing', 'imprint')", name=op.f('ck_site_pages_key_known')),
    _user_fk('site_pages', 'updated_by_id'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_site_pages')),
    sa.UniqueConstraint('key', name=op.f('uq_site_pages_key'))
    )
    op.create_table('authority_details',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('address', sa.String(length=300), nullable=False),
    sa.Column('phone', sa.String(length=50), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('web', sa.String(length=300), nullable=False),
    sa.Column('complaint_de', sa.Text(), nullable=False),
    sa.Column('complaint_en', sa.Text(), nullable=False),
    sa.Column('complaint_hu', sa.Text(), nullable=False),
    sa.Column('updated_at', webapp.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', webapp.db.UTCDateTime(timezone=True), nullable=False),
    _user_fk('authority_details', 'updated_by_id'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_authority_details'))
    )
    op.create_table('subprocessors',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('address', sa.String(length=300), nullable=False),
    sa.Column('phone', sa.String(length=50), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('web', sa.String(length=300), nullable=False),
    sa.Column('data_stored_de', sa.Text(), nullable=False),
    sa.Column('data_stored_en', sa.Text(), nullable=False),
    sa.Column('data_stored_hu', sa.Text(), nullable=False),
    sa.Column('activities_de', sa.Text(), nullable=False),
    sa.Column('activities_en', sa.Text(), nullable=False),
    sa.Column('activities_hu', sa.Text(), nullable=False),
    sa.Column('third_country', sa.Boolean(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('updated_at', webapp.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', webapp.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_subprocessors')),
    sa.UniqueConstraint('name', name=op.f('uq_subprocessors_name'))
    )
    op.create_table('subprocessor_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('subprocessor_id', sa.Integer(), nullable=True),
    sa.Column('subprocessor_name', sa.String(length=200), nullable=False),
    sa.Column('action', sa.String(length=10), nullable=False),
    sa.Column('before', sa.JSON(none_as_null=True), nullable=True),
    sa.Column('after', sa.JSON(none_as_null=True), nullable=True),
    sa.Column('changed_by_id', sa.Integer(), nullable=True),
    sa.Column('changed_at', webapp.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("action IN ('create', 'update', 'delete')", name=op.f('ck_subprocessor_changes_action_known')),
    _user_fk('subprocessor_changes', 'changed_by_id'),
    sa.ForeignKeyConstraint(['subprocessor_id'], ['subprocessors.id'],
                            name=op.f('fk_subprocessor_changes_subprocessor_id_subprocessors'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_subprocessor_changes'))
    )
    with op.batch_alter_table('subprocessor_changes', schema=None) as batch_op:
        batch_op.create_index('ix_subprocessor_changes_changed_at', ['changed_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_subprocessor_changes_subprocessor_id'), ['subprocessor_id'],
                              unique=False)
    _seed()


def _seed():
    """Reference content (facts from the policy, texts written for the product); edited by staff later."""
    from webapp import clock
    from webapp.site.seed import authority_row, page_rows, subprocessor_rows

    now = clock.now()

    def insert(name, rows):
        columns = [sa.column(key) for key in rows[0]] + [sa.column('created_at', webapp.db.UTCDateTime())]
        op.bulk_insert(sa.table(name, *columns), [dict(row, created_at=now) for row in rows])

    insert('site_pages', page_rows())
    insert('authority_details', [authority_row()])
    insert('subprocessors', subprocessor_rows())


def downgrade():
    with op.batch_alter_table('subprocessor_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_subprocessor_changes_subprocessor_id'))
        batch_op.drop_index('ix_subprocessor_changes_changed_at')
    op.drop_table('subprocessor_changes')
    op.drop_table('subprocessors')
    op.drop_table('authority_details')
    op.drop_table('site_pages')
    op.drop_table('notice_versions')
