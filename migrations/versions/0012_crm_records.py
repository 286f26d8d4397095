"""CRM records: company details, notes and tasks, per-tenant CRM settings, unique e-mails per tenant

Revision ID: 0012
Revises: 0008
Create Date: 2026-11-25 15:20:00

``contacts.email_key`` is kept by a trigger: lower(email) in tenants whose ``crm_settings``
have ``unique_email``, NULL elsewhere, whatever writes the row (ORM, import, raw SQL); the unique
index (tenant_id, email_key) then refuses a second contact with the same address. A later
migration that rebuilds ``contacts`` in SQLite batch mode drops the SQLite triggers: recreate them
there (``SQLITE_TRIGGERS``).
"""
import sqlalchemy as sa
from alembic import op

import webapp.db
from webapp.tenancy import drop_rls_statements, rls_statements

revision = "0012"
down_revision = "0008"
branch_labels = None
depends_on = None

NEW_TABLES = ("crm_settings", "notes", "activity_tasks")
KEY = ("CASE WHEN EXISTS (SELECT 1 FROM crm_settings s WHERE s.tenant_id = NEW.tenant_id AND s.unique_email) "
       "THEN lower(NEW.email) END")
SQLITE_TRIGGERS = (
    f"""CREATE TRIGGER contacts_email_key_insert AFTER INSERT ON contacts
        BEGIN UPDATE contacts SET email_key = {KEY} WHERE id = NEW.id; END""",
    f"""CREATE TRIGGER contacts_email_key_update AFTER UPDATE OF email, email_key, tenant_id ON contacts
        BEGIN UPDATE contacts SET email_key = {KEY} WHERE id = NEW.id; END""",
)
POSTGRES_TRIGGERS = (
    # SECURITY DEFINER: a role that may write contacts needs no grant on crm_settings for the key
    # (the function reads only the written row's tenant; search_path is pinned)
    f"""CREATE FUNCTION contacts_email_key() RETURNS trigger LANGUAGE plpgsql
        SECURITY DEFINER SET search_path FROM CURRENT AS $$
        BEGIN NEW.email_key := {KEY}; RETURN NEW; END $$""",
    """CREATE TRIGGER contacts_email_key BEFORE INSERT OR UPDATE OF email, email_key, tenant_id ON contacts
       FOR EACH ROW EXECUTE FUNCTION contacts_email_key()""",
)


def _attached_columns():
    return [
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=True),
        sa.Column("company_id", sa.Integer(), nullable=True),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("created_at", webapp.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", webapp.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("deleted_at", webapp.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
    ]


def _attached_constraints(table):
    return [
        sa.CheckConstraint("(contact_id IS NULL) <> (company_id IS NULL)", name=op.f(f"ck_{table}_one_parent")),
        sa.ForeignKeyConstraint(["author_id"], ["users.id"], name=op.f(f"fk_{table}_author_id_users"),
                                ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["company_id"], ["companies.id"], name=op.f(f"fk_{table}_company_id_companies"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["contact_id"], ["contacts.id"], name=op.f(f"fk_{table}_contact_id_contacts"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], name=op.f(f"fk_{table}_tenant_id_tenants"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
    ]


def _attached_indexes(table):
    op.create_index(f"ix_{table}_tenant_contact", table, ["tenant_id", "contact_id", "created_at", "id"])
    op.create_index(f"ix_{table}_tenant_company", table, ["tenant_id", "company_id", "created_at", "id"])


def upgrade():
    postgres = op.get_bind().dialect.name == "postgresql"
    if postgres:
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    with op.batch_alter_table("companies", schema=None) as batch_op:
        batch_op.create_index("ix_companies_tenant_created", ["tenant_id", "created_at", "id"], unique=False)
        batch_op.create_index("ix_companies_city_trgm", ["city"], unique=False, postgresql_using="gin",
                              postgresql_ops={"city": "gin_trgm_ops"})
        batch_op.add_column(sa.Column("website", sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column("phone", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("street", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("postcode", sa.String(length=16), nullable=True))
    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("email_key", sa.String(length=254), nullable=True))
        batch_op.create_index("uq_contacts_tenant_email_key", ["tenant_id", "email_key"], unique=True)

    op.create_table("crm_settings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unique_email", sa.Boolean(), nullable=False),
        sa.Column("changed_at", webapp.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], name=op.f("fk_crm_settings_tenant_id_tenants"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_crm_settings")),
    )
    op.create_index("uq_crm_settings_tenant", "crm_settings", ["tenant_id"], unique=True)

    op.create_table("notes", *_attached_columns(),
        sa.Column("body", sa.Text(), nullable=False),
        sa.CheckConstraint("length(trim(body)) > 0", name=op.f("ck_notes_body_not_blank")),
        *_attached_constraints("notes"))
    _attached_indexes("notes")

    op.create_table("activity_tasks", *_attached_columns(),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("assignee_id", sa.Integer(), nullable=True),
        sa.Column("done_at", webapp.db.UTCDateTime(timezone=True), nullable=True),
        sa.CheckConstraint("length(trim(title)) > 0", name=op.f("ck_activity_tasks_title_not_blank")),
        sa.ForeignKeyConstraint(["assignee_id"], ["users.id"], name=op.f("fk_activity_tasks_assignee_id_users"),
                                ondelete="SET NULL"),
        *_attached_constraints("activity_tasks"))
    _attached_indexes("activity_tasks")
    op.create_index("ix_activity_tasks_tenant_assignee_open", "activity_tasks",
                    ["tenant_id", "assignee_id", "done_at", "due_on"])

    for statement in POSTGRES_TRIGGERS if postgres else SQLITE_TRIGGERS:
        op.execute(statement)
    if postgres:
        for table in NEW_TABLES:
            for statement in rls_statements(table):
                op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS contacts_email_key ON contacts")
        op.execute("DROP FUNCTION IF EXISTS contacts_email_key()")
        for table in NEW_TABLES:
            for statement in drop_rls_statements(table):
                op.execute(statement)
    else:
        op.execute("DROP TRIGGER IF EXISTS contacts_email_key_insert")
        op.execute("DROP TRIGGER IF EXISTS contacts_email_key_update")
    op.drop_table("activity_tasks")
    op.drop_table("notes")
    op.drop_index("uq_crm_settings_tenant", table_name="crm_settings")
    op.drop_table("crm_settings")
    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.drop_index("uq_contacts_tenant_email_key")
        batch_op.drop_column("email_key")
    with op.batch_alter_table("companies", schema=None) as batch_op:
        batch_op.drop_index("ix_companies_city_trgm")
        batch_op.drop_index("ix_companies_tenant_created")
        batch_op.drop_column("postcode")
        batch_op.drop_column("street")
        batch_op.drop_column("phone")
        batch_op.drop_column("website")
