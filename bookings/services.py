"""Writes: making a booking (and the lifecycle's services, re-exported from ``lifecycle``).

Every path that books (browser, API, the desk) goes through ``booking_create``; every
status change goes through ``lifecycle._transition`` and its table. Each writes a
BookingEvent in the same transaction.

Locking: a person's bookings are serialised with a transaction-level advisory lock on
their id (so the active-booking cap holds under concurrency); spaces are not locked at
all: the exclusion constraint decides who wins, and the loser gets a Conflict.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import TextField
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from centres import selectors as centre_selectors
from centres.hours import Interval
from centres.models import SEAT_KINDS, Space
from erozgar import metrics
from erozgar.errors import Conflict, DomainError, NotAllowed
from freelancers.selectors import registration_standing_fields, standing_of

from . import rules, selectors
from .eligibility import eligibility

# The lifecycle lives in its own module; callers (the desk, views, API) import it from here.
from .lifecycle import (  # noqa: F401
    TRANSITIONS,
    booking_cancel,
    booking_check_in,
    booking_check_out,
    booking_complete,
    booking_mark_no_show,
    booking_seat_on_arrival,
    can_transition,
)
from .models import HOLDING_STATUSES, Booking, BookingEvent, BookingStatus, Product, Source
from .notifications import queue_confirmation

# Namespace of the advisory lock taken per person while booking (any fixed int4 works).
_PERSON_LOCK_NAMESPACE = 5_000_001
_REFERENCE_ATTEMPTS = 5


def _format_intervals(intervals: list[Interval]) -> str:
    return ", ".join(f"{rules.time_label(i.start)}-{rules.time_label(i.end)}" for i in intervals)


def _refuse(field: str, message: str, code: str) -> DomainError:
    return DomainError(message, code=code, fields={field: [message]})


def _person_lock(user_id: int) -> RawSQL:
    """An annotation taking the person's transaction-level advisory lock (evaluated once: one row)."""
    return RawSQL(
        "pg_advisory_xact_lock(%s, %s)::text",
        [_PERSON_LOCK_NAMESPACE, user_id % 2_147_483_647],
        output_field=TextField(),
    )


# --- making a booking -------------------------------------------------------------------------


def _check_times(starts_at: Any, ends_at: Any) -> None:
    for field, value in (("starts_at", starts_at), ("ends_at", ends_at)):
        if not isinstance(value, datetime):
            raise _refuse(
                field, _("Give a date and time, for example 2026-12-01T10:00:00+05:00."), "invalid_time"
            )
        if timezone.is_naive(value):
            raise _refuse(
                field,
                _(
                    "Give the time with its time zone, "
                    "for example 2026-12-01T10:00:00+05:00 for Pakistan time."
                ),
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
        raise _refuse(
            "space", _("%(space)s is out of service.") % {"space": space.label}, "space_out_of_service"
        )


def _check_when(
    space: Space, starts_at: datetime, ends_at: datetime, now: datetime, *, product: str, from_now: bool
) -> None:
    centre = space.centre
    # Booked from now (at the desk), the booking may have begun: the current half hour, today's day pass.
    if starts_at < now and not (from_now and now < ends_at):
        raise _refuse("starts_at", _("That time has already passed. Pick a time from now on."), "in_the_past")
    last_day = rules.last_start_day(product, rules.local(now).date(), centre.booking_horizon_days)
    if rules.local(starts_at).date() > last_day:
        raise _refuse(
            "starts_at",
            _("%(centre)s takes bookings up to %(days)s days ahead: pick a day up to %(last)s.")
            % {
                "centre": centre.name,
                "days": centre.booking_horizon_days,
                "last": date_format(last_day, "j F Y"),
            },
            "beyond_horizon",
        )


def _closed_message(space: Space, day: Any) -> str:
    return _("%(centre)s is closed on %(day)s.") % {
        "centre": space.centre.name,
        "day": date_format(day, "l j F Y"),
    }


def _check_product(space: Space, product: str, starts_at: datetime, ends_at: datetime, standing: Any) -> None:
    """The product's own shape: grid and hours (hourly), opening to closing (day pass), a month (monthly)."""
    centre = space.centre
    day = rules.local(starts_at).date()
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
                % {
                    "day": date_format(day, "l j F"),
                    "centre": centre.name,
                    "hours": _format_intervals(opening),
                },
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
                % {
                    "hours": f"{rules.time_label(window.start)}-{rules.time_label(window.end)}",
                    "day": date_format(day, "l j F"),
                },
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
                _(
                    "A monthly plan covers a whole calendar month, "
                    "from the 1st at midnight to the 1st of the next."
                ),
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
            fields={
                "non_field_errors": [
                    _("You have reached the limit of %(cap)s active bookings.") % {"cap": cap}
                ]
            },
        )


