"""Saving segments and reading them for the campaign form and the send job."""

from __future__ import annotations

from sqlalchemy import select

from webapp.extensions import db
from webapp.segments import filters
from webapp.segments.models import CampaignSegment, Segment


class DuplicateName(ValueError):
    pass


def save(name: str, raw_filters: dict, user_id: int | None) -> Segment:
    """A new segment; InvalidFilter for a filter outside the closed set, DuplicateName if taken."""
    cleaned = filters.clean(raw_filters)
    name = name.strip()
    if db.session.scalars(select(Segment.id).where(Segment.name == name)).first() is not None:
        raise DuplicateName(name)
    segment = Segment(name=name, filters=cleaned, created_by_id=user_id)
    db.session.add(segment)
    db.session.flush()
    return segment


def all_segments() -> list[Segment]:
    return list(db.session.scalars(select(Segment).order_by(Segment.name, Segment.id)))


def get(segment_id: int) -> Segment | None:
    return db.session.get(Segment, segment_id)


def target(campaign_id: int, segment: Segment) -> None:
    db.session.add(CampaignSegment(campaign_id=campaign_id, segment_id=segment.id))
    db.session.flush()


def segment_of_campaign(campaign_id: int) -> Segment | None:
    row = db.session.get(CampaignSegment, campaign_id)
    return row.segment if row else None


def names_by_campaign(campaign_ids: list[int]) -> dict[int, str]:
    """The segment name of each listed campaign that targets one."""
    if not campaign_ids:
        return {}
    return dict(db.session.execute(select(CampaignSegment.campaign_id, Segment.name).join(Segment)
                                   .where(CampaignSegment.campaign_id.in_(campaign_ids))).all())


def lead_ids(segment: Segment):
    """The segment's leads, computed now from its saved filter."""
    return filters.lead_ids(segment.filters)
