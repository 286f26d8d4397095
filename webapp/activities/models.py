"""Notes and tasks attached to exactly one contact or one company (the database checks it).

Both are audited (``webapp.audit.registry``) and trashable on their own (``deleted_at``); they are
not registered as children of contacts or companies (the registry knows one parent column, and
unlinking would break the one-parent CHECK). They follow their record instead: hidden while it is
in the trash, back when it is restored, deleted with it by ``ON DELETE CASCADE`` when it is purged
or erased.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from webapp import clock
from webapp.accounts.models import User
from webapp.db import UTCDateTime
from webapp.extensions import db
from webapp.pii import pii
from webapp.tenancy import TenantOwned

ONE_PARENT = "(contact_id IS NULL) <> (company_id IS NULL)"


class Attached(TenantOwned):
    """Columns shared by notes and tasks: the record they belong to, author, times, trash."""

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"))
    company_id: Mapped[int | None] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=lambda: clock.now(), nullable=False)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    @declared_attr
    def author(cls) -> Mapped[User | None]:  # noqa: N805 - SQLAlchemy declared_attr
        return relationship(User, foreign_keys=lambda: [cls.author_id])

    @property
    def parent_key(self) -> tuple[str, int]:
        return ("contact", self.contact_id) if self.contact_id else ("company", self.company_id)


def _indexes(table: str) -> tuple:
    return (CheckConstraint(ONE_PARENT, name="one_parent"),
            Index(f"ix_{table}_tenant_contact", "tenant_id", "contact_id", "created_at", "id"),
            Index(f"ix_{table}_tenant_company", "tenant_id", "company_id", "created_at", "id"))


class Note(Attached, db.Model):
    __tablename__ = "notes"
    __table_args__ = (*_indexes("notes"), CheckConstraint("length(trim(body)) > 0", name="body_not_blank"))

    body: Mapped[str] = mapped_column(Text, nullable=False, info=pii("text"))


class Task(Attached, db.Model):
    __tablename__ = "activity_tasks"  # "tasks" holds background jobs (webapp.jobs)
    __table_args__ = (*_indexes("activity_tasks"),
                      CheckConstraint("length(trim(title)) > 0", name="title_not_blank"),
                      Index("ix_activity_tasks_tenant_assignee_open", "tenant_id", "assignee_id", "done_at",
                            "due_on"))

    title: Mapped[str] = mapped_column(String(200), nullable=False, info=pii("text"))
    body: Mapped[str | None] = mapped_column(Text, info=pii("text"))
    due_on: Mapped[date | None] = mapped_column(Date)
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    assignee: Mapped[User | None] = relationship(User, foreign_keys=[assignee_id])
