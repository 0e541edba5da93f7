"""PSEB admins read bookings and their audit trail; the admin cannot edit or delete them."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from bookings.services import booking_cancel
from tests.bookings.factories import BookingFactory, CabinFactory

pytestmark = pytest.mark.django_db


def test_admin_lists_bookings_in_a_fixed_number_of_queries(
    client: Client, pseb_admin: Any, centre: Any, freelancer: Any, django_assert_max_num_queries: Any
) -> None:
    client.force_login(pseb_admin)
    for space in CabinFactory.create_batch(20, centre=centre):
        BookingFactory(space=space, user=freelancer, holds_seat=False)
    with django_assert_max_num_queries(12):
        response = client.get("/admin/bookings/booking/")
    assert response.status_code == 200


def test_admin_shows_the_audit_trail_and_no_delete(
    client: Client, pseb_admin: Any, cabin: Any, freelancer: Any
) -> None:
    booking = BookingFactory(space=cabin, user=freelancer)
    booking_cancel(booking=booking, actor=freelancer, reason="Travel")
    client.force_login(pseb_admin)
    html = client.get(f"/admin/bookings/booking/{booking.pk}/change/").content.decode()
    assert "Travel" in html and booking.reference in html
    assert client.get(f"/admin/bookings/booking/{booking.pk}/delete/").status_code == 403
    assert client.get("/admin/bookings/booking/add/").status_code == 403
