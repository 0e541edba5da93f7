"""Writes at the desk: check-in and check-out, walk-ins, payments, and the scheduled releases.

Every status change goes through the bookings services (``booking_create``,
``booking_check_in``, ``booking_check_out``, ``booking_mark_no_show``,
``booking_complete``), which write the BookingEvent audit row in the same transaction.
This module adds the desk's own rules on top:

- the check-in window is ``checkin_opens_minutes`` before the start until
  ``checkin_grace_minutes`` after it (the bookings service alone allows until the end);
- refusals are worded for a desk clerk and are logged too (a DeskAction written after
  the refused attempt rolled back);
- a client nonce (an offline scanner re-sending its queue) is answered once per centre.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from bookings import rules as booking_rules
from bookings import services as booking_services
from bookings.models import Booking, BookingStatus, Product, Source
from centres import selectors as centre_selectors
from centres.hours import LOCAL_TZ
from centres.models import Centre, Space
from erozgar.errors import Conflict, DomainError, InvalidTransition, NotAllowed

from . import selectors
from .models import DeskAction, DeskActionKind, Payment, PaymentMethod

logger = logging.getLogger(__name__)


def _time(moment: datetime) -> str:
    return date_format(moment.astimezone(LOCAL_TZ), "H:i")


def _day(moment: datetime) -> str:
    return date_format(moment.astimezone(LOCAL_TZ), "l j F Y")


def require_desk_staff(actor: Any, centre: Centre) -> None:
    """Only a manager or desk clerk of this very centre works its desk."""
    if not centre_selectors.is_staff_of(actor, centre):
        raise NotAllowed(_("Only staff of this centre can use its desk."))


def _log(
    *,
    centre: Centre,
    actor: Any,
    kind: str,
    booking: Booking | None = None,
    summary: str = "",
    nonce: str = "",
    data: dict[str, Any] | None = None,
    now: datetime | None = None,
) -> DeskAction:
    return DeskAction.objects.create(
        centre=centre,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        kind=kind,
        booking=booking if booking is not None and booking.centre_id == centre.pk else None,
        summary=str(summary)[:300],
        nonce=nonce,
        data=data or {},
        at=now or timezone.now(),
    )


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


def checkin_window(booking: Booking) -> tuple[datetime, datetime]:
    """[opens, closes) for checking in: from the centre's lead time before the start to the grace end.

    A monthly plan may be checked into at any time it runs.
    """
    centre = booking.centre
    opens = booking.starts_at - timedelta(minutes=centre.checkin_opens_minutes)
    if booking.product == Product.MONTHLY:
        return opens, booking.ends_at
    return opens, booking.starts_at + timedelta(minutes=centre.checkin_grace_minutes)


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
                "This booking was cancelled on %(day)s and cannot be used. Seat the person as a walk-in if a space is free."
            )
            % {"day": _day(when)},
            code="cancelled",
            booking=booking,
            status=409,
        )
    if booking.status == BookingStatus.NO_SHOW:
        released = booking.starts_at + timedelta(minutes=centre.checkin_grace_minutes)
        raise DeskRefusal(
            _(
                "This booking was released at %(time)s on %(day)s because nobody checked in within %(grace)s minutes "
                "of the start. Seat the person as a walk-in if a space is free."
            )
            % {"time": _time(released), "day": _day(released), "grace": centre.checkin_grace_minutes},
            code="released",
            booking=booking,
            status=409,
        )
    if booking.status == BookingStatus.COMPLETED:
        out = booking.checked_out_at or booking.ends_at
        raise DeskRefusal(
            _("This booking is finished: the person checked out at %(time)s on %(day)s.")
            % {"time": _time(out), "day": _day(out)},
            code="completed",
            booking=booking,
            status=409,
        )
    opens, closes = checkin_window(booking)
    if opens <= now < closes:
        return
    today = now.astimezone(LOCAL_TZ).date()
    if booking.product != Product.MONTHLY and booking.starts_at.astimezone(LOCAL_TZ).date() != today:
        raise DeskRefusal(
            _("This booking is for %(day)s at %(time)s, not today.")
            % {"day": _day(booking.starts_at), "time": _time(booking.starts_at)},
            code="other_day",
            booking=booking,
        )
    if now < opens:
        raise DeskRefusal(
            _("Too early: check-in for this booking opens at %(opens)s (it starts at %(start)s).")
            % {"opens": _time(opens), "start": _time(booking.starts_at)},
            code="too_early",
            booking=booking,
        )
    if booking.product == Product.MONTHLY:
        raise DeskRefusal(
            _("This monthly plan ended on %(day)s.") % {"day": _day(booking.ends_at)},
            code="too_late",
            booking=booking,
        )
    raise DeskRefusal(
        _(
            "Too late: check-in closed at %(closes)s, %(grace)s minutes after the start. The booking is being "
            "released; seat the person as a walk-in if a space is free."
        )
        % {"closes": _time(closes), "grace": booking.centre.checkin_grace_minutes},
        code="too_late",
        booking=booking,
    )


def _already_checked_in(booking: Booking) -> DeskResult:
    at = booking.checked_in_at or booking.starts_at
    return DeskResult(
        booking,
        "already_checked_in",
        _("Already checked in at %(time)s. Nothing more to do.") % {"time": _time(at)},
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
                "No booking has the reference %(ref)s. Check the letters, or look the person up by CNIC or mobile."
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
    name = booking.user.full_name or booking.user.email
    return DeskResult(
        booking,
        "checked_in",
        _("%(name)s is checked in at %(time)s: %(space)s.")
        % {"name": name, "time": _time(now), "space": booking.space.label},
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
            _log(
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
                _log(
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
                        "reference": reference[:40],
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
    booking = selectors.booking_at_centre(centre, reference)
    if booking is None:
        raise DeskRefusal(
            _("No booking of this centre has the reference %(ref)s.") % {"ref": reference.strip()[:20]},
            code="not_found",
            status=404,
        )
    if booking.status == BookingStatus.COMPLETED:
        out = booking.checked_out_at or booking.ends_at
        return DeskResult(
            booking, "already_checked_out", _("Already checked out at %(time)s.") % {"time": _time(out)}
        )
    if booking.status != BookingStatus.CHECKED_IN:
        raise DeskRefusal(
            _(
                "This person is not checked in (the booking is “%(status)s”), so there is nothing to check out."
            )
            % {"status": booking.get_status_display()},
            code="not_checked_in",
            booking=booking,
            status=409,
        )
    booking = booking_services.booking_check_out(booking=booking, actor=actor, now=now)
    name = booking.user.full_name or booking.user.email
    return DeskResult(
        booking, "checked_out", _("%(name)s checked out at %(time)s.") % {"name": name, "time": _time(now)}
    )


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


def _mask(text: str) -> str:
    digits = "".join(ch for ch in text if ch in "0123456789")
    return f"{digits[:3]}…{digits[-2:]}" if len(digits) > 5 else "…"


def desk_lookup(
    *, centre: Centre, actor: Any, text: str, now: datetime | None = None
) -> selectors.PersonLookup | None:
    """Find a registered freelancer by CNIC or mobile, and log that the desk looked (masked)."""
    require_desk_staff(actor, centre)
    found = selectors.lookup_person(centre, text, now=now)
    _log(
        centre=centre,
        actor=actor,
        kind=DeskActionKind.LOOKUP,
        summary=_("Looked up %(who)s: %(result)s")
        % {"who": _mask(text), "result": _("found") if found else _("nobody found")},
        data={"found": found is not None, "registration_id": found.registration.pk if found else None},
        now=now,
    )
    return found


# --- walk-ins -------------------------------------------------------------------------------

DAY_PASS = "day"


def _floor_to_grid(moment: datetime) -> datetime:
    local = moment.astimezone(LOCAL_TZ)
    minute = local.minute - local.minute % booking_rules.GRID_MINUTES
    return local.replace(minute=minute, second=0, microsecond=0)


@dataclass(frozen=True)
class WalkInOption:
    value: str  # "day" or the end time "HH:MM"
    label: str


def walk_in_options(centre: Centre, free: selectors.FreeSpace, *, now: datetime) -> list[WalkInOption]:
    """How long a walk-in can have ``free.space`` from now: end times on the grid, and a day pass."""
    space = free.space
    start = _floor_to_grid(now)
    options: list[WalkInOption] = []
    if space.rate_hourly_pkr is not None:
        shortest, longest = centre_selectors.duration_limits(centre, space.kind)
        end = start + timedelta(minutes=shortest)
        while end <= free.free_until and end - start <= timedelta(minutes=longest):
            price = booking_rules.hourly_price(
                space.rate_hourly_pkr, booking_rules.minutes_between(start, end)
            )
            options.append(
                WalkInOption(
                    _time(end),
                    _("Until %(time)s · Rs %(price)s") % {"time": _time(end), "price": f"{price:,}"},
                )
            )
            end += booking_rules.GRID
    if space.rate_daily_pkr is not None and free.day_pass_free:
        options.append(
            WalkInOption(
                DAY_PASS,
                _("Day pass until %(time)s · Rs %(price)s")
                % {"time": _time(free.free_until), "price": f"{space.rate_daily_pkr:,}"},
            )
        )
    return options


def _walk_in_times(
    centre: Centre, free: selectors.FreeSpace, until: str, now: datetime
) -> tuple[str, datetime, datetime, datetime]:
    """(product, starts_at, ends_at, booking moment) for the chosen option."""
    space = free.space
    if until == DAY_PASS:
        window = booking_rules.day_pass_window(
            centre_selectors.opening_intervals(centre, now.astimezone(LOCAL_TZ).date())
        )
        if window is None or not free.day_pass_free or space.rate_daily_pkr is None:
            raise DomainError(
                _("A day pass is not possible for %(space)s today; choose an end time instead.")
                % {"space": space.label},
                code="no_day_pass",
                fields={"until": [_("Choose an end time.")]},
            )
        # The person is standing here: a day pass sold at the desk may start before this minute.
        return Product.DAY_PASS, window.start, window.end, window.start
    start = _floor_to_grid(now)
    valid = {option.value for option in walk_in_options(centre, free, now=now)}
    if until not in valid:
        raise DomainError(
            _("%(space)s is free only until %(time)s. Choose one of the end times offered.")
            % {"space": space.label, "time": _time(free.free_until)},
            code="bad_end",
            fields={"until": [_("Choose one of the end times offered.")]},
        )
    hour, minute = (int(part) for part in until.split(":"))
    end = start.replace(hour=hour, minute=minute)
    if end <= start:
        end += timedelta(days=1)  # a late shift running past midnight
    # The booking starts at the current half hour so the person can sit down now.
    return Product.HOURLY, start, end, start


def walk_in_create(
    *, centre: Centre, actor: Any, person_query: str, space_id: int, until: str, now: datetime | None = None
) -> Booking:
    """Book a free space for a registered freelancer found by CNIC or mobile, and check them in.

    One transaction through ``booking_create`` (source "desk", made by the clerk), so every
    booking rule and the database's no-overlap guarantee apply. An online booking that wins
    the race for the space turns into a clean "just taken".
    """
    require_desk_staff(actor, centre)
    now = now or timezone.now()
    registration = selectors.lookup_person(centre, person_query, now=now)
    try:
        if registration is None:
            raise DomainError(
                _("Nobody is registered with that CNIC or mobile number. Ask the person to register first."),
                code="person_not_found",
                fields={"person": [_("No registered freelancer found.")]},
            )
        person = registration.registration.user
        free = next((f for f in selectors.free_now(centre, now=now) if f.space.pk == space_id), None)
        if free is None:
            exists = Space.objects.filter(centre=centre, pk=space_id).first()
            raise DomainError(
                _("%(space)s is not free right now. Choose another space from the list.")
                % {"space": exists.label if exists else _("That space")},
                code="not_free",
                fields={"space": [_("Not free now.")]},
            )
        product, starts_at, ends_at, moment = _walk_in_times(centre, free, until, now)
        with transaction.atomic():
            try:
                booking = booking_services.booking_create(
                    user=person,
                    space=free.space,
                    starts_at=starts_at,
                    ends_at=ends_at,
                    product=product,
                    created_by=actor,
                    source=Source.DESK,
                    now=moment,
                )
            except Conflict as exc:
                raise Conflict(
                    _("Just taken: %(space)s was booked online a moment ago. Choose another free space.")
                    % {"space": free.space.label},
                    code="just_taken",
                    extra=exc.extra,
                ) from exc
            booking = booking_services.booking_check_in(booking=booking, actor=actor, now=now)
            _log(
                centre=centre,
                actor=actor,
                kind=DeskActionKind.WALK_IN,
                booking=booking,
                summary=_("Walk-in %(name)s seated at %(space)s until %(end)s")
                % {
                    "name": person.full_name or person.email,
                    "space": free.space.label,
                    "end": _time(ends_at),
                },
                data={"product": product, "price_pkr": booking.price_pkr},
                now=now,
            )
        return booking
    except DomainError as exc:
        _log(
            centre=centre,
            actor=actor,
            kind=DeskActionKind.WALK_IN_REFUSED,
            summary=str(exc.message),
            data={"code": exc.code},
            now=now,
        )
        raise


# --- payments -------------------------------------------------------------------------------


@transaction.atomic
def payment_record(
    *,
    centre: Centre,
    actor: Any,
    booking: Booking,
    amount_pkr: Any,
    method: str,
    reference: str = "",
    now: datetime | None = None,
) -> Payment:
    """Record money taken at the desk for a booking of this centre; refuses more than is due."""
    require_desk_staff(actor, centre)
    now = now or timezone.now()
    # Lock the booking so two clerks taking money at once cannot both see the same balance.
    locked = Booking.objects.select_for_update().filter(pk=booking.pk, centre=centre).first()
    if locked is None:
        raise NotAllowed(_("Only staff of this centre can take payments for its bookings."))
    reference = (reference or "").strip()
    errors: dict[str, list[str]] = {}
    try:
        amount = int(str(amount_pkr).replace(",", "").strip())
    except (TypeError, ValueError):
        amount = 0
        errors["amount_pkr"] = [_("Enter the amount in whole rupees, for example 1500.")]
    if not errors and amount <= 0:
        errors["amount_pkr"] = [_("The amount must be more than Rs 0.")]
    if method not in PaymentMethod.values:
        errors["method"] = [_("Choose cash, bank transfer, JazzCash, Easypaisa or other.")]
    elif method != PaymentMethod.CASH and not reference:
        errors["reference"] = [
            _("Give the transaction id (or, for “other”, a short note of how it was paid).")
        ]
    if len(reference) > 100:
        errors["reference"] = [_("Keep the reference under 100 characters.")]
    if locked.status == BookingStatus.CANCELLED:
        errors["non_field_errors"] = [_("This booking was cancelled; no payment is due.")]
    if not errors:
        paid = sum(Payment.objects.filter(booking_id=locked.pk).values_list("amount_pkr", flat=True))
        due = max(locked.price_pkr - paid, 0)
        if amount > due:
            errors["amount_pkr"] = [
                _("Rs %(amount)s is more than the Rs %(due)s still due.")
                % {"amount": f"{amount:,}", "due": f"{due:,}"}
                if due
                else _("Nothing is due on this booking: it is paid in full.")
            ]
    if errors:
        first = next(iter(errors.values()))[0]
        raise DomainError(first, code="invalid_payment", fields=errors)
    payment = Payment.objects.create(
        booking=locked,
        centre=centre,
        amount_pkr=amount,
        method=method,
        reference=reference,
        received_by=actor,
        received_at=now,
    )
    _log(
        centre=centre,
        actor=actor,
        kind=DeskActionKind.PAYMENT,
        booking=locked,
        summary=_("Rs %(amount)s received (%(method)s), receipt %(receipt)s")
        % {"amount": f"{amount:,}", "method": PaymentMethod(method).label, "receipt": payment.receipt_number},
        data={"payment_id": payment.pk, "amount_pkr": amount, "method": method},
        now=now,
    )
    return payment


# --- scheduled jobs -------------------------------------------------------------------------


def _claim_each(ids: list[int], *, status: str, change: Callable[[Booking], Booking]) -> list[Booking]:
    """Apply ``change`` to each booking still in ``status``, one transaction each.

    ``SELECT ... FOR UPDATE SKIP LOCKED`` lets a second run pass over rows the first is
    working on, and the bookings service's conditional UPDATE refuses a row that moved on:
    whatever runs at the same time, each booking is changed (and announced) once.
    """
    changed = []
    for pk in ids:
        with transaction.atomic():
            claimed = (
                Booking.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(pk=pk, status=status)
                .first()
            )
            if claimed is None:
                continue  # another run holds it, or has already moved it
            try:
                changed.append(change(claimed))
            except DomainError:
                continue
    return changed


def release_no_shows(*, now: datetime | None = None) -> int:
    """Mark confirmed bookings not checked in by start + grace as no-shows and tell each person once.

    The email is queued inside the transaction that moved the booking, so it goes out
    (after commit) only from the run that actually released it.
    """
    from .notifications import queue_no_show_email

    now = now or timezone.now()

    def release(booking: Booking) -> Booking:
        booking = booking_services.booking_mark_no_show(booking=booking, actor=None, now=now)
        queue_no_show_email(booking)
        return booking

    released = _claim_each(
        selectors.no_show_candidates(now=now), status=BookingStatus.CONFIRMED, change=release
    )
    if released:
        logger.info("released %s no-show bookings", len(released))
    return len(released)


def complete_finished_stays(*, now: datetime | None = None) -> int:
    """End of day: complete every checked-in booking whose time is over (nobody checked them out)."""
    now = now or timezone.now()
    completed = _claim_each(
        selectors.still_checked_in_after_end(now=now),
        status=BookingStatus.CHECKED_IN,
        change=lambda booking: booking_services.booking_complete(booking=booking, actor=None, now=now),
    )
    return len(completed)
