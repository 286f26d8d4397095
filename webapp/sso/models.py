"""Single sign-on identities: an OpenID Connect subject (per provider) linked to one account.

Only the pair (provider, subject) is kept: no tokens, no e-mail claim, no profile.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from webapp.db import TimestampMixin, UTCDateTime
from webapp.extensions import db
from webapp.pii import pii


class SsoIdentity(TimestampMixin, db.Model):
    __tablename__ = "sso_identities"
    __table_args__ = (
        UniqueConstraint("provider", "subject", name="uq_sso_identities_provider_subject"),
        CheckConstraint("length(subject) > 0", name="subject_not_blank"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True)
    provider: Mapped[str] = mapped_column(String(40), nullable=False)
    subject: Mapped[str] = mapped_column(String(255), nullable=False, info=pii("identifier"))
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
