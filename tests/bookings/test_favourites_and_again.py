"""My bookings: "Book again" (the same space, hour and length on the next day it is free) and
favourite spaces (one row per person and space, the owner's alone)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, time, timedelta
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client

from bookings.favourites import MOST_FAVOURITES
from bookings.models import Booking, BookingStatus, FavouriteSpace, Product
from centres.hours import LOCAL_TZ, local_today
from centres.models import CentreStatus
from tests.bookings.factories import BookingFactory, CabinFactory
from tests.centres.factories import CentreFactory, weekdays_open

pytestmark = pytest.mark.django_db


def _at(days: int, hour: int) -> datetime:
    return datetime.combine(local_today() + timedelta(days=days), time(hour), LOCAL_TZ)


@pytest.fixture
def eight_in_the_morning() -> Iterator[None]:
    with time_machine.travel(_at(0, 8), tick=False):
        yield


def _favourite(client: Client, space: Any, action: str = "add") -> Any:
    return client.post("/bookings/favourites/", {"space": space.pk, "action": action})


# --- favourites ---------------------------------------------------------------------------


def test_a_space_is_a_favourite_once_per_person_in_the_database(cabin: Any, freelancer: Any) -> None:
    FavouriteSpace.objects.create(user=freelancer, space=cabin)
    with pytest.raises(ValidationError):
        FavouriteSpace(user=freelancer, space=cabin).full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        FavouriteSpace.objects.create(user=freelancer, space=cabin)


def test_saving_a_favourite_shows_it_on_my_bookings_and_twice_keeps_one(
    client: Client, cabin: Any, freelancer: Any
) -> None:
    client.force_login(freelancer)
    assert _favourite(client, cabin).status_code == 302
    assert _favourite(client, cabin).status_code == 302
    assert FavouriteSpace.objects.filter(user=freelancer).count() == 1
    html = client.get("/bookings/").content.decode()
    assert "Favourite spaces" in html
    assert "Find a time for Cabin A" in html
    assert f'href="/centres/{cabin.centre.slug}/book/when/"' in html


def test_a_person_sees_and_removes_only_their_own_favourites(
    client: Client, cabin: Any, other_cabin: Any, freelancer: Any, other_freelancer: Any
) -> None:
    FavouriteSpace.objects.create(user=freelancer, space=cabin)
    client.force_login(other_freelancer)
    html = client.get("/bookings/").content.decode()
    assert "Favourite spaces" not in html and "Cabin A" not in html
    # Removing "Cabin A" touches the other person's list only (where it is not): theirs stays.
    assert _favourite(client, cabin, "remove").status_code == 302
    assert FavouriteSpace.objects.filter(user=freelancer, space=cabin).exists()
    # The owner can remove it.
    client.force_login(freelancer)
    _favourite(client, cabin, "remove")
    assert not FavouriteSpace.objects.filter(user=freelancer).exists()


def test_anonymous_visitors_cannot_save_favourites(client: Client, cabin: Any) -> None:
    response = _favourite(client, cabin)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not FavouriteSpace.objects.exists()


@pytest.mark.parametrize("space_value", ["abc", "", "0", "99999999", "1\x00"])
def test_a_bad_space_is_a_404_not_a_500(client: Client, freelancer: Any, space_value: str) -> None:
    client.force_login(freelancer)
    response = client.post("/bookings/favourites/", {"space": space_value})
    assert response.status_code in (400, 404)
    assert not FavouriteSpace.objects.exists()


def test_a_space_out_of_service_or_at_a_suspended_centre_cannot_be_saved(
    client: Client, freelancer: Any
) -> None:
    client.force_login(freelancer)
    retired = CabinFactory(in_service=False)
    hidden = CabinFactory(centre=CentreFactory(status=CentreStatus.SUSPENDED))
    assert _favourite(client, retired).status_code == 404
    assert _favourite(client, hidden).status_code == 404
    assert client.get("/bookings/favourites/").status_code == 405


def test_the_number_of_favourites_is_bounded_with_a_clear_message(
    client: Client, centre: Any, freelancer: Any
) -> None:
    client.force_login(freelancer)
    for space in CabinFactory.create_batch(MOST_FAVOURITES, centre=centre):
        FavouriteSpace.objects.create(user=freelancer, space=space)
    response = client.post("/bookings/favourites/", {"space": CabinFactory(centre=centre).pk}, follow=True)
    assert (
        f"You can keep up to {MOST_FAVOURITES} favourite spaces. Remove one first."
        in response.content.decode()
    )
    assert FavouriteSpace.objects.filter(user=freelancer).count() == MOST_FAVOURITES


# --- book again -----------------------------------------------------------------------------


def test_book_again_offers_the_same_hours_on_the_next_day_the_space_is_free(
    client: Client, centre: Any, freelancer: Any, other_freelancer: Any, eight_in_the_morning: None
) -> None:
    cabin = CabinFactory(centre=centre, label="Cabin A", rate_hourly_pkr=200)
    BookingFactory(
        space=cabin,
        user=freelancer,
        starts_at=_at(-3, 10),
        ends_at=_at(-3, 12),
        status=BookingStatus.COMPLETED,
        checked_in_at=_at(-3, 10),
    )
    # Someone else holds 11:00-12:00 today: today is not free for 10:00-12:00, tomorrow is.
    BookingFactory(space=cabin, user=other_freelancer, starts_at=_at(0, 11), ends_at=_at(0, 12))
    client.force_login(freelancer)
    html = client.get("/bookings/").content.decode()
    assert "Book Cabin A again" in html
    start = _at(1, 10).isoformat().replace(":", "%3A").replace("+", "%2B")
    link = f"/centres/{centre.slug}/book/review/?space={cabin.pk}&amp;start={start}&amp;option=hourly:120"
    assert link in html
    review = client.get(link.replace("&amp;", "&")).content.decode()
    assert '<option value="hourly:120" selected>' in review
    response = client.post(
        f"/centres/{centre.slug}/book/review/",
        {"space": cabin.pk, "start": _at(1, 10).isoformat(), "option": "hourly:120"},
    )
    assert response.status_code == 302
    again = Booking.objects.filter(user=freelancer, status=BookingStatus.CONFIRMED).get()
    assert (again.starts_at, again.ends_at, again.price_pkr) == (_at(1, 10), _at(1, 12), 400)


def test_no_book_again_for_a_monthly_plan_or_a_space_out_of_service(
    client: Client, centre: Any, workstation: Any, freelancer: Any, eight_in_the_morning: None
) -> None:
    BookingFactory(
        space=workstation,
        user=freelancer,
        product=Product.MONTHLY,
        starts_at=_at(-40, 0),
        ends_at=_at(-10, 0),
        status=BookingStatus.COMPLETED,
        checked_in_at=_at(-40, 9),
    )
    retired = CabinFactory(centre=centre, label="Cabin Old", in_service=False)
    BookingFactory(space=retired, user=freelancer, starts_at=_at(-2, 10), ends_at=_at(-2, 11))
    client.force_login(freelancer)
    html = client.get("/bookings/").content.decode()
    assert "again</a>" not in html


@pytest.mark.parametrize("count", [3, 20])
def test_my_bookings_needs_the_same_queries_for_3_or_20_bookings(
    client: Client, freelancer: Any, django_assert_num_queries: Any, count: int, eight_in_the_morning: None
) -> None:
    for n in range(count):
        centre = CentreFactory()
        weekdays_open(centre)
        cabin = CabinFactory(centre=centre)
        BookingFactory(space=cabin, user=freelancer, starts_at=_at(-n - 1, 10), ends_at=_at(-n - 1, 11))
        FavouriteSpace.objects.create(user=freelancer, space=cabin)
    client.force_login(freelancer)
    client.get("/bookings/")
    # user, the header's desk link, upcoming, past, hours, closures, the spaces' bookings, favourites
    with django_assert_num_queries(8):
        html = client.get("/bookings/").content.decode()
    assert html.count("again</a>") == count
