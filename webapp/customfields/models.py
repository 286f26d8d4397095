"""Custom field definitions (per tenant and entity) and their values, stored typed.

A value row holds exactly the column of its field's type (``text_value`` for text, choice,
e-mail, phone and URL; ``number_value``; ``date_value``), so the database filters and sorts them.
The value repeats its field's type and entity, tied to the definition by a composite foreign key:
a CHECK can then enforce the right column and the right record link, and a field's type cannot
change while values exist. Values go with their definition and their record (ON DELETE CASCADE):
a trashed contact keeps its values; purging or erasing it removes them.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    Numeric,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from webapp.db import TimestampMixin
from webapp.extensions import db
from webapp.pii import pii
from webapp.tenancy import TenantOwned

ENTITIES = ("contact", "company")
TYPES = ("text", "number", "date", "choice", "email", "phone", "url")
TEXT_TYPES = ("text", "choice", "email", "phone", "url")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def _only(column: str) -> str:
    others = [c for c in ("text_value", "number_value", "date_value") if c != column]
    return f"{column} IS NOT NULL AND {others[0]} IS NULL AND {others[1]} IS NULL"


VALUE_COLUMN_CHECK = (f"({_in('field_type', TEXT_TYPES)} AND {_only('text_value')}) OR "
                      f"(field_type = 'number' AND {_only('number_value')}) OR "
                      f"(field_type = 'date' AND {_only('date_value')})")
RECORD_CHECK = ("(entity = 'contact' AND contact_id IS NOT NULL AND company_id IS NULL) OR "
                "(entity = 'company' AND company_id IS NOT NULL AND contact_id IS NULL)")


class CustomField(TenantOwned, TimestampMixin, db.Model):
    __tablename__ = "custom_fields"
    __table_args__ = (
        CheckConstraint(_in("field_type", TYPES), name="type_known"),
        CheckConstraint(_in("entity", ENTITIES), name="entity_known"),
        CheckConstraint("length(trim(label)) > 0", name="label_not_blank"),
        UniqueConstraint("tenant_id", "entity", "key"),
        UniqueConstraint("id", "field_type", "entity"),  # target of the values' composite key
        Index("ix_custom_fields_tenant_entity_position", "tenant_id", "entity", "position", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    entity: Mapped[str] = mapped_column(String(20), nullable=False)
    key: Mapped[str] = mapped_column(String(40), nullable=False)
    label: Mapped[str] = mapped_column(String(80), nullable=False)
    field_type: Mapped[str] = mapped_column(String(20), nullable=False)
    choices: Mapped[list | None] = mapped_column(JSON)
    required: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    position: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    archived: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)

    @property
    def choice_list(self) -> list[str]:
        return list(self.choices or [])


class CustomFieldValue(TenantOwned, db.Model):
    __tablename__ = "custom_field_values"
    __table_args__ = (
        CheckConstraint(_in("field_type", TYPES), name="type_known"),
        CheckConstraint(VALUE_COLUMN_CHECK, name="one_typed_value"),
        CheckConstraint(RECORD_CHECK, name="one_record"),
        ForeignKeyConstraint(["field_id", "field_type", "entity"],
                             ["custom_fields.id", "custom_fields.field_type", "custom_fields.entity"],
                             name="fk_custom_field_values_field", ondelete="CASCADE"),
        UniqueConstraint("field_id", "contact_id"),
        UniqueConstraint("field_id", "company_id"),
        Index("ix_custom_field_values_text", "tenant_id", "field_id", "text_value", "contact_id"),
        Index("ix_custom_field_values_number", "tenant_id", "field_id", "number_value", "contact_id"),
        Index("ix_custom_field_values_date", "tenant_id", "field_id", "date_value", "contact_id"),
        Index("ix_custom_field_values_contact", "contact_id"),
        Index("ix_custom_field_values_company", "company_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    field_id: Mapped[int] = mapped_column(Integer, nullable=False)
    field_type: Mapped[str] = mapped_column(String(20), nullable=False)
    entity: Mapped[str] = mapped_column(String(20), nullable=False)
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"))
    company_id: Mapped[int | None] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"))
    text_value: Mapped[str | None] = mapped_column(String(2000), info=pii("text"))
    number_value: Mapped[Decimal | None] = mapped_column(Numeric(18, 4))
    date_value: Mapped[date | None] = mapped_column(Date)

    @property
    def value(self):
        if self.field_type == "number":
            return self.number_value
        if self.field_type == "date":
            return self.date_value
        return self.text_value


def _register_audit() -> None:
    from flask_babel import lazy_gettext as _l

    from webapp.audit.registry import register

    register(CustomField, "custom_field", label=_l("Custom field"), title=lambda field: field.label, labels={
        "label": _l("Label"), "choices": _l("Choices"), "required": _l("Required"), "position": _l("Position"),
        "archived": _l("Archived"), "key": _l("Key"), "field_type": _l("Type"), "entity": _l("Record type"),
    })


_register_audit()
