"""The e-mail transport: SMTP when SMTP_HOST is set, else the local "file outbox"."""

from __future__ import annotations

import json
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr

from webapp import clock
from webapp.messaging import settings
from webapp.messaging.errors import PermanentError, TransientError
from webapp.messaging.models import OutboxEmail

IMPLICIT_TLS_PORT = 465


def build_message(email: OutboxEmail) -> EmailMessage:
    message = EmailMessage()
    message["From"] = str(settings.get("MAIL_FROM"))
    message["To"] = email.to_address
    message["Subject"] = email.subject
    message["Date"] = format_datetime(clock.now())
    message["Message-ID"] = email.message_id
    for name, value in json.loads(email.headers or "{}").items():
        message[name] = value
    message.set_content(email.text_body)
    if email.html_body:
        message.add_alternative(email.html_body, subtype="html")
    return message


def _open() -> smtplib.SMTP:
    host, port = str(settings.get("SMTP_HOST")), settings.whole("SMTP_PORT")
    timeout = settings.number("SMTP_TIMEOUT")
    if port == IMPLICIT_TLS_PORT:
        return smtplib.SMTP_SSL(host, port, timeout=timeout, context=ssl.create_default_context())
    return smtplib.SMTP(host, port, timeout=timeout)


def _connect() -> smtplib.SMTP:
    smtp = _open()
    try:
        if settings.flag("SMTP_STARTTLS") and not isinstance(smtp, smtplib.SMTP_SSL):
            smtp.starttls(context=ssl.create_default_context())  # no STARTTLS offered: error, nothing in clear
        if settings.get("SMTP_USERNAME"):
            smtp.login(str(settings.get("SMTP_USERNAME")), str(settings.get("SMTP_PASSWORD") or ""))
    except BaseException:
        smtp.close()
        raise
    return smtp


def _reply(exc: smtplib.SMTPResponseException) -> str:
    text = exc.smtp_error.decode(errors="replace") if isinstance(exc.smtp_error, bytes) else str(exc.smtp_error)
    return f"SMTP {exc.smtp_code} {text}"[:300]


def _classify(exc: Exception) -> Exception:
    """Recipient or content refused with 5xx is permanent; the rest (network, 4xx, TLS, login) is not."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _text in exc.recipients.values()]
        kind = PermanentError if codes and min(codes) >= 500 else TransientError
        return kind(f"recipient refused: SMTP {codes}")
    if isinstance(exc, smtplib.SMTPDataError) and exc.smtp_code >= 500:
        return PermanentError(f"message refused: {_reply(exc)}")
    if isinstance(exc, smtplib.SMTPResponseException):
        return TransientError(_reply(exc))
    return TransientError(f"{type(exc).__name__}: {exc}"[:300])


def send(email: OutboxEmail) -> str:
    """Deliver one e-mail; returns the transport used. Raises TransientError or PermanentError."""
    if not settings.get("SMTP_HOST"):
        return "outbox"
    message = build_message(email)
    _name, envelope_from = parseaddr(str(settings.get("MAIL_FROM")))
    try:
        with _connect() as smtp:
            smtp.send_message(message, from_addr=envelope_from, to_addrs=[email.to_address])
    except (OSError, smtplib.SMTPException) as exc:
        raise _classify(exc) from exc
    return "smtp"
