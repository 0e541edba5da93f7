"""Only a manager or desk clerk of a centre reaches its desk: every page and API, both ways."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from bookings.models import BookingStatus
from desk.models import Payment
from tests.desk.helpers import today_at

pytestmark = pytest.mark.django_db


@pytest.fixture
def payment(booking: Any, clerk: Any) -> Payment:
    return Payment.objects.create(booking=booking, centre=booking.centre, amount_pkr=100, received_by=clerk)


def _pages(centre: Any, booking: Any, payment: Payment) -> list[tuple[str, str]]:
    slug, ref = centre.slug, booking.reference
    return [
        ("get", reverse("desk:home", args=[slug])),
        ("get", reverse("desk:list", args=[slug])),
        ("get", reverse("desk:counts", args=[slug])),
        ("get", reverse("desk:lookup", args=[slug]) + "?q=35202-1234567-1"),
        ("get", reverse("desk:walk_in", args=[slug]) + "?person=35202-1234567-1"),
        ("get", reverse("desk:booking", args=[slug, ref])),
        ("get", reverse("desk:pay", args=[slug, ref])),
        ("get", reverse("desk:receipt", args=[slug, payment.pk])),
        ("get", reverse("desk:log", args=[slug])),
        ("post", reverse("desk:check_in", args=[slug])),
        ("post", reverse("desk:check_out", args=[slug])),
        ("post", reverse("desk:pay", args=[slug, ref])),
        ("post", reverse("desk:walk_in", args=[slug])),
    ]


def _apis(centre: Any) -> list[tuple[str, str]]:
    return [
        ("post", f"/api/v1/desk/{centre.pk}/check-in/"),
        ("post", f"/api/v1/desk/{centre.pk}/check-out/"),
        ("get", f"/api/v1/desk/{centre.pk}/today/"),
    ]


def _hit(client: Any, method: str, url: str, booking: Any) -> Any:
    data = {
        "reference": booking.reference,
        "amount_pkr": "100",
        "method": "cash",
        "person": "x",
        "space": "1",
    }
    return client.post(url, data) if method == "post" else client.get(url)


def test_desk_clerk_reaches_every_desk_page_of_their_centre(
    client: Client, manager: Any, booking: Any, payment: Payment, frozen: Any
) -> None:
    client.force_login(manager)
    for method, url in _pages(booking.centre, booking, payment):
        if method == "get":
            assert client.get(url).status_code == 200, url


def test_staff_of_another_centre_get_403_on_every_desk_page_and_change_nothing(
    client: Client, other_staff: Any, booking: Any, payment: Payment, frozen: Any
) -> None:
    client.force_login(other_staff)
    for method, url in _pages(booking.centre, booking, payment):
        assert _hit(client, method, url, booking).status_code in (403, 404), url
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED
    assert Payment.objects.count() == 1


def test_staff_of_another_centre_get_403_on_every_desk_api(
    other_staff: Any, booking: Any, frozen: Any
) -> None:
    api = APIClient()
    api.force_authenticate(other_staff)
    for method, url in _apis(booking.centre):
        response = (
            api.post(url, {"reference": booking.reference}, format="json")
            if method == "post"
            else api.get(url)
        )
        assert response.status_code in (403, 404), url
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED


def test_freelancer_gets_nothing_from_any_desk_page_or_api(
    client: Client, freelancer: Any, booking: Any, payment: Payment, frozen: Any
) -> None:
    client.force_login(freelancer)
    for method, url in _pages(booking.centre, booking, payment):
        assert _hit(client, method, url, booking).status_code == 403, url
    api = APIClient()
    api.force_authenticate(freelancer)
    for method, url in _apis(booking.centre):
        response = (
            api.post(url, {"reference": booking.reference}, format="json")
            if method == "post"
            else api.get(url)
        )
        assert response.status_code == 403, url


def test_anonymous_visitor_is_sent_to_log_in_and_the_api_refuses(
    client: Client, booking: Any, payment: Payment, frozen: Any
) -> None:
    for method, url in _pages(booking.centre, booking, payment):
        response = _hit(client, method, url, booking)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url
    api = APIClient()
    for method, url in _apis(booking.centre):
        response = (
            api.post(url, {"reference": booking.reference}, format="json")
            if method == "post"
            else api.get(url)
        )
        assert response.status_code in (401, 403), url


def test_desk_clerk_cannot_read_the_managers_desk_log(
    client: Client, clerk: Any, manager: Any, centre: Any
) -> None:
    url = reverse("desk:log", args=[centre.slug])
    client.force_login(clerk)
    assert client.get(url).status_code == 403
    client.force_login(manager)
    assert client.get(url).status_code == 200


def test_unknown_centre_is_404(client: Client, clerk: Any) -> None:
    client.force_login(clerk)
    assert client.get(reverse("desk:home", args=["nowhere"])).status_code == 404
    api = APIClient()
    api.force_authenticate(clerk)
    assert api.get("/api/v1/desk/999999/today/").status_code == 404


def test_booking_and_receipt_of_another_centre_are_404_on_our_desk(
    client: Client, clerk: Any, other_centre: Any, freelancer: Any, frozen: Any
) -> None:
    from tests.bookings.factories import CabinFactory
    from tests.desk.helpers import make_booking

    elsewhere = make_booking(CabinFactory(centre=other_centre), freelancer, today_at(10), today_at(12))
    theirs = Payment.objects.create(booking=elsewhere, centre=other_centre, amount_pkr=50, received_by=clerk)
    client.force_login(clerk)
    ours = "lahore-arfa"
    assert client.get(reverse("desk:booking", args=[ours, elsewhere.reference])).status_code == 404
    assert client.get(reverse("desk:pay", args=[ours, elsewhere.reference])).status_code == 404
    assert client.get(reverse("desk:receipt", args=[ours, theirs.pk])).status_code == 404
