"""Retention of invoice data: kept the configured 10–15 years after the customer's last invoice.

The clock runs per customer (``customer_ref``), so an old invoice stays as long as a newer one of
the same customer needs it. Erasure requests do not touch invoices; only this purge removes them,
and the database refuses even that for an invoice younger than the legal minimum of 10 years.
"""

from __future__ import annotations

from datetime import date, datetime

from flask import current_app
from sqlalchemy import delete, func, select

from webapp.billing.models import Invoice
from webapp.extensions import db


def _years_before(moment: datetime, years: int) -> date:
    day = moment.date()
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


class InvoiceData:
    hold_tables = ("invoices",)

    def _expired_customers(self, cutoff: datetime, as_of: datetime):
        from webapp.retention.engine import held_records

        # the records of processing give ``cutoff``; the configured years may only lengthen it
        limit = min(cutoff.date(), _years_before(as_of, current_app.config["INVOICE_RETENTION_YEARS"]))
        held = held_records(as_of).get("invoices", set())
        held_customers = select(Invoice.customer_ref).where(Invoice.id.in_(held)) if held else None
        stmt = (select(Invoice.customer_ref).where(Invoice.state == "issued").group_by(Invoice.customer_ref)
                .having(func.max(Invoice.issued_on) < limit))
        return stmt.where(Invoice.customer_ref.not_in(held_customers)) if held_customers is not None else stmt

    def count(self, cutoff: datetime, as_of: datetime) -> int:
        customers = self._expired_customers(cutoff, as_of)
        return db.session.scalar(select(func.count(Invoice.id)).where(Invoice.customer_ref.in_(customers),
                                                                       Invoice.state == "issued"))

    def purge(self, cutoff: datetime, as_of: datetime) -> int:
        customers = self._expired_customers(cutoff, as_of)
        deleted = db.session.execute(delete(Invoice).where(Invoice.customer_ref.in_(customers),
                                                           Invoice.state == "issued")).rowcount
        db.session.commit()
        return deleted


_HANDLER = InvoiceData()


def register_target() -> None:
    from webapp.retention.registry import Target, register

    register(Target(name="invoice_data", category="invoice_data", table="invoices",
                    clocks={"last_invoice": "issued_on"}, handler=_HANDLER))
