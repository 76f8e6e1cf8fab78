"""The credits page's chart: points granted, spent and expired per day over the last 90 days,
drawn as an SVG on the server (no script, no library). Grants rise above the baseline, spending
and expiry hang below it, on one scale; the figures come from one grouped query
(credits.selectors.daily_flows_of), the days in the reader's time zone."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta, tzinfo

from credits.selectors import daily_flows_of

CHART_DAYS = 90
SLOT = 8  # viewBox units per day: a 6-unit bar and a 2-unit gap
BAR = 6
HEIGHT = 160
MIN_BAR = 1.5  # a non-zero day stays visible however small beside the largest


@dataclass(frozen=True)
class Bar:
    kind: str  # granted, spent or expired: the CSS class that colours it
    day: date
    value: int
    x: int
    y: float
    height: float


def _rounded(value: float) -> float:
    return round(value, 2)


def daily_chart(*, user_id: int, today: date, tz: tzinfo, days: int = CHART_DAYS) -> dict:
    """What the template draws: `bars`, the `rows` of the days that had entries (for the data
    table), `totals`, the window (`start`, `end`), the viewBox (`width`, `height`) and the
    `baseline`. `empty` when nothing happened in the window."""
    start = today - timedelta(days=days - 1)
    rows = daily_flows_of(user_id=user_id, start=start, end=today, tz=tz)
    totals = {key: sum(r[key] for r in rows) for key in ("granted", "spent", "expired")}
    chart = {"start": start, "end": today, "days": days, "rows": rows, "totals": totals, "width": days * SLOT,
             "height": HEIGHT, "baseline": 0.0, "bars": [], "empty": not rows}
    if not rows:
        return chart
    # A day that only gave points back has negative spending: drawn as nothing, kept in the table.
    up = max(max(r["granted"], 0) for r in rows)
    down = max(max(r["spent"], 0) + max(r["expired"], 0) for r in rows)
    scale = (HEIGHT - 2) / ((up + down) or 1)
    baseline = 1 + up * scale
    bars: list[Bar] = []
    for row in rows:
        x = (row["date"] - start).days * SLOT + (SLOT - BAR) // 2
        granted, spent, expired = (max(row[k], 0) for k in ("granted", "spent", "expired"))
        if granted:
            h = max(granted * scale, MIN_BAR)
            bars.append(Bar("granted", row["date"], row["granted"], x, _rounded(baseline - h), _rounded(h)))
        below = baseline
        for kind, value in (("spent", spent), ("expired", expired)):
            if value:
                h = max(value * scale, MIN_BAR)
                bars.append(Bar(kind, row["date"], row[kind], x, _rounded(below), _rounded(h)))
                below += h
    chart.update(bars=bars, baseline=_rounded(baseline), height=max(HEIGHT, int(max(
        (b.y + b.height for b in bars), default=HEIGHT) + 1)))
    return chart
