"""The closed set of security log event kinds and their retention class.

Every entry belongs to one of two chains, which are also its retention class:

* ``detailed``: page and function access (kept ``SECLOG_DETAILED_RETENTION_DAYS``, default 90);
* ``security``: authentication and other security events (``SECLOG_SECURITY_RETENTION_DAYS``,
  default 365).

A kind not listed here is refused by ``services.record`` (ValueError): adding a kind is a code
change, reviewed like any other, and needs no migration.
"""

from __future__ import annotations

DETAILED = "detailed"
SECURITY = "security"
CHAINS = (DETAILED, SECURITY)

KINDS: dict[str, tuple[str, str]] = {
    # kind: (chain / retention class, meaning)
    "access": (DETAILED, "an authenticated user reached a page or function (endpoint, method, status)"),
    "access_denied": (SECURITY, "an authenticated user was refused a page or function (HTTP 403)"),
    "login_ok": (SECURITY, "sign-in succeeded (detail.method: password, sso, ...)"),
    "login_failed": (SECURITY, "sign-in failed; an unknown account is identified only by detail.email_hmac"),
    "account_locked": (SECURITY, "an account was locked (too many failures, or by an administrator)"),
    "account_unlocked": (SECURITY, "an account was unlocked"),
    "mfa_ok": (SECURITY, "a second factor (TOTP, recovery code) was accepted"),
    "mfa_failed": (SECURITY, "a second factor was refused"),
    "mfa_enabled": (SECURITY, "two-factor authentication was turned on"),
    "mfa_disabled": (SECURITY, "two-factor authentication was turned off or reset"),
    "recovery_codes_regenerated": (SECURITY, "new two-factor recovery codes were issued"),
    "trusted_device_revoked": (SECURITY, "a browser trusted to skip the second factor was revoked"),
    "reauthenticated": (SECURITY, "the user confirmed the password again before a sensitive change"),
    "password_changed": (SECURITY, "the password was changed by its owner"),
    "password_reset_requested": (SECURITY, "a password reset link was requested"),
    "password_reset": (SECURITY, "the password was set through a reset link"),
    "email_change_requested": (SECURITY, "a change of the sign-in e-mail address was requested"),
    "email_changed": (SECURITY, "the sign-in e-mail address was changed"),
    "session_end": (SECURITY, "a session ended (detail.reason: logout, expired, revoked)"),
    "sso_linked": (SECURITY, "a single sign-on identity was linked to the account"),
    "sso_unlinked": (SECURITY, "a single sign-on identity was unlinked"),
    "sso_login": (SECURITY, "sign-in through single sign-on"),
    "personal_data_viewed": (SECURITY, "operator staff viewed a person's data "
                             "(detail: view and the subject's id: subject_user_id, lead_id, invoice_id, request_id)"),
    "role_changed": (SECURITY, "a role or permission of an account changed"),
    "account_disabled": (SECURITY, "a tenant admin disabled an account; its sessions ended (detail.by)"),
    "account_enabled": (SECURITY, "a tenant admin enabled a disabled account again (detail.by)"),
    "user_invited": (SECURITY, "a tenant admin invited someone by e-mail (detail: invitation_id, role)"),
    "invitation_accepted": (SECURITY, "an invitation was accepted and its account created (detail.invitation_id)"),
    "invitation_withdrawn": (SECURITY, "a tenant admin withdrew an open invitation (detail.invitation_id)"),
    "consultant_granted": (SECURITY, "a tenant admin gave an operator consultant time-limited access to settings"),
    "consultant_revoked": (SECURITY, "a tenant admin ended a consultant's access before it expired"),
    "consultant_access": (SECURITY, "a consultant viewed or changed a tenant's settings (detail.action)"),
    "tenant_state_changed": (SECURITY, "a tenant moved between trial, subscribed and closed"),
    "data_exported": (SECURITY, "a tenant's records were exported (detail: export_id, entity, format, filter, "
                               "rows, sha256)"),
    "export_downloaded": (SECURITY, "an export file was downloaded (detail: export_id, entity, format, sha256)"),
    "log_purged": (SECURITY, "expired security log entries were deleted (detail: counts per class)"),
    "log_entry_invalid": (SECURITY, "an unreadable entry was found in the Redis buffer and dropped"),
}


def chain_of(kind: str) -> str:
    """The chain (= retention class) of ``kind``; ValueError for a kind outside the closed set."""
    try:
        return KINDS[kind][0]
    except KeyError:
        raise ValueError(f"unknown security log kind {kind!r}; see webapp.seclog.kinds.KINDS") from None
