"""Partial index on live contacts (tenant, newest first) for the overview and the newest-first list

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-25 13:20:00

"""
import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.create_index("ix_contacts_tenant_live_created", ["tenant_id", "created_at", "id"], unique=False,
                              postgresql_where=sa.text("deleted_at IS NULL"),
                              sqlite_where=sa.text("deleted_at IS NULL"))


def downgrade():
    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.drop_index("ix_contacts_tenant_live_created")
