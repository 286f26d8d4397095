"""Trigram (pg_trgm) GIN indexes for the contacts' active search on names, e-mail, phone and company

On PostgreSQL the indexes are GIN with ``gin_trgm_ops``: they serve ``ILIKE 'term%'`` and
``LIKE '%digits%'`` at any table size. SQLite has no such index type; it gets plain indexes on the
same columns (the models declare one index for both). Two partial B-tree indexes of live contacts
(name; e-mail and first name, each with the name) let the search branches of ``webapp.crm.search`` run as index-only
range scans on both databases.

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-25 15:30:00

"""
import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

CONTACT_COLUMNS = ["last_name", "first_name", "email", "phone"]
LIVE_INDEXES = {
    "ix_contacts_search_live_name": ["tenant_id", "last_name", "first_name", "id"],
    "ix_contacts_search_live_email": ["tenant_id", "email", "last_name", "first_name", "id"],
    "ix_contacts_search_live_first": ["tenant_id", "first_name", "last_name", "id"],
}


def upgrade():
    postgres = op.get_bind().dialect.name == "postgresql"
    if postgres:
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.create_index("ix_contacts_search_trgm", CONTACT_COLUMNS, unique=False, postgresql_using="gin",
                              postgresql_ops={c: "gin_trgm_ops" for c in CONTACT_COLUMNS})
        # live contacts only, every column a search branch filters and sorts on: index-only scans
        for name, columns in LIVE_INDEXES.items():
            batch_op.create_index(name, columns, unique=False, postgresql_where=sa.text("deleted_at IS NULL"),
                                  sqlite_where=sa.text("deleted_at IS NULL"))
    with op.batch_alter_table("companies", schema=None) as batch_op:
        batch_op.create_index("ix_companies_name_trgm", ["name"], unique=False, postgresql_using="gin",
                              postgresql_ops={"name": "gin_trgm_ops"})


def downgrade():
    with op.batch_alter_table("companies", schema=None) as batch_op:
        batch_op.drop_index("ix_companies_name_trgm")
    with op.batch_alter_table("contacts", schema=None) as batch_op:
        for name in reversed(LIVE_INDEXES):
            batch_op.drop_index(name)
        batch_op.drop_index("ix_contacts_search_trgm")
