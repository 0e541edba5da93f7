"""Writes to the directory: a manager's hours, closures, spaces and prices.

Every function checks that the actor manages the centre (``NotAllowed`` otherwise),
validates with a translated message per field, and relies on the database
constraints as the last word.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, time
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from centres import selectors
from centres.hours import local_today
from centres.models import (
    Centre,
    Closure,
    DurationRule,
    OpeningHours,
    Space,
    SpaceKind,
    StaffMembership,
    StaffRole,
)
from erozgar import text
from erozgar.errors import Conflict, DomainError, NotAllowed

RATE_FIELDS = ("rate_hourly_pkr", "rate_daily_pkr", "rate_monthly_pkr")
SPACE_FIELDS = ("kind", "label", "floor", "capacity", "in_service", *RATE_FIELDS)
MAX_RATE_PKR = 10_000_000


def ensure_manager(actor: Any, centre: Centre) -> None:
    if not selectors.is_manager_of(actor, centre):
        raise NotAllowed(_("Only a manager of this centre can change it."))


# --- opening hours ------------------------------------------------------------------------


@dataclass(frozen=True)
class HoursInput:
    weekday: int
    opens_at: time
    closes_at: time


def _minutes(t: time) -> int:
    return t.hour * 60 + t.minute


def validate_hours(rows: Sequence[HoursInput]) -> None:
    """Each interval non-empty, on a real weekday, and no two overlapping (late shifts included)."""
    errors: list[str] = []
    week = 7 * 24 * 60
    spans: list[tuple[int, int, HoursInput]] = []
    for row in rows:
        if not 0 <= row.weekday <= 6:
            errors.append(_("Weekday must be between 0 (Monday) and 6 (Sunday)."))
            continue
        if row.opens_at == row.closes_at:
            errors.append(
                _("%(day)s: opening and closing times cannot be the same.")
                % {"day": OpeningHours.Weekday(row.weekday).label}
            )
            continue
        start = row.weekday * 24 * 60 + _minutes(row.opens_at)
        length = (_minutes(row.closes_at) - _minutes(row.opens_at)) % (24 * 60)
        spans.append((start, start + length, row))
    spans.sort(key=lambda s: s[0])
    # Compare every pair on the weekly circle (Sunday's late shift runs into Monday).
    for i, (a_start, a_end, a_row) in enumerate(spans):
        for b_start, b_end, b_row in spans[i + 1 :]:
            overlaps = a_start < b_end and b_start < a_end
            wraps = a_end > week and b_start < a_end - week
            wraps = wraps or (b_end > week and a_start < b_end - week)
            if overlaps or wraps:
                errors.append(
                    _("%(first)s overlaps %(second)s.")
                    % {"first": _describe(a_row), "second": _describe(b_row)}
                )
    if errors:
        raise DomainError(errors[0], code="invalid_hours", fields={"hours": errors})


def _describe(row: HoursInput) -> str:
    return f"{OpeningHours.Weekday(row.weekday).label} {row.opens_at:%H:%M}-{row.closes_at:%H:%M}"


@transaction.atomic
def centre_set_hours(*, actor: Any, centre: Centre, rows: Sequence[HoursInput]) -> list[OpeningHours]:
    """Replace the centre's weekly opening hours. A weekday without rows is closed."""
    ensure_manager(actor, centre)
    return _replace_hours(centre=centre, rows=rows)


def _replace_hours(*, centre: Centre, rows: Sequence[HoursInput]) -> list[OpeningHours]:
    validate_hours(rows)
    Centre.objects.select_for_update().filter(pk=centre.pk).first()
    OpeningHours.objects.filter(centre=centre).delete()
    return OpeningHours.objects.bulk_create(
        [
            OpeningHours(centre=centre, weekday=r.weekday, opens_at=r.opens_at, closes_at=r.closes_at)
            for r in rows
        ]
    )


# --- closures --------------------------------------------------------------------------------


