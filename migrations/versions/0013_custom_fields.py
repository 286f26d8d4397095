"""custom fields per tenant: definitions and typed values (filterable and sortable in SQL)

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-25 15:30:00

"""
import sqlalchemy as sa
from alembic import op

import webapp.db  # noqa: F401 - custom column types
from webapp.tenancy import drop_rls_statements, rls_statements

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

VALUE_COLUMN_CHECK = (
    "(field_type IN ('text', 'choice', 'email', 'phone', 'url') AND text_value IS NOT NULL AND number_value IS NULL "
    "AND date_value IS NULL) OR (field_type = 'number' AND number_value IS NOT NULL AND text_value IS NULL AND "
    "date_value IS NULL) OR (field_type = 'date' AND date_value IS NOT NULL AND text_value IS NULL AND "
    "number_value IS NULL)")
RECORD_CHECK = ("(entity = 'contact' AND contact_id IS NOT NULL AND company_id IS NULL) OR "
                "(entity = 'company' AND company_id IS NOT NULL AND contact_id IS NULL)")
TYPES = "field_type IN ('text', 'number', 'date', 'choice', 'email', 'phone', 'url')"


def upgrade():
    op.create_table(
        "custom_fields",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entity", sa.String(length=20), nullable=False),
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("label", sa.String(length=80), nullable=False),
        sa.Column("field_type", sa.String(length=20), nullable=False),
        sa.Column("choices", sa.JSON(), nullable=True),
        sa.Column("required", sa.Boolean(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("archived", sa.Boolean(), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("created_at", webapp.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(TYPES, name=op.f("ck_custom_fields_type_known")),
        sa.CheckConstraint("entity IN ('contact', 'company')", name=op.f("ck_custom_fields_entity_known")),
        sa.CheckConstraint("length(trim(label)) > 0", name=op.f("ck_custom_fields_label_not_blank")),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], name=op.f("fk_custom_fields_tenant_id_tenants"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_custom_fields")),
        sa.UniqueConstraint("tenant_id", "entity", "key", name=op.f("uq_custom_fields_tenant_id_entity_key")),
        sa.UniqueConstraint("id", "field_type", "entity", name=op.f("uq_custom_fields_id_field_type_entity")),
    )
    with op.batch_alter_table("custom_fields", schema=None) as batch_op:
        batch_op.create_index("ix_custom_fields_tenant_entity_position", ["tenant_id", "entity", "position", "id"],
                              unique=False)
    op.create_table(
        "custom_field_values",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("field_id", sa.Integer(), nullable=False),
        sa.Column("field_type", sa.String(length=20), nullable=False),
        sa.Column("entity", sa.String(length=20), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=True),
        sa.Column("company_id", sa.Integer(), nullable=True),
        sa.Column("text_value", sa.String(length=2000), nullable=True),
        sa.Column("number_value", sa.Numeric(precision=18, scale=4), nullable=True),
        sa.Column("date_value", sa.Date(), nullable=True),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.CheckConstraint(TYPES, name=op.f("ck_custom_field_values_type_known")),
        sa.CheckConstraint(VALUE_COLUMN_CHECK, name=op.f("ck_custom_field_values_one_typed_value")),
        sa.CheckConstraint(RECORD_CHECK, name=op.f("ck_custom_field_values_one_record")),
        sa.ForeignKeyConstraint(["field_id", "field_type", "entity"],
                                ["custom_fields.id", "custom_fields.field_type", "custom_fields.entity"],
                                name="fk_custom_field_values_field", ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["contact_id"], ["contacts.id"],
                                name=op.f("fk_custom_field_values_contact_id_contacts"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["company_id"], ["companies.id"],
                                name=op.f("fk_custom_field_values_company_id_companies"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"],
                                name=op.f("fk_custom_field_values_tenant_id_tenants"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_custom_field_values")),
        sa.UniqueConstraint("field_id", "contact_id", name=op.f("uq_custom_field_values_field_id_contact_id")),
        sa.UniqueConstraint("field_id", "company_id", name=op.f("uq_custom_field_values_field_id_company_id")),
    )
    with op.batch_alter_table("custom_field_values", schema=None) as batch_op:
        for kind in ("text", "number", "date"):
            batch_op.create_index(f"ix_custom_field_values_{kind}",
                                  ["tenant_id", "field_id", f"{kind}_value", "contact_id"], unique=False)
        batch_op.create_index("ix_custom_field_values_contact", ["contact_id"], unique=False)
        batch_op.create_index("ix_custom_field_values_company", ["company_id"], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        for table in ("custom_fields", "custom_field_values"):
            for statement in rls_statements(table):
                op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for table in ("custom_field_values", "custom_fields"):
            for statement in drop_rls_statements(table):
                op.execute(statement)
    op.drop_table("custom_field_values")
    op.drop_table("custom_fields")
