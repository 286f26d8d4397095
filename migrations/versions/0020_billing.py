"""billing: subscriptions, invoices and their lines; issued invoices are frozen by triggers

Revision ID: 0020
Revises: 0019
Create Date: 2026-11-25 16:00:00.000000

"""
from alembic import op
import sqlalchemy as sa

import webapp.db  # noqa: F401 - custom column types


# revision identifiers, used by Alembic.
revision = '0020'
down_revision = "0019"
branch_labels = None
depends_on = None

# Columns of an issued invoice that may never change (unlinking tenant/subscription may).
FROZEN = ("customer_ref", "state", "number", "year", "sequence", "issued_on", "due_on", "issued_at", "currency", "supplier_name",
          "supplier_address", "supplier_tax_number",
          "customer_name", "customer_company", "customer_address", "customer_email", "customer_tax_number",
          "net_cents", "vat_cents", "gross_cents")
MINIMUM_YEARS = 10  # the legal minimum; the configured retention may only be longer

PG_FUNCTIONS = f"""
CREATE FUNCTION invoices_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.state = 'issued' THEN
    IF TG_OP = 'DELETE' THEN
      IF OLD.issued_on > current_date - interval '{MINIMUM_YEARS} years' THEN
        RAISE EXCEPTION 'invoice % must be kept at least {MINIMUM_YEARS} years', OLD.number
          USING ERRCODE = 'integrity_constraint_violation';
      END IF;
      RETURN OLD;
    END IF;
    IF ROW({", ".join("NEW." + c for c in FROZEN)}) IS DISTINCT FROM ROW({", ".join("OLD." + c for c in FROZEN)}) THEN
      RAISE EXCEPTION 'invoice % is issued and cannot change', OLD.number
        USING ERRCODE = 'integrity_constraint_violation';
    END IF;
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$;
CREATE FUNCTION invoice_lines_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE parent_state text;
BEGIN
  SELECT state INTO parent_state FROM invoices
   WHERE id = CASE WHEN TG_OP = 'INSERT' THEN NEW.invoice_id ELSE OLD.invoice_id END;
  IF parent_state = 'issued' THEN
    RAISE EXCEPTION 'lines of an issued invoice cannot change' USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$;
"""

PG_TRIGGERS = (
    "CREATE TRIGGER invoices_frozen BEFORE UPDATE OR DELETE ON invoices FOR EACH ROW EXECUTE FUNCTION invoices_frozen()",
    "CREATE TRIGGER invoice_lines_frozen BEFORE INSERT OR UPDATE OR DELETE ON invoice_lines "
    "FOR EACH ROW EXECUTE FUNCTION invoice_lines_frozen()",
)


def _sqlite_triggers():
    changed = " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in FROZEN)
    parent_issued = "(SELECT state FROM invoices WHERE id = {}.invoice_id) = 'issued'"
    refuse = "BEGIN SELECT RAISE(ABORT, '{}'); END"
    return (
        f"CREATE TRIGGER invoices_frozen_update BEFORE UPDATE ON invoices WHEN OLD.state = 'issued' AND ({changed}) "
        + refuse.format("issued invoices cannot change"),
        f"CREATE TRIGGER invoices_kept_minimum BEFORE DELETE ON invoices WHEN OLD.state = 'issued' "
        f"AND OLD.issued_on > date('now', '-{MINIMUM_YEARS} years') "
        + refuse.format(f"invoices must be kept at least {MINIMUM_YEARS} years"),
        f"CREATE TRIGGER invoice_lines_frozen_insert BEFORE INSERT ON invoice_lines WHEN {parent_issued.format('NEW')} "
        + refuse.format("lines of an issued invoice cannot change"),
        f"CREATE TRIGGER invoice_lines_frozen_update BEFORE UPDATE ON invoice_lines WHEN {parent_issued.format('OLD')} "
        + refuse.format("lines of an issued invoice cannot change"),
        f"CREATE TRIGGER invoice_lines_frozen_delete BEFORE DELETE ON invoice_lines WHEN {parent_issued.format('OLD')} "
        + refuse.format("lines of an issued invoice cannot change"),
    )


