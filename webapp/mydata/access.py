"""Who is looking: a person proves an address by a one-time link (or by being signed in).

No account enumeration: the answer to "send me a link" is the same whether or not we hold the
address; only an address we hold gets an e-mail. Links expire after 30 minutes and work once; the
portal session they open lasts 30 minutes.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import delete, select

from webapp import clock, crypto, ratelimit
from webapp.extensions import db
from webapp.messaging.services import queue_email
from webapp.mydata.models import PortalLink
from webapp.mydata.sources import holds_address

LINK_LIFETIME = timedelta(minutes=30)
SESSION_LIFETIME = timedelta(minutes=30)
SESSION_KEY = "mydata"


def request_link(email: str) -> bool:
    """Send a link if we hold ``email`` and the limits allow; the caller answers the same either way."""
    email = email.strip().lower()
    address_key = crypto.keyed_hash("mydata-address", email)[:32]
    source_key = crypto.keyed_hash("mydata-source", request.remote_addr or "unknown")[:32]
    if not (ratelimit.hit(f"mydata-addr:{address_key}", 3600, 3) and ratelimit.hit(f"mydata-src:{source_key}",
                                                                                    3600, 20)):
        return False
    if not holds_address(email):
        return False
    token = crypto.new_token()
    db.session.add(PortalLink(token_hash=crypto.token_hash(token), email=email,
                              expires_at=clock.now() + LINK_LIFETIME))
    db.session.flush()
    link = url_for("mydata.open_link", token=token, _external=True)
    queue_email(email, _("Your link to the data we hold about you"),
                _("Hello,\n\nyou (we hope) asked to see the data Bizalom holds about this address. Open this link "
                  "within 30 minutes; it works once:\n\n%(link)s\n\nIf you did not ask for it, ignore this e-mail; "
                  "nobody can use the link without access to your mailbox.", link=link))
    return True


def redeem(token: str) -> str | None:
    """The address behind a valid link, which is used up; None for unknown, expired or used links."""
    if not token or len(token) > 100:
        return None
    link = db.session.scalars(select(PortalLink).where(PortalLink.token_hash == crypto.token_hash(token))).first()
    if link is None or link.used_at is not None or link.expires_at <= clock.now():
        return None
    claimed = db.session.execute(
        PortalLink.__table__.update().where(PortalLink.id == link.id, PortalLink.used_at.is_(None))
        .values(used_at=clock.now())).rowcount
    return link.email if claimed == 1 else None


def open_session(email: str) -> None:
    session[SESSION_KEY] = {"email": email, "until": (clock.now() + SESSION_LIFETIME).isoformat()}


def close_session() -> None:
    session.pop(SESSION_KEY, None)


def current_email() -> str | None:
    """The proven address of this visitor: a portal session, else the signed-in account's address."""
    held = session.get(SESSION_KEY)
    if isinstance(held, dict) and isinstance(held.get("until"), str):
        try:
            until = datetime.fromisoformat(held["until"])
        except ValueError:
            until = None
        if until is not None and clock.now() < until:
            return held.get("email")
        close_session()
    if current_user.is_authenticated and not current_user.staff_role:
        return current_user.email
    return None


def purge_old_links() -> int:
    return db.session.execute(delete(PortalLink).where(PortalLink.expires_at < clock.now() - timedelta(days=1))
                              ).rowcount
