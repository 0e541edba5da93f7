"""Scans at the desk: check-in and check-out by reference (scanner, camera or typed), and look-ups.

Every status change goes through the bookings lifecycle (``booking_check_in``,
``booking_check_out``), which holds the check-in window (``checkin_window``) and writes the
BookingEvent audit row in the same transaction. This module adds what a desk needs on top:

- refusals are worded for a desk clerk (naming the centre, the day, when the window opens
  or closed) and are logged too (a DeskAction written after the refused attempt rolled back);
- a client nonce (an offline scanner re-sending its queue) is answered once per centre.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bookings import services as booking_services
from bookings.lifecycle import checkin_window, release_time
from bookings.models import Booking, BookingStatus, Product
from bookings.rules import day_label, time_label
from centres.hours import local_today
from centres.models import Centre
from erozgar.errors import DomainError, InvalidTransition
from erozgar.money import rupees
from freelancers.identifiers import parse_cnic, parse_mobile

from . import selectors
from .audit import count_person_lookup, log_action, require_desk_staff, scan_trace
from .models import DeskActionKind


class DeskRefusal(DomainError):
    """A refusal worded for the desk. ``booking`` (when known) lets the log point at it."""

    def __init__(self, message: Any, *, code: str, booking: Booking | None = None, status: int = 400) -> None:
        super().__init__(message, code=code, fields={"reference": [message]})
        self.booking = booking
        self.http_status = status


# --- check-in -------------------------------------------------------------------------------


@dataclass(frozen=True)
class DeskResult:
    booking: Booking
    outcome: str  # "checked_in", "already_checked_in", "checked_out", "already_checked_out"
    message: str
    replayed: bool = False
    due_pkr: int = 0  # still to pay when the person checked out: the clerk is warned


def _refuse_unusable(booking: Booking, centre: Centre, now: datetime) -> None:
    """Raise the clerk-friendly reason this booking cannot be checked in here and now (if any)."""
    if booking.centre_id != centre.pk:
        raise DeskRefusal(
            _("This booking is for %(centre)s, not this centre. Please send the person there.")
            % {"centre": booking.centre.name},
            code="other_centre",
            booking=booking,
        )
    if booking.status == BookingStatus.CANCELLED:
        when = booking.cancelled_at or booking.updated_at
        raise DeskRefusal(
            _(
                "This booking was cancelled on %(day)s and cannot be used. "
                "Seat the person as a walk-in if a space is free."
            )
            % {"day": day_label(when)},
            code="cancelled",
            booking=booking,
            status=409,
        )
    if booking.status == BookingStatus.NO_SHOW:
        released = release_time(booking)
        raise DeskRefusal(
            _(
                "This booking was released at %(time)s on %(day)s "
                "because nobody checked in within %(grace)s minutes "
                "of the start. Seat the person as a walk-in if a space is free."
            )
            % {
                "time": time_label(released),
                "day": day_label(released),
                "grace": centre.checkin_grace_minutes,
            },
            code="released",
            booking=booking,
            status=409,
        )
    if booking.status == BookingStatus.COMPLETED:
        out = booking.checked_out_at or booking.ends_at
        raise DeskRefusal(
            _("This booking is finished: the person checked out at %(time)s on %(day)s.")
            % {"time": time_label(out), "day": day_label(out)},
            code="completed",
            booking=booking,
            status=409,
        )
    opens, closes = checkin_window(booking)
    if opens <= now < closes:
        return
    if booking.product != Product.MONTHLY and local_today(booking.starts_at) != local_today(now):
        raise DeskRefusal(
            _("This booking is for %(day)s at %(time)s, not today.")
            % {"day": day_label(booking.starts_at), "time": time_label(booking.starts_at)},
            code="other_day",
            booking=booking,
        )
    if now < opens:
        raise DeskRefusal(
            _("Too early: check-in for this booking opens at %(opens)s (it starts at %(start)s).")
            % {"opens": time_label(opens), "start": time_label(booking.starts_at)},
            code="too_early",
            booking=booking,
        )
    if booking.product == Product.MONTHLY:
        raise DeskRefusal(
            _("This monthly plan ended on %(day)s.") % {"day": day_label(booking.ends_at)},
            code="too_late",
            booking=booking,
        )
    raise DeskRefusal(
        _(
            "Too late: check-in closed at %(closes)s, %(grace)s minutes after the start. "
            "The booking is being "
            "released; seat the person as a walk-in if a space is free."
        )
        % {"closes": time_label(closes), "grace": booking.centre.checkin_grace_minutes},
        code="too_late",
        booking=booking,
    )


def _already_checked_in(booking: Booking) -> DeskResult:
    at = booking.checked_in_at or booking.starts_at
    return DeskResult(
        booking,
        "already_checked_in",
        _("Already checked in at %(time)s. Nothing more to do.") % {"time": time_label(at)},
    )


def _check_in(*, centre: Centre, actor: Any, reference: str, now: datetime) -> DeskResult:
    code = selectors.normalise_reference(reference)
    if code is None:
        raise DeskRefusal(
            _("That is not a booking reference. A reference has 8 letters and digits, like K7M2QX9P."),
            code="bad_reference",
        )
    booking = selectors.find_booking(code)
    if booking is None:
        raise DeskRefusal(
            _(
                "No booking has the reference %(ref)s. "
                "Check the letters, or look the person up by CNIC or mobile."
            )
            % {"ref": code},
            code="not_found",
            status=404,
        )
    if booking.centre_id == centre.pk and booking.status == BookingStatus.CHECKED_IN:
        return _already_checked_in(booking)
    _refuse_unusable(booking, centre, now)
    try:
        booking = booking_services.booking_check_in(booking=booking, actor=actor, now=now)
    except InvalidTransition:
        # Another desk (or a second scan) got there first: harmless if it is now checked in.
        booking = selectors.find_booking(code) or booking
        if booking.status == BookingStatus.CHECKED_IN:
            return _already_checked_in(booking)
        raise
    name = selectors.person_name(booking)
    return DeskResult(
        booking,
        "checked_in",
        _("%(name)s is checked in at %(time)s: %(space)s.")
        % {"name": name, "time": time_label(now), "space": booking.space.label},
    )


def _replay(centre: Centre, nonce: str) -> DeskResult | None:
    """The first answer to a nonce, again. A stored refusal is raised again as it was."""
    action = selectors.nonce_answer(centre, nonce)
    if action is None:
        return None
    data = action.data or {}
    if data.get("refused") or action.booking_id is None:
        raise DeskRefusal(
            action.summary, code=data.get("code", "refused"), status=int(data.get("status", 400))
        )
    booking = Booking.objects.select_related("centre", "space", "user").get(pk=action.booking_id)
    return DeskResult(booking, data.get("outcome", "checked_in"), action.summary, replayed=True)


_OUTCOME_KIND = {
    "checked_in": DeskActionKind.CHECK_IN,
    "already_checked_in": DeskActionKind.CHECK_IN_REPEAT,
    "checked_out": DeskActionKind.CHECK_OUT,
    "already_checked_out": DeskActionKind.CHECK_OUT,
}


Step = Callable[..., DeskResult]
NONCE_LENGTH = 60


def _run_logged(
    step: Step,
    *,
    centre: Centre,
    actor: Any,
    nonce: str,
    reference: str,
    refused_kind: str,
    now: datetime | None,
) -> DeskResult:
    """Run ``step`` and its log row in one transaction; log a refusal after the rollback; honour the nonce."""
    require_desk_staff(actor, centre)
    now = now or timezone.now()
    # Check-in and check-out keep separate nonces: "i:..." and "o:..." (the column holds 64).
    scope = "o" if refused_kind == DeskActionKind.CHECK_OUT_REFUSED else "i"
    nonce = f"{scope}:{nonce.strip()[:NONCE_LENGTH]}" if nonce and nonce.strip() else ""
    if nonce:
        replay = _replay(centre, nonce)
        if replay is not None:
            return replay
    try:
        with transaction.atomic():
            result = step(centre=centre, actor=actor, reference=reference, now=now)
            log_action(
                centre=centre,
                actor=actor,
                kind=_OUTCOME_KIND[result.outcome],
                booking=result.booking,
                summary=result.message,
                nonce=nonce,
                data={"outcome": result.outcome, "reference": result.booking.reference},
                now=now,
            )
        return result
    except IntegrityError:
        # The same nonce arrived twice at once: the other request's answer stands.
        replay = _replay(centre, nonce) if nonce else None
        if replay is None:
            raise
        return replay
    except DomainError as exc:
        try:
            with transaction.atomic():
                log_action(
                    centre=centre,
                    actor=actor,
                    kind=refused_kind,
                    booking=getattr(exc, "booking", None),
                    summary=str(exc.message),
                    nonce=nonce,
                    data={
                        "refused": True,
                        "code": exc.code,
                        "status": exc.http_status,
                        **scan_trace(reference),
                    },
                    now=now,
                )
        except IntegrityError:
            pass  # a parallel request with the same nonce logged it already
        raise


def desk_check_in(
    *, centre: Centre, actor: Any, reference: str, nonce: str = "", now: datetime | None = None
) -> DeskResult:
    """Check a booking in by its reference (typed, scanned or from the camera).

    A second scan answers "already checked in at 09:12". Refusals say why in desk words.
    """
    return _run_logged(
        _check_in,
        centre=centre,
        actor=actor,
        nonce=nonce,
        reference=reference,
        refused_kind=DeskActionKind.CHECK_IN_REFUSED,
        now=now,
    )


def _check_out(*, centre: Centre, actor: Any, reference: str, now: datetime) -> DeskResult:
    code = selectors.normalise_reference(reference)
    if code is None:
        raise DeskRefusal(
            _("That is not a booking reference. A reference has 8 letters and digits, like K7M2QX9P."),
            code="bad_reference",
        )
    booking = selectors.booking_at_centre(centre, code)
    if booking is None:
        raise DeskRefusal(
            _("No booking of this centre has the reference %(ref)s.") % {"ref": code},
            code="not_found",
            status=404,
        )
    if booking.status == BookingStatus.COMPLETED:
        out = booking.checked_out_at or booking.ends_at
        return DeskResult(
            booking, "already_checked_out", _("Already checked out at %(time)s.") % {"time": time_label(out)}
        )
    if booking.status != BookingStatus.CHECKED_IN:
        raise DeskRefusal(
            _(
                "This person is not checked in (the booking is “%(status)s”), "
                "so there is nothing to check out."
            )
            % {"status": booking.get_status_display()},
            code="not_checked_in",
            booking=booking,
            status=409,
        )
    due = selectors.money(booking).due_pkr  # read with the payments, before the status changes
    booking = booking_services.booking_check_out(booking=booking, actor=actor, now=now)
    name = selectors.person_name(booking)
    message = _("%(name)s checked out at %(time)s.") % {"name": name, "time": time_label(now)}
    if due:
        message = " ".join(
            [
                message,
                _("%(due)s is still to pay: take the payment before they leave.") % {"due": rupees(due)},
            ]
        )
    return DeskResult(booking, "checked_out", message, due_pkr=due)


def desk_check_out(
    *, centre: Centre, actor: Any, reference: str, nonce: str = "", now: datetime | None = None
) -> DeskResult:
    """The person leaves: checked in -> completed. Checking out twice is harmless."""
    return _run_logged(
        _check_out,
        centre=centre,
        actor=actor,
        nonce=nonce,
        reference=reference,
        refused_kind=DeskActionKind.CHECK_OUT_REFUSED,
        now=now,
    )


# --- look-ups -------------------------------------------------------------------------------


def desk_lookup(
    *, centre: Centre, actor: Any, text: str, now: datetime | None = None
) -> selectors.PersonLookup | None:
    """Find a registered freelancer by CNIC or mobile, and log that the desk looked.

    The log says what kind of number was typed and who was found, never the number itself.
    """
    require_desk_staff(actor, centre)
    count_person_lookup(actor)
    found = selectors.lookup_person(centre, text, now=now)
    who = _("a CNIC") if parse_cnic(text) else _("a mobile number") if parse_mobile(text) else _("a number")
    log_action(
        centre=centre,
        actor=actor,
        kind=DeskActionKind.LOOKUP,
        summary=_("Looked up %(who)s: %(result)s")
        % {"who": who, "result": _("found") if found else _("nobody found")},
        data={
            "found": found is not None,
            "registration_id": found.registration.pk if found else None,
            **({} if found else scan_trace(text)),
        },
        now=now,
    )
    return found
