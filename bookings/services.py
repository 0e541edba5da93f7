"""Writes: making a booking, and every later change of its status (the lifecycle).

Every path that books (browser, API, the desk) goes through ``booking_create``; every
status change goes through ``_transition`` and its table. Each writes a BookingEvent
in the same transaction.

Locking: a person's bookings are serialised with a transaction-level advisory lock on
their id (so the active-booking cap holds under concurrency); spaces are not locked at
all: the exclusion constraint decides who wins, and the loser gets a Conflict.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from centres import selectors as centre_selectors
from centres.hours import LOCAL_TZ, Interval
from centres.models import SEAT_KINDS, Space
from erozgar.errors import Conflict, DomainError, InvalidTransition, NotAllowed

from . import rules, selectors
from .eligibility import eligibility
from .models import HOLDING_STATUSES, Booking, BookingEvent, BookingStatus, Product, Source

# Namespace of the advisory lock taken per person while booking (any fixed int4 works).
_PERSON_LOCK_NAMESPACE = 5_000_001
_REFERENCE_ATTEMPTS = 5


def _local(moment: datetime) -> datetime:
    return moment.astimezone(LOCAL_TZ)


def _time(moment: datetime) -> str:
    return date_format(_local(moment), "H:i")


def _day(moment: datetime) -> str:
    return date_format(_local(moment), "l j F Y")


def _format_intervals(intervals: list[Interval]) -> str:
    return ", ".join(f"{_time(i.start)}-{_time(i.end)}" for i in intervals)


def _refuse(field: str, message: str, code: str) -> DomainError:
    return DomainError(message, code=code, fields={field: [message]})


def _lock_person(user_id: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_PERSON_LOCK_NAMESPACE, user_id % 2_147_483_647])


# --- making a booking -------------------------------------------------------------------------


def _check_times(starts_at: Any, ends_at: Any) -> None:
    for field, value in (("starts_at", starts_at), ("ends_at", ends_at)):
        if not isinstance(value, datetime):
            raise _refuse(field, _("Give a date and time, for example 2026-12-01T10:00:00+05:00."), "invalid_time")
        if timezone.is_naive(value):
            raise _refuse(
                field,
                _("Give the time with its time zone, for example 2026-12-01T10:00:00+05:00 for Pakistan time."),
                "naive_time",
            )
    if ends_at == starts_at:
        raise _refuse("ends_at", _("The booking has no length: it ends when it starts."), "zero_length")
    if ends_at < starts_at:
        raise _refuse("ends_at", _("The end time is before the start time."), "ends_before_start")


def _check_space(space: Space) -> None:
    if not space.centre.is_bookable:
        raise _refuse(
            "space",
            _("%(centre)s is not taking bookings at the moment.") % {"centre": space.centre.name},
            "centre_not_bookable",
        )
    if not space.in_service:
        raise _refuse("space", _("%(space)s is out of service.") % {"space": space.label}, "space_out_of_service")


def _check_when(space: Space, starts_at: datetime, now: datetime) -> None:
    centre = space.centre
    if starts_at < now:
        raise _refuse("starts_at", _("That time has already passed. Pick a time from now on."), "in_the_past")
    last_day = _local(now).date() + timedelta(days=centre.booking_horizon_days)
    if _local(starts_at).date() > last_day:
        raise _refuse(
            "starts_at",
            _("%(centre)s takes bookings up to %(days)s days ahead: pick a day up to %(last)s.")
            % {"centre": centre.name, "days": centre.booking_horizon_days, "last": date_format(last_day, "j F Y")},
            "beyond_horizon",
        )


def _closed_message(space: Space, day: Any) -> str:
    return _("%(centre)s is closed on %(day)s.") % {"centre": space.centre.name, "day": date_format(day, "l j F Y")}


def _check_product(space: Space, product: str, starts_at: datetime, ends_at: datetime, standing: Any) -> None:
    """The product's own shape: grid and hours (hourly), opening to closing (day pass), a month (monthly)."""
    centre = space.centre
    day = _local(starts_at).date()
    if product == Product.HOURLY:
        if not (rules.on_grid(starts_at) and rules.on_grid(ends_at)):
            raise _refuse(
                "starts_at" if not rules.on_grid(starts_at) else "ends_at",
                _("Bookings start and end on the hour or the half hour (for example 10:00 or 10:30)."),
                "off_grid",
            )
        minutes = rules.minutes_between(starts_at, ends_at)
        shortest, longest = centre_selectors.duration_limits(centre, space.kind)
        if minutes < shortest:
            raise _refuse(
                "ends_at",
                _("A %(kind)s is booked for at least %(min)s minutes.")
                % {"kind": space.get_kind_display().lower(), "min": shortest},
                "too_short",
            )
        if minutes > longest:
            raise _refuse(
                "ends_at",
                _("A %(kind)s can be booked for at most %(hours)s hours at a time.")
                % {"kind": space.get_kind_display().lower(), "hours": f"{longest / 60:g}"},
                "too_long",
            )
        if centre_selectors.covering_interval(centre, starts_at, ends_at) is None:
            opening = centre_selectors.opening_intervals(centre, day)
            if not opening:
                raise _refuse("starts_at", _closed_message(space, day), "closed")
            raise _refuse(
                "starts_at",
                _("That time is outside opening hours. On %(day)s %(centre)s is open %(hours)s.")
                % {"day": date_format(day, "l j F"), "centre": centre.name, "hours": _format_intervals(opening)},
                "outside_hours",
            )
    elif product == Product.DAY_PASS:
        window = rules.day_pass_window(centre_selectors.opening_intervals(centre, day))
        if window is None:
            raise _refuse("starts_at", _closed_message(space, day), "closed")
        if (starts_at, ends_at) != (window.start, window.end):
            raise _refuse(
                "starts_at",
                _("A day pass runs from opening to closing: %(hours)s on %(day)s.")
                % {"hours": f"{_time(window.start)}-{_time(window.end)}", "day": date_format(day, "l j F")},
                "day_pass_window",
            )
    elif product == Product.MONTHLY:
        if space.kind not in SEAT_KINDS:
            raise _refuse(
                "product", _("Monthly plans are for workstations and cabins only."), "monthly_not_offered"
            )
        if not standing.may_book_monthly:
            raise _refuse(
                "product",
                _("A monthly seat plan needs an approved registration. Yours is still being reviewed."),
                "monthly_needs_approval",
            )
        window = rules.month_window(day)
        if (starts_at, ends_at) != (window.start, window.end):
            raise _refuse(
                "starts_at",
                _("A monthly plan covers a whole calendar month, from the 1st at midnight to the 1st of the next."),
                "month_window",
            )
    else:
        raise _refuse("product", _("Choose hourly, day pass or monthly."), "unknown_product")


