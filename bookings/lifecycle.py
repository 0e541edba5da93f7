"""The lifecycle of a booking: one table of allowed status changes, one function that applies them.

confirmed -> checked_in -> completed; confirmed -> cancelled (the person before the cut-off,
staff with a reason); confirmed -> no_show (after the grace period, usually by the release
job). Every change is a conditional UPDATE (two desks cannot both move a booking) and an
audit row, in one transaction.

The check-in window lives here too (``checkin_window``, ``release_time``): the desk page,
the desk API, the release job and any future scanner read it from this one place.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import DateTimeField, DurationField, ExpressionWrapper, F, Value
from django.utils import timezone
from django.utils.translation import gettext as _

from centres import selectors as centre_selectors
from erozgar import text
from erozgar.errors import DomainError, InvalidTransition, NotAllowed
from freelancers.identifiers import redact_identifiers

from .models import Booking, BookingEvent, BookingStatus, Product
from .notifications import queue_cancelled_by_centre, queue_cancelled_by_person
from .rules import day_label, time_label

# Every allowed status change, in one place. Anything else is an InvalidTransition.
TRANSITIONS: dict[str, frozenset[str]] = {
    BookingStatus.CONFIRMED: frozenset(
        {BookingStatus.CHECKED_IN, BookingStatus.CANCELLED, BookingStatus.NO_SHOW}
    ),
    BookingStatus.CHECKED_IN: frozenset({BookingStatus.COMPLETED}),
    BookingStatus.COMPLETED: frozenset(),
    BookingStatus.CANCELLED: frozenset(),
    BookingStatus.NO_SHOW: frozenset(),
}


def can_transition(booking: Booking, to: str) -> bool:
    return to in TRANSITIONS.get(booking.status, frozenset())


# --- the check-in window --------------------------------------------------------------------


def release_time(booking: Booking) -> datetime:
    """When a booking nobody checked in for is released as a no-show: the centre's grace after the start."""
    return booking.starts_at + timedelta(minutes=booking.centre.checkin_grace_minutes)


def release_time_sql() -> ExpressionWrapper:
    """``release_time`` as a query expression (the release job selects in SQL what it releases)."""
    grace = ExpressionWrapper(
        F("centre__checkin_grace_minutes") * Value(timedelta(minutes=1)), output_field=DurationField()
    )
    return ExpressionWrapper(F("starts_at") + grace, output_field=DateTimeField())


def cancellation_cutoff(booking: Booking) -> datetime:
    """The last moment the person may cancel their own booking (centre staff may cancel later)."""
    return booking.starts_at - timedelta(minutes=booking.centre.cancellation_cutoff_minutes)


def checkin_window(booking: Booking) -> tuple[datetime, datetime]:
    """[opens, closes) for checking in: the centre's lead time before the start until its release time.

    A monthly plan is never released: it may be checked into at any time it runs.
    """
    opens = booking.starts_at - timedelta(minutes=booking.centre.checkin_opens_minutes)
    if booking.product == Product.MONTHLY:
        return opens, booking.ends_at
    return opens, release_time(booking)


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
    text.refuse_unsafe(reason=reason or "")
    # Kept with the booking and its history: a CNIC or mobile number typed into it is masked.
    reason = redact_identifiers((reason or "").strip())
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
        if now > cancellation_cutoff(booking):
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
            _("Give a reason: the person will see it."),
            code="reason_required",
            fields={"reason": [_("Required.")]},
        )
    booking = _transition(
        booking,
        to=BookingStatus.CANCELLED,
        actor=actor,
        action=BookingEvent.Action.CANCELLED,
        reason=reason,
        changes={"cancelled_at": now, "cancel_reason": reason[:300]},
        data={"by": "owner" if is_owner else "staff"},
    )
    if is_owner:
        queue_cancelled_by_person(booking)  # a receipt of it, and the calendar entry removed
    else:
        queue_cancelled_by_centre(booking)  # the person did not do this: tell them why
    return booking


@transaction.atomic
def booking_check_in(*, booking: Booking, actor: Any, now: datetime | None = None) -> Booking:
    """Desk check-in, within ``checkin_window``: from before the start until the grace period ends."""
    now = now or timezone.now()
    booking = Booking.objects.select_related("centre").get(pk=booking.pk)
    _require_staff(actor, booking)
    if can_transition(booking, BookingStatus.CHECKED_IN):
        opens, closes = checkin_window(booking)
        if now < opens:
            raise DomainError(
                _("Check-in opens at %(time)s on %(day)s.")
                % {"time": time_label(opens), "day": day_label(opens)},
                code="too_early",
            )
        if now >= closes and booking.product == Product.MONTHLY:
            raise DomainError(_("This booking has already ended."), code="too_late")
        if now >= closes:
            raise DomainError(
                _("Check-in closed at %(time)s, %(minutes)s minutes after the start.")
                % {"time": time_label(closes), "minutes": booking.centre.checkin_grace_minutes},
                code="too_late",
            )
    return _check_in(booking, actor=actor, now=now)


def _check_in(booking: Booking, *, actor: Any, now: datetime) -> Booking:
    return _transition(
        booking,
        to=BookingStatus.CHECKED_IN,
        actor=actor,
        action=BookingEvent.Action.CHECKED_IN,
        changes={"checked_in_at": now},
    )


def booking_seat_on_arrival(*, booking: Booking, actor: Any, now: datetime) -> Booking:
    """Check in a booking made at the desk for the person standing there (``booking_create(from_now=True)``).

    There is no window to wait for: the person arrived before the booking existed.
    """
    _require_staff(actor, booking)
    return _check_in(booking, actor=actor, now=now)


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
        raise DomainError(
            _("This booking has not ended yet; check the person out instead."), code="not_ended"
        )
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
        release_at = release_time(booking)
        if now < release_at:
            raise DomainError(
                _("The person has until %(time)s to check in.") % {"time": time_label(release_at)},
                code="in_grace",
            )
    return _transition(
        booking,
        to=BookingStatus.NO_SHOW,
        actor=actor,
        action=BookingEvent.Action.NO_SHOW,
        reason=reason or _("Not checked in within the grace period."),
    )
