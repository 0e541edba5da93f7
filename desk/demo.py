"""Demo desk activity for `seed_demo`: a few payments taken at the staffed demo centres.

Runs after bookings.demo. Idempotent: a centre that already has a desk payment is left alone.
Payments go through payment_record, so they are audited like real ones.
"""

from __future__ import annotations

from typing import TextIO

from django.utils import timezone

from accounts.models import User
from bookings.models import Booking, BookingStatus
from centres import selectors as centre_selectors
from centres.models import CentreStatus
from erozgar.errors import DomainError

from .models import Payment, PaymentMethod
from .payments import payment_record

STAFF_EMAILS = ("staff.islamabad@erozgar.pk", "manager.lahore@erozgar.pk")
# (method, share of the price, transaction reference): one paid in full, one part paid, one by JazzCash.
PLAN = [
    (PaymentMethod.CASH, 1.0, ""),
    (PaymentMethod.CASH, 0.5, ""),
    (PaymentMethod.JAZZCASH, 1.0, "JC-DEMO-0001"),
]


def seed(stdout: TextIO) -> list[tuple[str, str, str]]:
    now = timezone.now()
    taken = 0
    for email in STAFF_EMAILS:
        staff = User.objects.filter(email=email).first()
        if staff is None:
            continue
        for centre in centre_selectors.centres_staffed_by(staff).filter(status=CentreStatus.ACTIVE):
            if Payment.objects.filter(centre=centre).exists():
                continue
            bookings = Booking.objects.filter(
                centre=centre, status=BookingStatus.CONFIRMED, price_pkr__gt=0, starts_at__gte=now
            ).order_by("starts_at", "id")[: len(PLAN)]
            for booking, (method, share, reference) in zip(bookings, PLAN, strict=False):
                try:
                    payment_record(
                        centre=centre,
                        actor=staff,
                        booking=booking,
                        amount_pkr=max(1, int(booking.price_pkr * share)),
                        method=method,
                        reference=reference,
                        now=now,
                    )
                except DomainError:
                    continue
                taken += 1
            stdout.write(f"desk: open /desk/{centre.slug}/ as {email}\n")
    stdout.write(f"desk: {taken} demo payments recorded\n")
    return []
