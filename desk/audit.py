"""Who may work a centre's desk, and the desk's own log of what its staff did (DeskAction).

Every desk write checks ``require_desk_staff`` first and records a DeskAction with
``log_action``; a refusal is logged too, after the refused attempt rolled back.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from bookings.models import Booking
from centres import selectors as centre_selectors
from centres.models import Centre
from erozgar.errors import NotAllowed

from .models import DeskAction


def require_desk_staff(actor: Any, centre: Centre) -> None:
    """Only a manager or desk clerk of this very centre works its desk."""
    if not centre_selectors.is_staff_of(actor, centre):
        raise NotAllowed(_("Only staff of this centre can use its desk."))


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