@transaction.atomic
def closure_add(*, actor: Any, centre: Centre, day: date, reason: str = "") -> Closure:
    """Close the centre on ``day`` (a holiday, Eid). Past dates are refused."""
    ensure_manager(actor, centre)
    if day < local_today():
        raise DomainError(
            _("A closure cannot be in the past."), fields={"date": [_("Choose today or a later date.")]}
        )
    reason = reason.strip()
    text.refuse_unsafe(reason=reason)
    if len(reason) > 200:
        raise DomainError(_("Keep the reason under 200 characters."), fields={"reason": [_("Too long.")]})
    try:
        with transaction.atomic():
            return Closure.objects.create(centre=centre, date=day, reason=reason)
    except IntegrityError as exc:
        raise Conflict(
            _("The centre is already closed on %(date)s.") % {"date": day.isoformat()},
            fields={"date": [_("Already closed on this date.")]},
        ) from exc


@transaction.atomic
def closure_remove(*, actor: Any, centre: Centre, closure_id: int) -> None:
    ensure_manager(actor, centre)
    deleted, _rows = Closure.objects.filter(centre=centre, pk=closure_id).delete()
    if not deleted:
        raise DomainError(_("That closure does not exist at this centre."), code="not_found")


# --- spaces and prices ---------------------------------------------------------------------------


