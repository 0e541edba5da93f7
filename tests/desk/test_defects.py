"""Issue 11's desk defects where a browser is not needed: the plain-form path and the API."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from bookings.models import BookingStatus
from tests.desk.helpers import make_booking, today_at

pytestmark = pytest.mark.django_db


def test_checking_out_without_javascript_with_money_due_lands_on_the_payment_form(
    client: Client, clerk: Any, centre: Any, cabin: Any, freelancer: Any, frozen: Any
) -> None:
    booking = make_booking(
        cabin,
        freelancer,
        today_at(9),
        today_at(11),
        status=BookingStatus.CHECKED_IN,
        checked_in_at=today_at(9),
        price_pkr=1400,
    )
    client.force_login(clerk)
    response = client.post(
        reverse("desk:check_out", args=[centre.slug]), {"reference": booking.reference}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("desk:pay", args=[centre.slug, booking.reference])
    assert "Rs 1,400 is still to pay: take the payment before they leave." in response.content.decode()
    booking.refresh_from_db()
    assert booking.status == BookingStatus.COMPLETED
