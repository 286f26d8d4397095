"""The integrations a tenant can switch on, as data. Whether one sends data to a third country is not
written here: it comes from the sub-processor registry (the provider's third-country flag)."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class Integration:
    key: str
    label: object
    provider: str  # a name in the sub-processor registry
    data: object  # which data leaves us
    help: object


INTEGRATIONS = {
    item.key: item
    for item in (
        Integration("apple_calendar", _l("Tasks in Apple Calendar"), "Apple Inc.",
                    _l("titles and due dates of your open tasks"),
                    _l("A private calendar address your Apple devices subscribe to; Apple's servers fetch it.")),
        Integration("google_calendar", _l("Tasks in Google Calendar"), "Google Ireland Limited",
                    _l("titles and due dates of your open tasks"),
                    _l("A private calendar address Google Calendar subscribes to; Google's servers fetch it.")),
    )
}
