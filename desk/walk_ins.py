"""Walk-ins: the desk books a free space from now for a registered freelancer standing here.

One transaction through ``booking_create(from_now=True)`` (source "desk", made by the clerk,
checked in at once), so every booking rule and the database's no-overlap guarantee apply.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bookings import rules as booking_rules
from bookings import services as booking_services
from bookings.models import Booking, Product, Source
from bookings.rules import time_label
from centres import selectors as centre_selectors
from centres.hours import local_today
from centres.models import Centre, Space
from erozgar.errors import Conflict, DomainError

from . import selectors
from .audit import count_person_lookup, log_action, require_desk_staff
from .models import DeskActionKind


def _walk_in_times(
    centre: Centre, free: selectors.FreeSpace, until: str, now: datetime
) -> tuple[str, datetime, datetime]:
    """(product, starts_at, ends_at) for the chosen option; the booking may have begun already."""
    space = free.space
    if until == selectors.DAY_PASS:
        window = booking_rules.day_pass_window(centre_selectors.opening_intervals(centre, local_today(now)))
        if window is None or not free.day_pass_free or space.rate_daily_pkr is None:
            raise DomainError(
                _("A day pass is not possible for %(space)s today; choose an end time instead.")
                % {"space": space.label},
                code="no_day_pass",
                fields={"until": [_("Choose an end time.")]},
            )
        # The person is standing here: a day pass sold at the desk runs from opening, before this minute.
        return Product.DAY_PASS, window.start, window.end
    start = booking_rules.floor_to_grid(now)
    valid = {option.value for option in selectors.walk_in_options(centre, free, now=now)}
    if until not in valid:
        raise DomainError(
            _("%(space)s is free only until %(time)s. Choose one of the end times offered.")
            % {"space": space.label, "time": time_label(free.free_until)},
            code="bad_end",
            fields={"until": [_("Choose one of the end times offered.")]},
        )
    hour, minute = (int(part) for part in until.split(":"))
    end = start.replace(hour=hour, minute=minute)
    if end <= start:
        end += timedelta(days=1)  # a late shift running past midnight
    # The booking starts at the current half hour so the person can sit down now.
    return Product.HOURLY, start, end


def walk_in_create(
    *, centre: Centre, actor: Any, person_query: str, space_id: int, until: str, now: datetime | None = None
) -> Booking:
    """Book a free space for a registered freelancer found by CNIC or mobile, and check them in.

    One transaction through ``booking_create(from_now=True)`` (source "desk", made by the
    clerk), so every booking rule and the database's no-overlap guarantee apply. An online booking that wins
    the race for the space turns into a clean "just taken".
    """
    require_desk_staff(actor, centre)
    count_person_lookup(actor)
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
        product, starts_at, ends_at = _walk_in_times(centre, free, until, now)
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
                    from_now=True,
                    now=now,
                )
            except Conflict as exc:
                raise Conflict(
                    _("Just taken: %(space)s was booked online a moment ago. Choose another free space.")
                    % {"space": free.space.label},
                    code="just_taken",
                    extra=exc.extra,
                ) from exc
            log_action(
                centre=centre,
                actor=actor,
                kind=DeskActionKind.WALK_IN,
                booking=booking,
                summary=_("Walk-in %(name)s seated at %(space)s until %(end)s")
                % {
                    "name": registration.registration.full_name or person.full_name or person.email,
                    "space": free.space.label,
                    "end": time_label(ends_at),
                },
                data={"product": product, "price_pkr": booking.price_pkr},
                now=now,
            )
        return booking
    except DomainError as exc:
        log_action(
            centre=centre,
            actor=actor,
            kind=DeskActionKind.WALK_IN_REFUSED,
            summary=str(exc.message),
            data={"code": exc.code},
            now=now,
        )
        raise