def _price(space: Space, product: str, starts_at: datetime, ends_at: datetime) -> int:
    price = rules.product_price(
        product,
        rate_hourly=space.rate_hourly_pkr,
        rate_daily=space.rate_daily_pkr,
        rate_monthly=space.rate_monthly_pkr,
        minutes=rules.minutes_between(starts_at, ends_at),
    )
    if price is None:
        label = Product(product).label
        raise _refuse(
            "product",
            _("%(space)s is not offered as “%(product)s”.") % {"space": space.label, "product": label},
            "no_rate",
        )
    return price


def _check_person(user: Any, space: Space, starts_at: datetime, ends_at: datetime, now: datetime) -> None:
    """The cap on active bookings at this centre, and one seat per person at a time."""
    holds_seat = space.kind in SEAT_KINDS
    mine = list(
        Booking.objects.filter(user_id=user.pk, status__in=HOLDING_STATUSES, ends_at__gt=now)
        .select_related("space", "centre")
        .order_by("starts_at")
    )
    if holds_seat:
        for other in mine:
            if other.holds_seat and other.starts_at < ends_at and starts_at < other.ends_at:
                raise _seat_taken_error(other)
    at_centre = [b for b in mine if b.centre_id == space.centre_id]
    cap = space.centre.max_active_bookings
    if len(at_centre) >= cap:
        raise DomainError(
            _(
                "You already have %(count)s active bookings at %(centre)s, the most allowed. "
                "Cancel one or wait until one has ended."
            )
            % {"count": len(at_centre), "centre": space.centre.name},
            code="too_many_bookings",
            fields={"non_field_errors": [_("You have reached the limit of %(cap)s active bookings.") % {"cap": cap}]},
        )


