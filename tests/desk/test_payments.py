"""Payments at the desk: the constraint, the rules, paid / part paid / unpaid, and the receipt."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from bookings.models import BookingStatus, Product
from desk.models import DeskAction, Payment
from desk.payments import payment_record
from desk.selectors import payment_state
from erozgar.errors import DomainError, NotAllowed
from tests.desk.helpers import make_booking, today_at

pytestmark = pytest.mark.django_db


def test_amount_must_be_positive_in_full_clean_and_in_the_database(booking: Any, clerk: Any) -> None:
    payment = Payment(booking=booking, centre=booking.centre, amount_pkr=0, received_by=clerk)
    with pytest.raises(ValidationError, match="more than Rs 0"):
        payment.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        payment.save()


def test_unknown_method_is_refused_by_the_database(booking: Any, clerk: Any) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Payment.objects.create(
            booking=booking, centre=booking.centre, amount_pkr=10, method="gold", received_by=clerk
        )


def test_payment_states() -> None:
    assert payment_state(400, 0) == "unpaid"
    assert payment_state(400, 100) == "part_paid"
    assert payment_state(400, 400) == "paid"
    assert payment_state(0, 0) == "paid"


def test_clerk_records_part_then_full_payment_and_it_is_logged(centre: Any, clerk: Any, booking: Any) -> None:
    first = payment_record(centre=centre, actor=clerk, booking=booking, amount_pkr=150, method="cash")
    second = payment_record(
        centre=centre, actor=clerk, booking=booking, amount_pkr=250, method="jazzcash", reference="JC-778812"
    )
    assert (first.received_by, second.method, second.reference) == (clerk, "jazzcash", "JC-778812")
    assert DeskAction.objects.filter(kind="payment", booking=booking).count() == 2
    with pytest.raises(DomainError, match="paid in full"):
        payment_record(centre=centre, actor=clerk, booking=booking, amount_pkr=1, method="cash")


@pytest.mark.parametrize(
    ("amount", "method", "reference", "field"),
    [
        ("abc", "cash", "", "amount_pkr"),
        (0, "cash", "", "amount_pkr"),
        (401, "cash", "", "amount_pkr"),
        (100, "easypaisa", "", "reference"),
        (100, "cheque", "", "method"),
    ],
)
def test_bad_payments_are_refused_with_a_message_on_the_field(
    centre: Any, clerk: Any, booking: Any, amount: Any, method: str, reference: str, field: str
) -> None:
    with pytest.raises(DomainError) as info:
        payment_record(
            centre=centre, actor=clerk, booking=booking, amount_pkr=amount, method=method, reference=reference
        )
    assert field in info.value.fields
    assert Payment.objects.count() == 0


def test_cancelled_booking_takes_no_payment(centre: Any, clerk: Any, cabin: Any, freelancer: Any) -> None:
    cancelled = make_booking(
        cabin,
        freelancer,
        today_at(10),
        today_at(12),
        status=BookingStatus.CANCELLED,
        cancelled_at=today_at(8),
    )
    with pytest.raises(DomainError, match="cancelled"):
        payment_record(centre=centre, actor=clerk, booking=cancelled, amount_pkr=100, method="cash")


def test_staff_of_another_centre_cannot_take_payment(centre: Any, other_staff: Any, booking: Any) -> None:
    with pytest.raises(NotAllowed):
        payment_record(centre=centre, actor=other_staff, booking=booking, amount_pkr=100, method="cash")


def test_pay_page_records_cash_and_opens_a_printable_receipt(
    client: Client, clerk: Any, centre: Any, booking: Any, frozen: Any
) -> None:
    client.force_login(clerk)
    url = reverse("desk:pay", args=[centre.slug, booking.reference])
    form = client.get(url).content.decode()
    assert 'value="400"' in form  # the amount due is suggested
    response = client.post(url, {"amount_pkr": "400", "method": "cash", "reference": ""}, follow=True)
    payment = Payment.objects.get()
    assert response.redirect_chain[-1][0] == reverse("desk:receipt", args=[centre.slug, payment.pk])
    html = response.content.decode()
    assert f"Receipt R-{payment.pk:06d}" in html
    assert "Rs 400" in html and "Cash" in html and "Desk Clerk" in html
    assert "data-print" in html and "css/desk.css" in html
    detail = client.get(reverse("desk:booking", args=[centre.slug, booking.reference])).content.decode()
    assert "Paid" in detail


def test_pay_page_shows_field_errors(client: Client, clerk: Any, centre: Any, booking: Any) -> None:
    client.force_login(clerk)
    url = reverse("desk:pay", args=[centre.slug, booking.reference])
    response = client.post(url, {"amount_pkr": "100", "method": "bank_transfer", "reference": ""})
    assert response.status_code == 400
    assert "Give the transaction id" in response.content.decode()
    assert Payment.objects.count() == 0


def test_monthly_plan_shows_what_is_still_due(
    client: Client, clerk: Any, centre: Any, workstation: Any, freelancer: Any, frozen: Any
) -> None:
    plan = make_booking(
        workstation, freelancer, today_at(0), today_at(0, days=31), product=Product.MONTHLY, price_pkr=3500
    )
    payment_record(centre=centre, actor=clerk, booking=plan, amount_pkr=1000, method="cash")
    client.force_login(clerk)
    page = client.get(reverse("desk:pay", args=[centre.slug, plan.reference])).content.decode()
    assert "Monthly plan for December 2026: Rs 2,500 still due." in page
    home = client.get(reverse("desk:home", args=[centre.slug])).content.decode()
    assert "Part paid" in home and "Rs 2,500 due" in home
