"""PostgreSQL row-level security on the tenant tables (a second wall behind webapp.tenancy)

Revision ID: 0010
Revises: 0005
Create Date: 2026-11-25 13:15:00

"""
from alembic import op

from webapp.tenancy import drop_rls_statements, rls_statements

revision = "0010"
down_revision = "0005"
branch_labels = None
depends_on = None

TABLES = ("companies", "contacts")


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in TABLES:
        for statement in rls_statements(table):
            op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in TABLES:
        for statement in drop_rls_statements(table):
            op.execute(statement)