def _seat_taken_error(other: Booking | None) -> DomainError:
    if other is None:
        message = _("You already hold a seat for part of that time. One seat per person at a time.")
    else:
        message = _(
            "You already hold %(space)s at %(centre)s on %(day)s, %(start)s-%(end)s. One seat per person at a time."
        ) % {
            "space": other.space.label,
            "centre": other.centre.name,
            "day": _day(other.starts_at),
            "start": _time(other.starts_at),
            "end": _time(other.ends_at),
        }
    return DomainError(message, code="one_seat_per_person", fields={"starts_at": [message]})


def _alternatives(space: Space, starts_at: datetime, ends_at: datetime) -> dict[str, Any]:
    spaces = selectors.free_spaces_like(space, starts_at, ends_at)
    times = selectors.nearest_free_times(space, starts_at, ends_at)
    return {
        "spaces": [{"id": s.pk, "label": s.label, "kind": s.kind} for s in spaces],
        "times": [{"starts_at": t.start.isoformat(), "ends_at": t.end.isoformat()} for t in times],
    }


def _constraint_name(exc: IntegrityError) -> str:
    diag = getattr(exc.__cause__, "diag", None)
    return getattr(diag, "constraint_name", "") or ""


@transaction.atomic
def booking_create(
    *,
    user: Any,
    space: Space,
    starts_at: datetime,
    ends_at: datetime,
    product: str = Product.HOURLY,
    created_by: Any = None,
    source: str = Source.ONLINE,
    notify: bool = True,
    now: datetime | None = None,
) -> Booking:
    """Book ``space`` for ``user`` from ``starts_at`` to ``ends_at``, or say exactly why not.

    Raises DomainError (a rule, with field messages) or Conflict (someone else holds the
    space for part of that time; ``extra["alternatives"]`` lists free spaces and times).
    A desk booking (``source="desk"``, ``created_by`` staff of the centre) may be for a walk-in
    whose registration is not submitted yet: the desk has seen them in person. ``notify``
    False skips the confirmation email (a walk-in without email, demo data).
    """
    now = now or timezone.now()
    _check_times(starts_at, ends_at)
    fresh = Space.objects.select_related("centre").filter(pk=space.pk).first() if space.pk else None
    if fresh is None:
        raise _refuse("space", _("There is no space with that id."), "no_such_space")
    space = fresh
    standing = eligibility(user)
    by_desk = (
        source == Source.DESK
        and created_by is not None
        and centre_selectors.is_staff_of(created_by, space.centre_id)
    )
    if not standing.may_book and not by_desk:
        raise DomainError(
            standing.next_step, code="registration_required", fields={"non_field_errors": [standing.next_step]}
        )
    _check_space(space)
    _check_when(space, starts_at, now)
    _check_product(space, product, starts_at, ends_at, standing)
    price = _price(space, product, starts_at, ends_at)

    _lock_person(user.pk)
    _check_person(user, space, starts_at, ends_at, now)

    for _attempt in range(_REFERENCE_ATTEMPTS):
        try:
            with transaction.atomic():
                booking = Booking.objects.create(
                    user=user,
                    space=space,
                    centre=space.centre,
                    product=product,
                    starts_at=starts_at,
                    ends_at=ends_at,
                    price_pkr=price,
                    holds_seat=space.kind in SEAT_KINDS,
                    source=source,
                    created_by=created_by or user,
                )
                BookingEvent.objects.create(
                    booking=booking,
                    actor=created_by or user,
                    action=BookingEvent.Action.CREATED,
                    to_status=BookingStatus.CONFIRMED,
                    data={"source": source, "product": product, "price_pkr": price},
                )
        except IntegrityError as exc:
            constraint = _constraint_name(exc)
            if constraint == "booking_no_overlap_per_space":
                raise Conflict(
                    _("Sorry, %(space)s was just taken for part of that time.") % {"space": space.label},
                    code="slot_taken",
                    extra={"alternatives": _alternatives(space, starts_at, ends_at)},
                ) from exc
            if constraint == "booking_one_seat_per_person":
                raise _seat_taken_error(None) from exc
            if "reference" in constraint:
                continue  # a one-in-a-trillion reference collision: draw another
            raise
        break
    else:  # pragma: no cover - needs five reference collisions in a row
        raise DomainError(_("Please try again."), code="retry")

    if notify and booking.user.email:
        from .notifications import queue_confirmation

        queue_confirmation(booking)
    return booking