def _seat_taken_error(other: Booking | None) -> DomainError:
    if other is None:
        message = _("You already hold a seat for part of that time. One seat per person at a time.")
    else:
        message = _(
            "You already hold %(space)s at %(centre)s on %(day)s, %(start)s-%(end)s. "
            "One seat per person at a time."
        ) % {
            "space": other.space.label,
            "centre": other.centre.name,
            "day": rules.day_label(other.starts_at),
            "start": rules.time_label(other.starts_at),
            "end": rules.time_label(other.ends_at),
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


class _Refused(Exception):
    """An INSERT refused by a constraint, carried out of the rolled-back transaction."""

    def __init__(self, constraint: str, space: Space) -> None:
        super().__init__(constraint)
        self.constraint, self.space = constraint, space


def booking_create(
    *,
    user: Any,
    space: Space | int,
    starts_at: datetime,
    ends_at: datetime,
    product: str = Product.HOURLY,
    created_by: Any = None,
    source: str = Source.ONLINE,
    notify: bool = True,
    from_now: bool = False,
    now: datetime | None = None,
) -> Booking:
    """Book ``space`` for ``user`` from ``starts_at`` to ``ends_at``, or say exactly why not.

    Raises DomainError (a rule, with field messages) or Conflict (someone else holds the
    space for part of that time; ``extra["alternatives"]`` lists free spaces and times).
    A desk booking (``source="desk"``, ``created_by`` staff of the centre) may be for a walk-in
    whose registration is not submitted yet: the desk has seen them in person. ``notify``
    False skips the confirmation email (a walk-in without email, demo data).

    ``from_now`` is the desk booking for the person standing in front of it (a walk-in): the
    booking may already have begun (the current half hour, or today's day pass) as long as it
    has not ended, and the person is checked in at ``now`` in the same transaction. Only staff
    of the centre booking at the desk may.

    ``space`` may be a Space or its id: it is read again (with its centre's rules) either way.

    One transaction, no savepoint: a constraint that refuses the INSERT rolls it back, and the
    Conflict's alternatives are read after. A reference collision (one in a trillion) retries
    the whole transaction.
    """
    now = now or timezone.now()
    _check_times(starts_at, ends_at)
    for _attempt in range(_REFERENCE_ATTEMPTS):
        try:
            return _booking_create(
                user=user,
                space_id=space if isinstance(space, int) else space.pk,
                starts_at=starts_at,
                ends_at=ends_at,
                product=product,
                created_by=created_by,
                source=source,
                notify=notify,
                from_now=from_now,
                now=now,
            )
        except _Refused as refused:
            if refused.constraint == "booking_no_overlap_per_space":
                metrics.booking_conflict(code="slot_taken")
                taken = refused.space
                raise Conflict(
                    _("Sorry, %(space)s was just taken for part of that time.") % {"space": taken.label},
                    code="slot_taken",
                    extra={"alternatives": _alternatives(taken, starts_at, ends_at)},
                ) from refused
            if refused.constraint == "booking_one_seat_per_person":
                raise _seat_taken_error(None) from refused
            # a one-in-a-trillion reference collision: draw another
    raise DomainError(_("Please try again."), code="retry")  # pragma: no cover - five collisions in a row


@transaction.atomic
def _booking_create(
    *,
    user: Any,
    space_id: int | None,
    starts_at: datetime,
    ends_at: datetime,
    product: str,
    created_by: Any,
    source: str,
    notify: bool,
    from_now: bool,
    now: datetime,
) -> Booking:
    # One round trip reads the space, its centre's rules and the person's registration, and takes
    # the person's lock (held to the end of the transaction; later statements see what the lock
    # waited for: READ COMMITTED takes a snapshot per statement).
    try:
        day = rules.local(starts_at).date()
    except OverflowError:  # year 1 or 9999: refused below (passed, or beyond the horizon)
        day = starts_at.date()
    space_or_none = (
        centre_selectors.space_with_rules(
            space_id,
            day=day,
            also={**registration_standing_fields(user.pk), "person_locked": _person_lock(user.pk)},
        )
        if space_id
        else None
    )
    if space_or_none is None:
        raise _refuse("space", _("There is no space with that id."), "no_such_space")
    space = space_or_none
    row = space.__dict__
    standing = eligibility(
        user, standing=standing_of(row["registration_status"], row["registration_valid_until"])
    )
    by_desk = (
        source == Source.DESK
        and created_by is not None
        and centre_selectors.is_staff_of(created_by, space.centre_id)
    )
    if from_now and not by_desk:
        raise NotAllowed(_("Only staff of this centre can do that."))
    if not standing.may_book and not by_desk:
        raise DomainError(
            standing.next_step,
            code="registration_required",
            fields={"non_field_errors": [standing.next_step]},
        )
    _check_space(space)
    _check_when(space, starts_at, ends_at, now, product=product, from_now=from_now)
    _check_product(space, product, starts_at, ends_at, standing)
    price = _price(space, product, starts_at, ends_at)

    _check_person(user, space, starts_at, ends_at, now)

    try:
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
    except IntegrityError as exc:
        constraint = _constraint_name(exc)
        if constraint in ("booking_no_overlap_per_space", "booking_one_seat_per_person") or (
            "reference" in constraint
        ):
            raise _Refused(constraint, space) from exc
        raise
    BookingEvent.objects.create(
        booking=booking,
        actor=created_by or user,
        action=BookingEvent.Action.CREATED,
        to_status=BookingStatus.CONFIRMED,
        data={"source": source, "product": product, "price_pkr": price},
    )
    metrics.booking_created(source=source, kind=space.kind)
    if notify and booking.user.email:
        queue_confirmation(booking)
    if from_now:
        booking = booking_seat_on_arrival(booking=booking, actor=created_by, now=now)
    return booking
