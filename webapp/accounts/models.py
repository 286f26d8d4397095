"""Personal accounts: tenant users (admin, user) and operator staff (by staff role)."""

from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.db import TimestampMixin, UTCDateTime
from webapp.extensions import db
from webapp.tenants.models import Tenant

TENANT_ROLES = ("admin", "user")
STAFF_ROLES = ("sales", "consultant", "support", "developer", "privacy_officer", "operator")


class User(UserMixin, TimestampMixin, db.Model):
    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint("role IS NULL OR role IN ('admin', 'user')", name="role_known"),
        CheckConstraint(
            "staff_role IS NULL OR staff_role IN "
            "('sales', 'consultant', 'support', 'developer', 'privacy_officer', 'operator')",
            name="staff_role_known",
        ),
        # A tenant user has a tenant and a role; operator staff have a staff role and no tenant.
        CheckConstraint(
            "(tenant_id IS NOT NULL AND role IS NOT NULL AND staff_role IS NULL) OR "
            "(tenant_id IS NULL AND role IS NULL AND staff_role IS NOT NULL)",
            name="tenant_user_or_staff",
        ),
        CheckConstraint("email = lower(email)", name="email_lowercase"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), nullable=False, unique=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    tenant_id: Mapped[int | None] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    role: Mapped[str | None] = mapped_column(String(20))
    staff_role: Mapped[str | None] = mapped_column(String(30))
    locale: Mapped[str | None] = mapped_column(String(5))
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    tenant: Mapped[Tenant | None] = relationship(lazy="joined")

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_staff(self) -> bool:
        return self.staff_role is not None
