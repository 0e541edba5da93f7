"""Directory cards: the price from, how many spaces are still free today, a Book button; the same
queries for a page of 3 or 20 centres however many spaces and bookings they hold."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, time
from typing import Any

import pytest
import time_machine
from django.test import Client

from bookings.models import BookingStatus
from centres.hours import LOCAL_TZ, local_today
from centres.models import CentreStatus
from tests.bookings.factories import BookingFactory, CabinFactory
from tests.centres.factories import CentreFactory, ClosureFactory, SpaceFactory, weekdays_open

pytestmark = pytest.mark.django_db


def _today_at(hour: int, minute: int = 0) -> datetime:
    return datetime.combine(local_today(), time(hour, minute), LOCAL_TZ)


@pytest.fixture
def at_ten() -> Iterator[None]:
    with time_machine.travel(_today_at(10), tick=False):
        yield


def _card(html: str, name: str) -> str:
    start = html.index(f">{name}</a></h3>")
    return html[start : html.index("</li>", start)]


def test_a_card_shows_price_from_spaces_free_today_and_book(client: Client, at_ten: None) -> None:
    centre = CentreFactory(name="Multan Centre", slug="multan")
    weekdays_open(centre)  # 09:00-18:00
    full, half, free = CabinFactory.create_batch(3, centre=centre, rate_hourly_pkr=300)
    SpaceFactory(centre=centre, rate_hourly_pkr=150, in_service=False)  # out of service: not the price
    SpaceFactory(centre=centre, rate_hourly_pkr=180, kind="workstation")
    # Taken for the rest of today (from 10:00, now, to closing): not free today.
    BookingFactory(space=full, starts_at=_today_at(10), ends_at=_today_at(18))
    # Taken until 17:00: the last hour is still free today.
    BookingFactory(space=half, starts_at=_today_at(10), ends_at=_today_at(17))
    # A cancelled booking holds nothing.
    BookingFactory(
        space=free,
        starts_at=_today_at(10),
        ends_at=_today_at(18),
        status=BookingStatus.CANCELLED,
        cancelled_at=_today_at(9),
    )
    card = _card(client.get("/centres/").content.decode(), "Multan Centre")
    assert "From Rs 180 an hour" in card
    assert "3 spaces free today" in card
    assert 'href="/centres/multan/book/when/"' in card
    assert ">Book</a>" in card


def test_late_in_the_day_nothing_is_free_and_a_closure_day_neither(client: Client) -> None:
    late = CentreFactory(name="Late Centre")
    weekdays_open(late)
    CabinFactory(centre=late)
    shut = CentreFactory(name="Shut Centre")
    weekdays_open(shut)
    CabinFactory(centre=shut)
    ClosureFactory(centre=shut, date=local_today())
    with time_machine.travel(_today_at(17, 40), tick=False):
        html = client.get("/centres/").content.decode()
    assert "Nothing free for the rest of today" in _card(html, "Late Centre")
    assert "Nothing free for the rest of today" in _card(html, "Shut Centre")


def test_a_planned_centre_has_no_book_button(client: Client) -> None:
    CentreFactory(name="Planned Centre", status=CentreStatus.PLANNED)
    card = _card(client.get("/centres/").content.decode(), "Planned Centre")
    assert ">Book</a>" not in card
    assert "free today" not in card


@pytest.mark.parametrize("count", [3, 20])
def test_the_directory_needs_the_same_queries_for_3_or_20_centres_with_cards(
    client: Client, django_assert_num_queries: Any, count: int, at_ten: None
) -> None:
    for centre in CentreFactory.create_batch(count):
        weekdays_open(centre)
        for cabin in CabinFactory.create_batch(3, centre=centre):
            BookingFactory(space=cabin, starts_at=_today_at(11), ends_at=_today_at(12))
    # count, page, facilities, facility choices; hours, today's closures, spaces, bookings
    with django_assert_num_queries(8):
        html = client.get("/centres/").content.decode()
    assert html.count("3 spaces free today") == count
