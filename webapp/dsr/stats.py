"""Deadlines met per month (closed requests), for the console's chart."""

from __future__ import annotations

from collections import OrderedDict

from sqlalchemy import select

from webapp.dsr.deadlines import local_day
from webapp.dsr.models import DataRequest
from webapp.extensions import db


def deadlines_met(months: int = 12) -> list[dict]:
    rows = db.session.scalars(select(DataRequest).where(DataRequest.closed_at.is_not(None))
                              .order_by(DataRequest.closed_at))
    buckets: OrderedDict[str, dict] = OrderedDict()
    for request in rows:
        closed = local_day(request.closed_at)
        bucket = buckets.setdefault(f"{closed:%Y-%m}", {"month": f"{closed:%Y-%m}", "met": 0, "late": 0})
        bucket["met" if closed <= request.deadline else "late"] += 1
    return list(buckets.values())[-months:]


def chart(data: list[dict], width: int = 640, height: int = 160) -> dict:
    """Bar geometry for the server-rendered SVG (no chart library, no inline styles)."""
    top = max([d["met"] + d["late"] for d in data] or [1]) or 1
    step = width / max(len(data), 1)
    bars = []
    for index, d in enumerate(data):
        met_h = d["met"] / top * (height - 20)
        late_h = d["late"] / top * (height - 20)
        x = index * step + step * 0.15
        bars.append({"x": round(x, 1), "w": round(step * 0.7, 1), "met_y": round(height - 20 - met_h, 1),
                     "met_h": round(met_h, 1), "late_y": round(height - 20 - met_h - late_h, 1),
                     "late_h": round(late_h, 1), **d})
    return {"width": width, "height": height, "bars": bars}