# --- the lifecycle ---------------------------------------------------------------------------

# Every allowed status change, in one place. Anything else is an InvalidTransition.
TRANSITIONS: dict[str, frozenset[str]] = {
    BookingStatus.CONFIRMED: frozenset({BookingStatus.CHECKED_IN, BookingStatus.CANCELLED, BookingStatus.NO_SHOW}),
    BookingStatus.CHECKED_IN: frozenset({BookingStatus.COMPLETED}),
    BookingStatus.COMPLETED: frozenset(),
    BookingStatus.CANCELLED: frozenset(),
    BookingStatus.NO_SHOW: frozenset(),
}


def can_transition(booking: Booking, to: str) -> bool:
    return to in TRANSITIONS.get(booking.status, frozenset())


def _transition(
    booking: Booking,
    *,
    to: str,
    actor: Any,
    action: str,
    reason: str = "",
    changes: dict[str, Any] | None = None,
    data: dict[str, Any] | None = None,
) -> Booking:
    """Move ``booking`` to ``to`` if the table allows it and nobody changed it meanwhile."""
    from_status = booking.status
    if not can_transition(booking, to):
        raise InvalidTransition(
            _("A booking that is “%(from)s” cannot become “%(to)s”.")
            % {"from": BookingStatus(from_status).label, "to": BookingStatus(to).label},
            extra={"status": from_status},
        )
    changes = {**(changes or {}), "status": to, "updated_at": timezone.now()}
    # A conditional UPDATE: two desks pressing at once cannot both move the booking.
    if not Booking.objects.filter(pk=booking.pk, status=from_status).update(**changes):
        raise InvalidTransition(
            _("This booking was changed by someone else a moment ago. Reload the page and try again."),
            code="stale",
        )
    for name, value in changes.items():
        setattr(booking, name, value)
    BookingEvent.objects.create(
        booking=booking,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        from_status=from_status,
        to_status=to,
        reason=reason[:300],
        data=data or {},
    )
    return booking


def _is_centre_staff(actor: Any, booking: Booking) -> bool:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return False
    return bool(actor.is_superuser) or centre_selectors.is_staff_of(actor, booking.centre_id)


def _require_staff(actor: Any, booking: Booking) -> None:
    """``actor`` None is the system (a scheduled job); a person must work at the booking's centre."""
    if actor is not None and not _is_centre_staff(actor, booking):
        raise NotAllowed(_("Only staff of this centre can do that."))


