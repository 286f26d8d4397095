"""Personal accounts: tenant users (admin, user) and operator staff (by staff role)."""

from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.db import TimestampMixin, UTCDateTime
from webapp.extensions import db
from webapp.pii import pii
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
    email: Mapped[str] = mapped_column(String(254), nullable=False, unique=True, info=pii("email"))
    name: Mapped[str] = mapped_column(String(200), nullable=False, info=pii("name"))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    tenant_id: Mapped[int | None] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    role: Mapped[str | None] = mapped_column(String(20))
    staff_role: Mapped[str | None] = mapped_column(String(30))
    locale: Mapped[str | None] = mapped_column(String(5))
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    phone: Mapped[str | None] = mapped_column(String(20), info=pii("phone"))
    password_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    tenant: Mapped[Tenant | None] = relationship(lazy="joined")

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_staff(self) -> bool:
        return self.staff_role is not None


class UserSession(TimestampMixin, db.Model):
    """A signed-in browser session; the cookie holds a random token, the row its SHA-256."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True)
    device_label: Mapped[str] = mapped_column(String(120), nullable=False)
    auth_method: Mapped[str] = mapped_column(String(20), nullable=False, default="password")
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    end_reason: Mapped[str | None] = mapped_column(String(40))

    user: Mapped[User] = relationship()


class AccountToken(TimestampMixin, db.Model):
    """Single-use, short-lived tokens sent by e-mail: password reset, e-mail change."""

    __tablename__ = "account_tokens"
    __table_args__ = (CheckConstraint("purpose IN ('password_reset', 'email_change')", name="purpose_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True)
    purpose: Mapped[str] = mapped_column(String(20), nullable=False)
    new_email: Mapped[str | None] = mapped_column(String(254), info=pii("email"))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class LoginThrottle(db.Model):
    """Failure counters that survive restarts: per account (user id) and per IP (keyed hash)."""

    __tablename__ = "login_throttles"
    __table_args__ = (
        CheckConstraint("kind IN ('account', 'ip')", name="kind_known"),
        UniqueConstraint("kind", "key", name="uq_login_throttles_kind_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10), nullable=False)
    key: Mapped[str] = mapped_column(String(64), nullable=False)
    failures: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    window_started_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    lock_count: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
