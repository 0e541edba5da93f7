"""Who may work a centre's desk, and the desk's own log of what its staff did (DeskAction).

Every desk write checks ``require_desk_staff`` first and records a DeskAction with
``log_action``; a refusal is logged too, after the refused attempt rolled back. What a
clerk typed or scanned is kept only as ``scan_trace`` has it: a CNIC typed into the scan
box must not end up in the log.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from bookings.models import Booking
from centres import selectors as centre_selectors
from centres.models import Centre
from erozgar.crypto import blind_index
from erozgar.errors import NotAllowed
from erozgar.ratelimit import TooManyRequests, consume

from .models import DeskAction
from .selectors import normalise_reference


def require_desk_staff(actor: Any, centre: Centre) -> None:
    """Only a manager or desk clerk of this very centre works its desk."""
    if not centre_selectors.is_staff_of(actor, centre):
        raise NotAllowed(_("Only staff of this centre can use its desk."))


def count_person_lookup(actor: Any) -> None:
    """One more look-up of a person by CNIC or mobile by this staff member, or refuse (429).

    A desk finds people one at a time; a burst of look-ups is someone listing the registry.
    """
    if consume(None, "desk_lookup", key=f"user:{actor.pk}") is None:
        raise TooManyRequests(
            _("Too many look-ups in a short while. Wait a few minutes, or scan the booking's QR code.")
        )


def scan_trace(text: str) -> dict[str, str]:
    """What the desk log keeps of scanned or typed text.

    A booking reference is kept as it is. Anything else may be a CNIC or a phone number typed
    into the wrong box, so only a keyed fingerprint of it is kept: enough to see that the same
    thing was scanned again, useless for reading what it was.
    """
    reference = normalise_reference(text)
    if reference is not None:
        return {"reference": reference}
    cleaned = " ".join((text or "").split())
    if not cleaned:
        return {}
    return {"unrecognised_input": blind_index(cleaned, purpose="desk.scan").hex()[:16]}


def log_action(
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


def audit_forget_person(*, user_id: int, registration_id: int | None) -> int:
    """Keep the desk's log of what happened, without who it happened to (after an erasure).

    Summaries of actions on the person's bookings may name them (a walk-in's name), and a
    look-up row may point at their registration: both are blanked; the row, its time, kind,
    clerk and booking stay, so the desk's counts and the clerk's actions still add up.
    """
    erased = _("Personal details erased on request")
    count = DeskAction.objects.filter(booking__user_id=user_id).update(summary=str(erased))
    if registration_id is not None:
        for action in DeskAction.objects.filter(data__registration_id=registration_id):
            action.data = {**action.data, "registration_id": None}
            action.summary = str(erased)
            action.save(update_fields=["data", "summary"])
            count += 1
    return count