@transaction.atomic
def booking_cancel(*, booking: Booking, actor: Any, reason: str = "", now: datetime | None = None) -> Booking:
    """The person cancels before the cut-off; centre staff cancel any time, giving a reason."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    booking = Booking.objects.select_related("centre", "space").get(pk=booking.pk)
    is_owner = actor is not None and actor.pk == booking.user_id
    if not is_owner and not _is_centre_staff(actor, booking):
        raise NotAllowed(_("You can only cancel your own bookings."))
    if not can_transition(booking, BookingStatus.CANCELLED):
        raise InvalidTransition(
            _("This booking is “%(status)s” and can no longer be cancelled.")
            % {"status": booking.get_status_display()},
            extra={"status": booking.status},
        )
    if is_owner and not _is_centre_staff(actor, booking):
        cutoff = booking.starts_at - timedelta(minutes=booking.centre.cancellation_cutoff_minutes)
        if now > cutoff:
            raise DomainError(
                _(
                    "Bookings can be cancelled up to %(minutes)s minutes before they start. "
                    "Please call or visit the centre's desk."
                )
                % {"minutes": booking.centre.cancellation_cutoff_minutes},
                code="past_cutoff",
            )
    elif not reason:
        raise DomainError(
            _("Give a reason: the person will see it."), code="reason_required", fields={"reason": [_("Required.")]}
        )
    return _transition(
        booking,
        to=BookingStatus.CANCELLED,
        actor=actor,
        action=BookingEvent.Action.CANCELLED,
        reason=reason,
        changes={"cancelled_at": now, "cancel_reason": reason[:300]},
        data={"by": "owner" if is_owner else "staff"},
    )


@transaction.atomic
def booking_check_in(*, booking: Booking, actor: Any, now: datetime | None = None) -> Booking:
    """Desk check-in: from ``checkin_opens_minutes`` before the start until the booking ends."""
    now = now or timezone.now()
    booking = Booking.objects.select_related("centre").get(pk=booking.pk)
    _require_staff(actor, booking)
    if can_transition(booking, BookingStatus.CHECKED_IN):
        opens = booking.starts_at - timedelta(minutes=booking.centre.checkin_opens_minutes)
        if now < opens:
            raise DomainError(
                _("Check-in opens at %(time)s on %(day)s.") % {"time": _time(opens), "day": _day(opens)},
                code="too_early",
            )
        if now >= booking.ends_at:
            raise DomainError(_("This booking has already ended."), code="too_late")
    return _transition(
        booking,
        to=BookingStatus.CHECKED_IN,
        actor=actor,
        action=BookingEvent.Action.CHECKED_IN,
        changes={"checked_in_at": now},
    )


@transaction.atomic
def booking_check_out(*, booking: Booking, actor: Any, now: datetime | None = None) -> Booking:
    """The person leaves: checked in -> completed, with the time they left."""
    now = now or timezone.now()
    booking = Booking.objects.select_related("centre").get(pk=booking.pk)
    _require_staff(actor, booking)
    return _transition(
        booking,
        to=BookingStatus.COMPLETED,
        actor=actor,
        action=BookingEvent.Action.CHECKED_OUT,
        changes={"checked_out_at": now},
    )


@transaction.atomic
def booking_complete(*, booking: Booking, actor: Any = None, now: datetime | None = None) -> Booking:
    """Close a checked-in booking whose time is over (nobody checked the person out)."""
    now = now or timezone.now()
    booking = Booking.objects.select_related("centre").get(pk=booking.pk)
    _require_staff(actor, booking)
    if can_transition(booking, BookingStatus.COMPLETED) and now < booking.ends_at:
        raise DomainError(_("This booking has not ended yet; check the person out instead."), code="not_ended")
    return _transition(
        booking,
        to=BookingStatus.COMPLETED,
        actor=actor,
        action=BookingEvent.Action.COMPLETED,
        changes={"checked_out_at": booking.checked_out_at or booking.ends_at},
    )


@transaction.atomic
def booking_mark_no_show(
    *, booking: Booking, actor: Any = None, reason: str = "", now: datetime | None = None
) -> Booking:
    """Release a booking nobody checked in for within the grace period. Kept for reports."""
    now = now or timezone.now()
    booking = Booking.objects.select_related("centre").get(pk=booking.pk)
    _require_staff(actor, booking)
    if can_transition(booking, BookingStatus.NO_SHOW):
        release_at = booking.starts_at + timedelta(minutes=booking.centre.checkin_grace_minutes)
        if now < release_at:
            raise DomainError(
                _("The person has until %(time)s to check in.") % {"time": _time(release_at)}, code="in_grace"
            )
    return _transition(
        booking,
        to=BookingStatus.NO_SHOW,
        actor=actor,
        action=BookingEvent.Action.NO_SHOW,
        reason=reason or _("Not checked in within the grace period."),
    )


__all__ = [
    "TRANSITIONS",
    "booking_cancel",
    "booking_check_in",
    "booking_check_out",
    "booking_complete",
    "booking_create",
    "booking_mark_no_show",
    "can_transition",
    "idempotency_keys_purge",
]


# --- housekeeping ----------------------------------------------------------------------------

IDEMPOTENCY_KEY_LIFETIME = timedelta(hours=24)


def idempotency_keys_purge(*, now: datetime | None = None) -> int:
    """Delete stored API answers older than ``IDEMPOTENCY_KEY_LIFETIME``; returns how many went."""
    from .models import IdempotencyKey

    cutoff = (now or timezone.now()) - IDEMPOTENCY_KEY_LIFETIME
    deleted, _rows = IdempotencyKey.objects.filter(created_at__lt=cutoff).delete()
    return deleted
