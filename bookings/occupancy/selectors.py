"""Reads: occupancy rolled up in SQL by centre, city, province, tier, kind, day or hour."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import Max, QuerySet, Sum
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from centres.models import Province, SpaceKind, Tier

from ..models import OccupancyHour

# What each grouping selects, in the order the rows are sorted.
GROUPINGS: dict[str, tuple[str, ...]] = {
    "centre": ("centre__name", "centre_id", "centre__city"),
    "city": ("centre__city", "centre__province"),
    "province": ("centre__province",),
    "tier": ("centre__tier",),
    "kind": ("kind",),
    "day": ("day",),
    "hour": ("hour",),
}


@dataclass(frozen=True)
class OccupancyRow:
    key: str
    label: str
    bookable_minutes: int
    booked_minutes: int
    checked_in_minutes: int

    @property
    def bookable_hours(self) -> float:
        return round(self.bookable_minutes / 60, 1)

    @property
    def booked_hours(self) -> float:
        return round(self.booked_minutes / 60, 1)

    @property
    def checked_in_hours(self) -> float:
        return round(self.checked_in_minutes / 60, 1)

    @property
    def booked_percent(self) -> float:
        return round(100 * self.booked_minutes / self.bookable_minutes, 1) if self.bookable_minutes else 0.0

    @property
    def checked_in_percent(self) -> float:
        return (
            round(100 * self.checked_in_minutes / self.bookable_minutes, 1) if self.bookable_minutes else 0.0
        )


def _label(group_by: str, values: dict[str, Any]) -> tuple[str, str]:
    """(a stable key for CSV and links, a label in the reader's language) for one group."""
    if group_by == "centre":
        return str(values["centre_id"]), f"{values['centre__name']} ({values['centre__city']})"
    if group_by == "city":
        province = Province(values["centre__province"]).label
        return (
            f"{values['centre__city']}/{values['centre__province']}",
            f"{values['centre__city']} ({province})",
        )
    if group_by == "province":
        return values["centre__province"], str(Province(values["centre__province"]).label)
    if group_by == "tier":
        return str(values["centre__tier"]), str(Tier(values["centre__tier"]).label)
    if group_by == "kind":
        kind = values["kind"]
        return kind, str(SpaceKind(kind).label) if kind in SpaceKind.values else kind
    if group_by == "day":
        day: date = values["day"]
        return day.isoformat(), date_format(day, "D j M Y")
    hour = values["hour"]
    return str(hour), f"{hour:02d}:00–{(hour + 1) % 24:02d}:00"


def occupancy_rows(
    *,
    start: date,
    end: date,
    centre_id: int | None = None,
    province: str = "",
    city: str = "",
    tier: int | None = None,
    kind: str = "",
) -> QuerySet[OccupancyHour]:
    """The hour rows of [start, end] (local days, inclusive) matching every filter given."""
    rows = OccupancyHour.objects.filter(day__gte=start, day__lte=end)
    if centre_id is not None:
        rows = rows.filter(centre_id=centre_id)
    if province:
        rows = rows.filter(centre__province=province)
    if city:
        rows = rows.filter(centre__city__iexact=city)
    if tier:
        rows = rows.filter(centre__tier=tier)
    if kind:
        rows = rows.filter(kind=kind)
    return rows


def occupancy_summary(*, start: date, end: date, group_by: str, **filters: Any) -> list[OccupancyRow]:
    """Bookable, booked and checked-in time per group, summed by PostgreSQL (one query).

    ``filters`` are those of ``occupancy_rows`` (centre_id, province, city, tier, kind).
    """
    if group_by not in GROUPINGS:
        raise ValueError(f"cannot group occupancy by {group_by!r}")
    fields = GROUPINGS[group_by]
    totals = (
        occupancy_rows(start=start, end=end, **filters)
        .order_by()
        .values(*fields)
        .annotate(
            bookable=Sum("bookable_minutes"),
            booked=Sum("booked_minutes"),
            checked_in=Sum("checked_in_minutes"),
        )
        .order_by(*fields)
    )
    result = []
    for values in totals:
        key, label = _label(group_by, values)
        result.append(
            OccupancyRow(
                key=key,
                label=label,
                bookable_minutes=values["bookable"] or 0,
                booked_minutes=values["booked"] or 0,
                checked_in_minutes=values["checked_in"] or 0,
            )
        )
    return result


def occupancy_total(rows: list[OccupancyRow]) -> OccupancyRow:
    """All the groups together (the table's footer)."""
    return OccupancyRow(
        key="total",
        label=_("All"),
        bookable_minutes=sum(r.bookable_minutes for r in rows),
        booked_minutes=sum(r.booked_minutes for r in rows),
        checked_in_minutes=sum(r.checked_in_minutes for r in rows),
    )


def last_computed_at(*, since: date, centre_id: int | None = None) -> datetime | None:
    """When the newest row from ``since`` on was computed (the pages say how fresh the figures are)."""
    rows = OccupancyHour.objects.filter(day__gte=since)
    if centre_id is not None:
        rows = rows.filter(centre_id=centre_id)
    return rows.aggregate(at=Max("computed_at"))["at"]
