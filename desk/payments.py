"""Money taken at the desk for a booking: cash, bank transfer, JazzCash, Easypaisa or other."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bookings.models import Booking, BookingStatus
from centres.models import Centre
from erozgar.errors import DomainError, NotAllowed
from erozgar.money import rupees

from .audit import log_action, require_desk_staff
from .models import DeskActionKind, Payment, PaymentMethod


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
                _("%(amount)s is more than the %(due)s still due.")
                % {"amount": rupees(amount), "due": rupees(due)}
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
    log_action(
        centre=centre,
        actor=actor,
        kind=DeskActionKind.PAYMENT,
        booking=locked,
        summary=_("%(amount)s received (%(method)s), receipt %(receipt)s")
        % {
            "amount": rupees(amount),
            "method": PaymentMethod(method).label,
            "receipt": payment.receipt_number,
        },
        data={"payment_id": payment.pk, "amount_pkr": amount, "method": method},
        now=now,
    )
    return payment
