"""The raw page views as a target of the retention engine (``webapp.retention``), category
``analytics_page_views`` of the records of processing. A handler, not the generic DELETE, so
the days about to lose raw rows are rolled up first (the roll-ups hold no ids and stay)."""

from __future__ import annotations

from datetime import datetime

from webapp.analytics import rollups

TARGET_NAME = "analytics_page_views"


class RawPageViews:
    def count(self, cutoff: datetime, as_of: datetime) -> int:
        return rollups.count_before(cutoff)

    def purge(self, cutoff: datetime, as_of: datetime) -> int:
        return rollups.purge_before(cutoff, as_of)


HANDLER = RawPageViews()  # one instance: registering again (another app) is the same definition


def register() -> bool:
    """Register the target when the retention engine is installed; False without it."""
    try:
        from webapp.retention.registry import Target
        from webapp.retention.registry import register as add
    except ImportError:
        return False
    add(Target(name=TARGET_NAME, category="analytics_page_views", table="analytics_page_views",
               clocks={"created_at": "viewed_at"}, handler=HANDLER))
    return True