def upgrade():
    op.create_table('subscriptions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('plan', sa.String(length=20), nullable=False),
    sa.Column('seats', sa.Integer(), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', webapp.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("plan IN ('starter', 'team', 'business')", name=op.f('ck_subscriptions_plan_known')),
    sa.CheckConstraint('seats > 0 AND seats <= 1000', name=op.f('ck_subscriptions_seats_in_range')),
    sa.CheckConstraint('ends_on IS NULL OR ends_on >= starts_on', name=op.f('ck_subscriptions_ends_after_start')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_subscriptions_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_subscriptions_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_subscriptions'))
    )
    with op.batch_alter_table('subscriptions', schema=None) as batch_op:
        batch_op.create_index('ix_subscriptions_tenant_starts', ['tenant_id', 'starts_on'], unique=False)

    op.create_table('invoices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=True),
    sa.Column('customer_ref', sa.String(length=40), nullable=False),
    sa.Column('subscription_id', sa.Integer(), nullable=True),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('year', sa.Integer(), nullable=True),
    sa.Column('sequence', sa.Integer(), nullable=True),
    sa.Column('number', sa.String(length=30), nullable=True),
    sa.Column('issued_on', sa.Date(), nullable=True),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('issued_at', webapp.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('issued_by_id', sa.Integer(), nullable=True),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('supplier_name', sa.String(length=200), nullable=True),
    sa.Column('supplier_address', sa.String(length=400), nullable=True),
    sa.Column('supplier_tax_number', sa.String(length=40), nullable=True),
    sa.Column('customer_name', sa.String(length=200), nullable=False),
    sa.Column('customer_company', sa.String(length=200), nullable=True),
    sa.Column('customer_address', sa.String(length=400), nullable=False),
    sa.Column('customer_email', sa.String(length=254), nullable=True),
    sa.Column('customer_tax_number', sa.String(length=40), nullable=True),
    sa.Column('net_cents', sa.BigInteger(), nullable=False),
    sa.Column('vat_cents', sa.BigInteger(), nullable=False),
    sa.Column('gross_cents', sa.BigInteger(), nullable=False),
    sa.Column('created_at', webapp.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("state IN ('draft', 'issued')", name=op.f('ck_invoices_state_known')),
    sa.CheckConstraint("(state = 'issued') = (number IS NOT NULL AND issued_on IS NOT NULL)", name=op.f('ck_invoices_issued_has_number')),
    sa.CheckConstraint('net_cents >= 0 AND vat_cents >= 0 AND gross_cents = net_cents + vat_cents', name=op.f('ck_invoices_totals_add_up')),
    sa.CheckConstraint("currency IN ('HUF', 'EUR')", name=op.f('ck_invoices_currency_known')),
    sa.ForeignKeyConstraint(['issued_by_id'], ['users.id'], name=op.f('fk_invoices_issued_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['subscription_id'], ['subscriptions.id'], name=op.f('fk_invoices_subscription_id_subscriptions'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_invoices_tenant_id_tenants'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invoices')),
    sa.UniqueConstraint('number', name=op.f('uq_invoices_number')),
    sa.UniqueConstraint('year', 'sequence', name='uq_invoices_year_sequence')
    )
    with op.batch_alter_table('invoices', schema=None) as batch_op:
        batch_op.create_index('ix_invoices_tenant_issued', ['tenant_id', 'issued_on'], unique=False)
        batch_op.create_index('ix_invoices_customer_issued', ['customer_ref', 'issued_on'], unique=False)

    op.create_table('invoice_lines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('invoice_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('description', sa.String(length=300), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('unit_net_cents', sa.BigInteger(), nullable=False),
    sa.Column('vat_rate_bp', sa.Integer(), nullable=False),
    sa.Column('net_cents', sa.BigInteger(), nullable=False),
    sa.Column('vat_cents', sa.BigInteger(), nullable=False),
    sa.CheckConstraint('quantity > 0', name=op.f('ck_invoice_lines_quantity_positive')),
    sa.CheckConstraint('unit_net_cents >= 0', name=op.f('ck_invoice_lines_price_not_negative')),
    sa.CheckConstraint('vat_rate_bp >= 0 AND vat_rate_bp <= 10000', name=op.f('ck_invoice_lines_vat_rate_in_range')),
    sa.CheckConstraint('net_cents = quantity * unit_net_cents', name=op.f('ck_invoice_lines_net_is_quantity_times_price')),
    sa.ForeignKeyConstraint(['invoice_id'], ['invoices.id'], name=op.f('fk_invoice_lines_invoice_id_invoices'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invoice_lines')),
    sa.UniqueConstraint('invoice_id', 'position', name='uq_invoice_lines_invoice_position')
    )

    if op.get_bind().dialect.name == "postgresql":
        op.execute(PG_FUNCTIONS)
        for statement in PG_TRIGGERS:
            op.execute(statement)
    else:
        for statement in _sqlite_triggers():
            op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS invoice_lines_frozen ON invoice_lines")
        op.execute("DROP TRIGGER IF EXISTS invoices_frozen ON invoices")
        op.execute("DROP FUNCTION IF EXISTS invoice_lines_frozen()")
        op.execute("DROP FUNCTION IF EXISTS invoices_frozen()")
    op.drop_table('invoice_lines')
    op.drop_table('invoices')
    op.drop_table('subscriptions')