def validate_space(space: Space) -> None:
    """The rules every space follows, from the portal, the API or a CSV import."""
    errors: dict[str, list[str]] = {}
    for field in RATE_FIELDS:
        value = getattr(space, field)
        if value is not None and (value < 0 or value > MAX_RATE_PKR):
            errors.setdefault(field, []).append(_("Enter a price between 0 and 10,000,000 rupees."))
    if not (space.label or "").strip():
        errors.setdefault("label", []).append(_("Give the space a label, for example WS-001."))
    if space.kind not in SpaceKind.values:
        errors.setdefault("kind", []).append(_("Choose a kind of space."))
    if space.capacity is None or space.capacity < 1:
        errors.setdefault("capacity", []).append(_("Head count must be at least 1."))
    if space.kind in (SpaceKind.WORKSTATION, SpaceKind.CABIN) and space.capacity and space.capacity > 1:
        errors.setdefault("capacity", []).append(_("A workstation or cabin seats one person."))
    if all(getattr(space, f) is None for f in RATE_FIELDS):
        errors.setdefault("rate_daily_pkr", []).append(
            _("Set at least one price (hourly, daily or monthly).")
        )
    if not errors:
        try:
            space.full_clean(exclude=["centre"], validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            errors = {k: [str(m) for m in v] for k, v in exc.message_dict.items()}
    if errors:
        first = next(iter(errors.values()))[0]
        raise DomainError(first, fields=errors)


def _save_space(space: Space) -> Space:
    validate_space(space)
    try:
        with transaction.atomic():
            space.save()
    except IntegrityError as exc:
        raise Conflict(
            _("Another space at this centre is already labelled %(label)s.") % {"label": space.label},
            fields={"label": [_("Labels must be unique within a centre.")]},
        ) from exc
    return space


@transaction.atomic
def space_create(
    *,
    actor: Any,
    centre: Centre,
    kind: str,
    label: str,
    floor: str = "",
    capacity: int = 1,
    in_service: bool = True,
    rate_hourly_pkr: int | None = None,
    rate_daily_pkr: int | None = None,
    rate_monthly_pkr: int | None = None,
) -> Space:
    ensure_manager(actor, centre)
    space = Space(
        centre=centre,
        kind=kind,
        label=label.strip(),
        floor=floor.strip(),
        capacity=capacity,
        in_service=in_service,
        rate_hourly_pkr=rate_hourly_pkr,
        rate_daily_pkr=rate_daily_pkr,
        rate_monthly_pkr=rate_monthly_pkr,
    )
    return _save_space(space)


@transaction.atomic
def space_update(*, actor: Any, space: Space, **changes: Any) -> Space:
    """Change a space's label, floor, head count, service flag or prices (only the keys given)."""
    ensure_manager(actor, space.centre)
    unknown = set(changes) - set(SPACE_FIELDS)
    if unknown:
        raise DomainError(
            _("These fields cannot be changed: %(fields)s.") % {"fields": ", ".join(sorted(unknown))}
        )
    space = Space.objects.select_for_update().select_related("centre").get(pk=space.pk)
    if "kind" in changes and changes["kind"] != space.kind:
        # Bookings and their rules depend on the kind; a different kind is a different space.
        raise DomainError(
            _("The kind of a space cannot change; add a new space instead."),
            fields={"kind": [_("The kind of a space cannot change; add a new space instead.")]},
        )
    for field, value in changes.items():
        setattr(space, field, value.strip() if isinstance(value, str) else value)
    return _save_space(space)


@transaction.atomic
def spaces_set_rates(
    *,
    actor: Any,
    centre: Centre,
    kind: str,
    rate_hourly_pkr: int | None,
    rate_daily_pkr: int | None,
    rate_monthly_pkr: int | None,
) -> int:
    """Set one rate card on every space of a kind at the centre. Returns how many changed."""
    ensure_manager(actor, centre)
    if kind not in SpaceKind.values:
        raise DomainError(_("Choose a kind of space."), fields={"kind": [_("Choose a kind of space.")]})
    probe = Space(
        centre=centre,
        kind=kind,
        label="probe",
        capacity=1,
        rate_hourly_pkr=rate_hourly_pkr,
        rate_daily_pkr=rate_daily_pkr,
        rate_monthly_pkr=rate_monthly_pkr,
    )
    validate_space(probe)
    return Space.objects.filter(centre=centre, kind=kind).update(
        rate_hourly_pkr=rate_hourly_pkr, rate_daily_pkr=rate_daily_pkr, rate_monthly_pkr=rate_monthly_pkr
    )


# --- booking rules ------------------------------------------------------------------------------

RULE_LIMITS = {
    "booking_horizon_days": (1, 366),
    "cancellation_cutoff_minutes": (0, 7 * 24 * 60),
    "checkin_grace_minutes": (5, 4 * 60),
    "max_active_bookings": (1, 50),
}
MAX_BOOKING_MINUTES = 24 * 60


@transaction.atomic
def centre_set_booking_rules(
    *,
    actor: Any,
    centre: Centre,
    booking_horizon_days: int,
    cancellation_cutoff_minutes: int,
    checkin_grace_minutes: int,
    max_active_bookings: int,
    durations: dict[str, tuple[int, int] | None],
) -> Centre:
    """Set the rules the bookings app applies at this centre.

    ``durations`` maps a space kind to (min, max) minutes, or None to fall back to the default.
    """
    ensure_manager(actor, centre)
    values = {
        "booking_horizon_days": booking_horizon_days,
        "cancellation_cutoff_minutes": cancellation_cutoff_minutes,
        "checkin_grace_minutes": checkin_grace_minutes,
        "max_active_bookings": max_active_bookings,
    }
    errors: dict[str, list[str]] = {}
    for field, value in values.items():
        low, high = RULE_LIMITS[field]
        if not low <= value <= high:
            errors[field] = [_("Enter a number from %(low)s to %(high)s.") % {"low": low, "high": high}]
    for kind, limits in durations.items():
        if kind not in SpaceKind.values:
            errors.setdefault("durations", []).append(_("Choose a kind of space."))
        elif limits is not None:
            low, high = limits
            if low < 30 or high > MAX_BOOKING_MINUTES or high < low:
                errors[f"{kind}_min"] = [
                    _(
                        "%(kind)s: the shortest booking is at least 30 minutes, "
                        "the longest at most 24 hours and "
                        "not shorter than the shortest."
                    )
                    % {"kind": SpaceKind(kind).label}
                ]
    if errors:
        raise DomainError(next(iter(errors.values()))[0], fields=errors)
    Centre.objects.filter(pk=centre.pk).update(**values)
    for field, value in values.items():
        setattr(centre, field, value)
    for kind, limits in durations.items():
        if limits is None:
            DurationRule.objects.filter(centre=centre, kind=kind).delete()
        else:
            DurationRule.objects.update_or_create(
                centre=centre, kind=kind, defaults={"min_minutes": limits[0], "max_minutes": limits[1]}
            )
    return centre


# --- staff ---------------------------------------------------------------------------------------


@transaction.atomic
def staff_assign(*, centre: Centre, user: Any, role: str = StaffRole.DESK) -> StaffMembership:
    """Give a person a role at a centre (PSEB admin work, called from the admin and seeding)."""
    membership, _created = StaffMembership.objects.update_or_create(
        user=user, centre=centre, defaults={"role": role}
    )
    return membership


def hours_inputs(rows: Iterable[tuple[int, time, time]]) -> list[HoursInput]:
    return [HoursInput(weekday=w, opens_at=o, closes_at=c) for w, o, c in rows]
