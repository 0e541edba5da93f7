"""Walk-ins by kind: one offer per kind of space (the one free the longest), a filter by kind,
another space of the kind on request, instead of a card for each of 110 free seats."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from bookings.models import Booking
from centres.models import SpaceKind
from tests.bookings.factories import CabinFactory
from tests.centres.factories import SpaceFactory
from tests.desk.helpers import make_booking, today_at
from tests.freelancers.factories import UserFactory

pytestmark = pytest.mark.django_db

CNIC = "35202-1234567-1"  # the freelancer fixture's


def _seats(centre: Any, count: int) -> list[Any]:
    return [
        SpaceFactory(centre=centre, kind=SpaceKind.WORKSTATION, label=f"WS-{n:03d}", rate_hourly_pkr=100)
        for n in range(1, count + 1)
    ]


def _page(client: Client, centre: Any, **params: Any) -> str:
    response = client.get(reverse("desk:walk_in", args=[centre.slug]), {"person": CNIC, **params})
    assert response.status_code == 200
    return response.content.decode()


def test_110_free_seats_are_one_offer_of_the_seat_free_the_longest(
    client: Client, clerk: Any, centre: Any, freelancer: Any, frozen: Any
) -> None:
    seats = _seats(centre, 110)
    CabinFactory.create_batch(3, centre=centre)
    # WS-001 is booked from 12:00, so it is free for less time than WS-002.
    make_booking(seats[0], UserFactory(), today_at(12), today_at(13))
    client.force_login(clerk)
    html = _page(client, centre)
    assert html.count('class="card free-space"') == 2  # one per kind, not 113 cards
    assert "Book WS-002 and check in" in html
    assert "Book WS-001 and check in" not in html
    assert "109 more of this kind free" in html
    assert "Open workstation (110 free)" in html and "Individual cabin (3 free)" in html


def test_filtering_by_kind_offers_that_kind_only_and_another_one_on_request(
    client: Client, clerk: Any, centre: Any, freelancer: Any, frozen: Any
) -> None:
    _seats(centre, 5)
    first, second = CabinFactory(centre=centre, label="Cabin P"), CabinFactory(centre=centre, label="Cabin Q")
    client.force_login(clerk)
    html = _page(client, centre, kind="cabin")
    assert html.count('class="card free-space"') == 1
    assert "Book Cabin P and check in" in html and "WS-00" not in html.split("free-spaces")[1]
    assert f"kind=cabin&amp;space={second.pk}" in html
    html = _page(client, centre, kind="cabin", space=second.pk)
    assert "Book Cabin Q and check in" in html and "Book Cabin P and check in" not in html
    del first


def test_the_offered_space_books_and_checks_in(
    client: Client, clerk: Any, centre: Any, freelancer: Any, frozen: Any
) -> None:
    seats = _seats(centre, 3)
    client.force_login(clerk)
    url = reverse("desk:walk_in", args=[centre.slug])
    response = client.post(
        url, {"person": CNIC, "space": seats[0].pk, "until": "11:00", "kind": "workstation"}
    )
    assert response.status_code == 302
    assert Booking.objects.get(user=freelancer).space == seats[0]


@pytest.mark.parametrize(
    "params", [{"kind": "spaceship"}, {"kind": "cabin", "space": "abc"}, {"space": "-1"}]
)
def test_a_bad_kind_or_space_shows_every_kind_not_a_500(
    client: Client, clerk: Any, centre: Any, freelancer: Any, frozen: Any, params: Any
) -> None:
    _seats(centre, 2)
    CabinFactory(centre=centre)
    client.force_login(clerk)
    html = _page(client, centre, **params)
    assert html.count('class="card free-space"') >= 1


@pytest.mark.parametrize("count", [3, 110])
def test_the_walk_in_page_needs_the_same_queries_for_3_or_110_free_seats(
    client: Client,
    clerk: Any,
    centre: Any,
    freelancer: Any,
    frozen: Any,
    django_assert_num_queries: Any,
    count: int,
) -> None:
    _seats(centre, count)
    client.force_login(clerk)
    _page(client, centre)
    # The person's look-up (audited), the centre with its rules, hours, spaces and today's bookings:
    # the same 18 whatever the number of seats.
    with django_assert_num_queries(18):
        html = _page(client, centre, kind="workstation")
    assert html.count('class="card free-space"') == 1
