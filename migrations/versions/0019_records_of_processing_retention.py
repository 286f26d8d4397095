"""records of processing (activities, versions, seeded from the policy); retention: legal holds, run reports

Revision ID: 0019
Revises: 0018
Create Date: 2026-11-25 15:20:00.000000

"""
from alembic import op
import sqlalchemy as sa

import webapp.db  # noqa: F401 - custom column types


# revision identifiers, used by Alembic.
revision = '0019'
down_revision = "0018"
branch_labels = None
depends_on = None

CLOCKS = "'last_interaction', 'last_contact', 'trial_closed_at', 'last_invoice', 'created_at', 'trashed_at', 'withdrawal'"
BASES = "'consent', 'contract', 'legal_obligation', 'vital_interest', 'public_task', 'legitimate_interest'"


def upgrade():
    activities = op.create_table('processing_activities',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=60), nullable=False),
    sa.Column('title_en', sa.String(length=200), nullable=False),
    sa.Column('title_de', sa.String(length=200), nullable=False),
    sa.Column('title_hu', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('categories', sa.JSON(), nullable=False),
    sa.Column('legal_basis', sa.String(length=30), nullable=False),
    sa.Column('recipients', sa.JSON(), nullable=False),
    sa.Column('transfers', sa.JSON(), nullable=False),
    sa.Column('clock', sa.String(length=30), nullable=False),
    sa.Column('period', sa.Integer(), nullable=False),
    sa.Column('unit', sa.String(length=10), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', webapp.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint(f"legal_basis IN ({BASES})", name=op.f('ck_processing_activities_legal_basis_known')),
    sa.CheckConstraint(f"clock IN ({CLOCKS})", name=op.f('ck_processing_activities_clock_known')),
    sa.CheckConstraint("unit IN ('days', 'months', 'years')", name=op.f('ck_processing_activities_unit_known')),
    sa.CheckConstraint('period > 0', name=op.f('ck_processing_activities_period_positive')),
    sa.CheckConstraint('version > 0', name=op.f('ck_processing_activities_version_positive')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_processing_activities')),
    sa.UniqueConstraint('key', name=op.f('uq_processing_activities_key'))
    )
    versions = op.create_table('processing_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('activity_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('changed_by_id', sa.Integer(), nullable=True),
    sa.Column('changed_at', webapp.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('note', sa.String(length=300), nullable=False),
    sa.Column('before', sa.JSON(), nullable=True),
    sa.Column('after', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['activity_id'], ['processing_activities.id'], name=op.f('fk_processing_versions_activity_id_processing_activities'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['changed_by_id'], ['users.id'], name=op.f('fk_processing_versions_changed_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_processing_versions')),
    sa.UniqueConstraint('activity_id', 'version', name=op.f('uq_processing_versions_activity_id_version'))
    )
    with op.batch_alter_table('processing_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_processing_versions_changed_by_id'), ['changed_by_id'], unique=False)

    op.create_table('legal_holds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('scope', sa.String(length=10), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('table_name', sa.String(length=80), nullable=True),
    sa.Column('record_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.String(length=300), nullable=False),
    sa.Column('until', webapp.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('released_at', webapp.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('released_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', webapp.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("scope IN ('person', 'record')", name=op.f('ck_legal_holds_scope_known')),
    sa.CheckConstraint("scope <> 'person' OR email IS NOT NULL OR user_id IS NOT NULL", name=op.f('ck_legal_holds_person_named')),
    sa.CheckConstraint("scope <> 'record' OR (table_name IS NOT NULL AND record_id IS NOT NULL)", name=op.f('ck_legal_holds_record_named')),
    sa.CheckConstraint('email IS NULL OR email = lower(email)', name=op.f('ck_legal_holds_email_lowercase')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_legal_holds_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['released_by_id'], ['users.id'], name=op.f('fk_legal_holds_released_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_legal_holds'))
    )
    with op.batch_alter_table('legal_holds', schema=None) as batch_op:
        batch_op.create_index('ix_legal_holds_open', ['released_at', 'until'], unique=False)
        batch_op.create_index(batch_op.f('ix_legal_holds_created_by_id'), ['created_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_legal_holds_released_by_id'), ['released_by_id'], unique=False)

    op.create_table('retention_runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('as_of', webapp.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('dry_run', sa.Boolean(), nullable=False),
    sa.Column('trigger', sa.String(length=10), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('started_at', webapp.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('finished_at', webapp.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('duration_ms', sa.Integer(), nullable=True),
    sa.CheckConstraint("trigger IN ('cron', 'cli', 'staff')", name=op.f('ck_retention_runs_trigger_known')),
    sa.CheckConstraint("status IN ('running', 'finished', 'failed')", name=op.f('ck_retention_runs_status_known')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_retention_runs'))
    )
    with op.batch_alter_table('retention_runs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_retention_runs_started_at'), ['started_at'], unique=False)

    op.create_table('retention_run_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('target', sa.String(length=80), nullable=False),
    sa.Column('category', sa.String(length=60), nullable=False),
    sa.Column('activity_key', sa.String(length=60), nullable=True),
    sa.Column('action', sa.String(length=10), nullable=False),
    sa.Column('rule', sa.String(length=80), nullable=True),
    sa.Column('cutoff', webapp.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('candidates', sa.Integer(), nullable=False),
    sa.Column('affected', sa.Integer(), nullable=False),
    sa.Column('held', sa.Integer(), nullable=False),
    sa.Column('duration_ms', sa.Integer(), nullable=False),
    sa.Column('error', sa.String(length=60), nullable=True),
    sa.ForeignKeyConstraint(['run_id'], ['retention_runs.id'], name=op.f('fk_retention_run_items_run_id_retention_runs'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_retention_run_items'))
    )
    with op.batch_alter_table('retention_run_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_retention_run_items_run_id'), ['run_id'], unique=False)

    _seed(activities, versions)


def _seed(activities, versions):
    """The policy's activities as version 1 (webapp.processing.catalogue is plain data)."""
    from webapp import clock
    from webapp.processing.catalogue import seed_rows

    now = clock.now()
    rows = seed_rows()
    op.bulk_insert(activities, [{"id": number, "created_at": now, **row} for number, row in enumerate(rows, 1)])
    editable = ("title_en", "title_de", "title_hu", "description", "categories", "legal_basis", "recipients",
                "transfers", "clock", "period", "unit", "active")
    op.bulk_insert(versions, [{"id": number, "activity_id": number, "version": 1, "changed_by_id": None,
                               "changed_at": now, "note": "seed", "before": None,
                               "after": {name: row[name] for name in editable}}
                              for number, row in enumerate(rows, 1)])
    if op.get_bind().dialect.name == "postgresql":
        for table in ("processing_activities", "processing_versions"):
            op.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")


def downgrade():
    op.drop_table('retention_run_items')
    op.drop_table('retention_runs')
    op.drop_table('legal_holds')
    op.drop_table('processing_versions')
    op.drop_table('processing_activities')
