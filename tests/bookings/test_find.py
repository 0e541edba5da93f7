"""Time first: a day, a start and a length; the spaces free for all of it, by kind, with the price."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

import pytest
from django.test import Client

from bookings.models import Booking
from centres.hours import local_today
from centres.models import DurationRule, SpaceKind
from tests.bookings.factories import BookingFactory, CabinFactory, MeetingRoomFactory, tomorrow_at
from tests.centres.factories import ClosureFactory, SpaceFactory

pytestmark = pytest.mark.django_db


def _find(client: Client, centre: Any, **params: Any) -> str:
    response = client.get(f"/centres/{centre.slug}/book/when/?{urlencode(params)}")
    assert response.status_code == 200
    return response.content.decode()


def _tomorrow() -> str:
    return (local_today() + timedelta(days=1)).isoformat()


def test_it_lists_only_spaces_free_for_all_of_the_time_by_kind_with_the_price(
    client: Client, cabin: Any, other_cabin: Any, workstation: Any, meeting_room: Any, freelancer: Any
) -> None:
    # Cabin A is taken 11:00-12:00: free at 10:00, but not for all of 10:00-12:00.
    BookingFactory(space=cabin, user=freelancer, starts_at=tomorrow_at(11), ends_at=tomorrow_at(12))
    html = _find(client, cabin.centre, day=_tomorrow(), start="10:00", length=120)
    assert "Book Cabin A" not in html
    assert "Book Cabin B" in html
    assert "Book WS-01" in html
    assert "Book Meeting room Indus" in html
    # By kind, in the order of SpaceKind, each with the price of two hours.
    assert (
        html.index('id="kind-workstation"')
        < html.index('id="kind-cabin"')
        < html.index('id="kind-meeting_room"')
    )
    assert "Rs 400" in html  # the cabin: 200 an hour
    assert "Rs 1,000" in html  # the meeting room: 500 an hour
    assert "3 spaces free." in html


def test_the_book_button_opens_review_with_the_length_chosen_and_confirming_books_it(
    client: Client, cabin: Any, freelancer: Any
) -> None:
    client.force_login(freelancer)
    html = _find(client, cabin.centre, day=_tomorrow(), start="10:00", length=120)
    start = tomorrow_at(10).isoformat()
    review = f"/centres/{cabin.centre.slug}/book/review/?" + urlencode(
        {"space": cabin.pk, "start": start, "option": "hourly:120"}
    )
    assert f"?space={cabin.pk}&amp;start=2" in html
    assert "&amp;option=hourly:120" in html
    page = client.get(review).content.decode()
    assert '<option value="hourly:120" selected>' in page
    response = client.post(
        f"/centres/{cabin.centre.slug}/book/review/",
        {"space": cabin.pk, "start": start, "option": "hourly:120"},
    )
    assert response.status_code == 302
    booking = Booking.objects.get(user=freelancer)
    assert (booking.starts_at, booking.ends_at, booking.price_pkr) == (tomorrow_at(10), tomorrow_at(12), 400)


def test_now_means_the_next_half_hour_today_and_the_opening_time_on_another_day(
    client: Client, cabin: Any
) -> None:
    html = _find(client, cabin.centre, day=_tomorrow(), start="now", length=60)
    assert '<span dir="ltr">09:00–10:00</span>' in html
    assert "Book Cabin A" in html


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"start": "17:00", "length": 120}, "That is outside opening hours"),
        ({"start": "17:30", "length": 60}, "That is outside opening hours"),
    ],
)
def test_a_time_outside_opening_hours_says_so(client: Client, cabin: Any, params: Any, message: str) -> None:
    html = _find(client, cabin.centre, day=_tomorrow(), **params)
    assert message in html
    assert "Book Cabin A" not in html


def test_a_closed_day_says_closed(client: Client, cabin: Any) -> None:
    ClosureFactory(centre=cabin.centre, date=local_today() + timedelta(days=1))
    html = _find(client, cabin.centre, day=_tomorrow(), start="10:00", length=60)
    assert "is closed on" in html
    assert "Book Cabin A" not in html


@pytest.mark.parametrize(
    "params",
    [
        {"day": "2001-01-01"},
        {"day": "not-a-day"},
        {"start": "25:00"},
        {"start": "10:15"},
        {"length": "abc"},
        {"length": "7"},
        {"day": "\u202e2026"},
    ],
)
def test_bad_choices_are_form_errors_not_500s(client: Client, cabin: Any, params: Any) -> None:
    html = _find(client, cabin.centre, **params)
    assert 'class="errorlist' in html
    assert "Choose a day, a start and a length from the lists above." in html
    assert "Book Cabin A" not in html


def test_a_length_outside_a_kinds_limits_is_explained(client: Client, cabin: Any, meeting_room: Any) -> None:
    DurationRule.objects.create(
        centre=cabin.centre, kind=SpaceKind.MEETING_ROOM, min_minutes=60, max_minutes=120
    )
    html = _find(client, cabin.centre, day=_tomorrow(), start="10:00", length=240)
    assert "Booked for 60 to 120 minutes at this centre." in html
    assert "Book Meeting room Indus" not in html
    assert "Book Cabin A" in html


def test_htmx_gets_just_the_results_and_the_status(client: Client, cabin: Any) -> None:
    response = client.get(
        f"/centres/{cabin.centre.slug}/book/when/?day={_tomorrow()}&start=10:00&length=60",
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert "<html" not in html
    assert 'id="finder-status" hx-swap-oob="innerHTML"' in html
    assert "Book Cabin A" in html


def test_a_day_pass_cheaper_than_the_hours_is_offered(client: Client, workstation: Any) -> None:
    # Six hours at Rs 100 cost Rs 600; the day pass is Rs 500.
    html = _find(client, workstation.centre, day=_tomorrow(), start="10:00", length=360)
    assert "A day pass costs Rs 500, less than Rs 600 for these hours." in html
    assert "option=day_pass" in html
    # Two hours (Rs 200) are cheaper than the day pass: nothing to say.
    assert "A day pass costs" not in _find(
        client, workstation.centre, day=_tomorrow(), start="10:00", length=120
    )


def test_no_day_pass_tip_when_part_of_the_day_is_taken(
    client: Client, workstation: Any, freelancer: Any
) -> None:
    BookingFactory(space=workstation, user=freelancer, starts_at=tomorrow_at(16), ends_at=tomorrow_at(17))
    html = _find(client, workstation.centre, day=_tomorrow(), start="09:00", length=360)
    assert "Book WS-01" in html
    assert "A day pass costs" not in html


def test_a_freelancer_not_yet_approved_is_told_why_no_monthly_plan_and_how_to_get_it(
    client: Client, workstation: Any, freelancer: Any, approved_freelancer: Any
) -> None:
    client.force_login(freelancer)  # submitted, not approved
    html = _find(client, workstation.centre, day=_tomorrow(), start="10:00", length=60)
    assert "Monthly seat plans are for freelancers whose registration is approved." in html
    assert 'href="/registration/"' in html
    assert "option=monthly" not in html
    client.force_login(approved_freelancer)
    html = _find(client, workstation.centre, day=_tomorrow(), start="10:00", length=60)
    assert "Monthly seat plans are for" not in html
    # An approved freelancer is offered the plan itself, one tap away.
    assert "By the month: Rs 3,500." in html and "&amp;option=monthly" in html
    assert "Book WS-01 for " in html


@pytest.mark.parametrize("count", [3, 30])
def test_the_query_count_is_the_same_for_3_or_30_spaces(
    client: Client, centre: Any, freelancer: Any, django_assert_num_queries: Any, count: int
) -> None:
    CabinFactory.create_batch(count, centre=centre)
    MeetingRoomFactory.create_batch(count, centre=centre)
    SpaceFactory.create_batch(count, centre=centre, kind=SpaceKind.WORKSTATION, rate_hourly_pkr=100)
    for cabin in list(centre.spaces.filter(kind=SpaceKind.CABIN))[:2]:
        BookingFactory(space=cabin, starts_at=tomorrow_at(10), ends_at=tomorrow_at(11))
    client.force_login(freelancer)
    url = f"/centres/{centre.slug}/book/when/?day={_tomorrow()}&start=10:00&length=60"
    client.get(url)
    # session, user, centre, hours, duration rules, closures, spaces, bookings, registration
    with django_assert_num_queries(9):
        assert client.get(url).status_code == 200


def test_in_urdu_the_times_are_isolated_left_to_right(client: Client, cabin: Any) -> None:
    client.cookies["erozgar_language"] = "ur"
    html = _find(client, cabin.centre, day=_tomorrow(), start="10:00", length=120)
    assert 'dir="rtl"' in html
    status = html[html.index('id="finder-status"') : html.index("</p>", html.index('id="finder-status"'))]
    assert '<span dir="ltr">10:00–12:00</span>' in status
    assert "خالی" in status
