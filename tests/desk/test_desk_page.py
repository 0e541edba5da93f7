"""The desk page: today's list in arrival order, live counts, search, and a pinned query count."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from bookings.models import Booking, BookingStatus
from desk.selectors import desk_counts
from tests.bookings.factories import MeetingRoomFactory
from tests.desk.helpers import fill_day, make_booking, today_at
from tests.freelancers.factories import UserFactory

pytestmark = pytest.mark.django_db

# User (sessions live in the cache), the header's "works at a centre?", centre, role, today's bookings
# with person, space and money paid, and two for the live counts.
DESK_PAGE_QUERIES = 7


@pytest.mark.parametrize("count", [3, 300])
def test_desk_page_loads_with_a_fixed_number_of_queries(
    client: Client, clerk: Any, centre: Any, count: int, django_assert_num_queries: Any, frozen: Any
) -> None:
    fill_day(centre, count)
    client.force_login(clerk)
    url = reverse("desk:home", args=[centre.slug])
    with django_assert_num_queries(DESK_PAGE_QUERIES):
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count('class="reference"') == count


def test_todays_bookings_are_listed_in_arrival_order_with_status_in_words(
    client: Client, clerk: Any, centre: Any, cabin: Any, workstation: Any, freelancer: Any, frozen: Any
) -> None:
    other = UserFactory(full_name="Bilal Ahmed")
    late = make_booking(cabin, freelancer, today_at(14), today_at(15))
    early = make_booking(
        workstation,
        other,
        today_at(9),
        today_at(12),
        status=BookingStatus.CHECKED_IN,
        checked_in_at=today_at(9, 5),
    )
    make_booking(cabin, freelancer, today_at(10, days=1), today_at(11, days=1))  # tomorrow: not listed
    client.force_login(clerk)
    html = client.get(reverse("desk:home", args=[centre.slug])).content.decode()
    assert html.index(early.reference) < html.index(late.reference)
    assert "Checked in at 09:05" in html
    assert "Expected" in html
    assert html.count('class="reference"') == 2
    assert "Unpaid" in html


def test_empty_day_shows_an_empty_state(client: Client, clerk: Any, centre: Any, frozen: Any) -> None:
    client.force_login(clerk)
    html = client.get(reverse("desk:home", args=[centre.slug])).content.decode()
    assert "No bookings today yet" in html


def test_live_counts_free_now_checked_in_expected_and_no_shows(
    centre: Any, cabin: Any, workstation: Any, freelancer: Any, frozen: Any
) -> None:
    MeetingRoomFactory(centre=centre)  # free all day
    other = UserFactory()
    make_booking(
        cabin,
        freelancer,
        today_at(9),
        today_at(12),
        status=BookingStatus.CHECKED_IN,
        checked_in_at=today_at(9),
    )
    make_booking(workstation, other, today_at(11), today_at(12))
    make_booking(workstation, UserFactory(), today_at(9), today_at(10), status=BookingStatus.NO_SHOW)
    counts = desk_counts(centre)
    assert (counts.free_now, counts.checked_in, counts.expected, counts.no_shows) == (2, 1, 1, 1)
    assert counts.spaces_in_service == 3


def test_counts_partial_refreshes_without_a_reload(
    client: Client, clerk: Any, centre: Any, booking: Any, frozen: Any
) -> None:
    client.force_login(clerk)
    home = client.get(reverse("desk:home", args=[centre.slug])).content.decode()
    assert 'hx-get="/desk/lahore-arfa/counts/"' in home and "every 20s" in home
    response = client.get(reverse("desk:counts", args=[centre.slug]), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert 'data-count="expected">1<' in html
    assert "<html" not in html


def test_search_finds_todays_booking_by_cnic_name_or_reference(
    client: Client, clerk: Any, centre: Any, booking: Any, workstation: Any, frozen: Any
) -> None:
    other = make_booking(workstation, UserFactory(full_name="Zainab Noor"), today_at(13), today_at(14))
    client.force_login(clerk)
    url = reverse("desk:list", args=[centre.slug])
    by_cnic = client.get(url, {"q": "3520212345671"}).content.decode()
    assert booking.reference in by_cnic and other.reference not in by_cnic
    by_name = client.get(url, {"q": "zainab"}).content.decode()
    assert other.reference in by_name and booking.reference not in by_name
    by_ref = client.get(url, {"q": other.reference.lower()}).content.decode()
    assert other.reference in by_ref and booking.reference not in by_ref
    nothing = client.get(url, {"q": "nobody-here"}).content.decode()
    assert "No booking today matches" in nothing


def test_scan_field_checks_in_and_answers_in_place_with_htmx(
    client: Client, clerk: Any, centre: Any, booking: Any, frozen: Any
) -> None:
    client.force_login(clerk)
    url = reverse("desk:check_in", args=[centre.slug])
    response = client.post(url, {"reference": booking.reference}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response["HX-Trigger"] == "deskChanged"
    assert "is checked in at 10:00" in response.content.decode()
    again = client.post(url, {"reference": booking.reference}, HTTP_HX_REQUEST="true").content.decode()
    assert "Already checked in at 10:00" in again


def test_scan_without_javascript_redirects_with_a_message(
    client: Client, clerk: Any, centre: Any, frozen: Any
) -> None:
    client.force_login(clerk)
    response = client.post(
        reverse("desk:check_in", args=[centre.slug]), {"reference": "ZZZZZZZZ"}, follow=True
    )
    assert "No booking has the reference ZZZZZZZZ" in response.content.decode()


def test_cnic_typed_into_the_scan_field_opens_the_person_lookup(
    client: Client, clerk: Any, centre: Any, booking: Any, frozen: Any
) -> None:
    client.force_login(clerk)
    response = client.post(
        reverse("desk:check_in", args=[centre.slug]), {"reference": "35202-1234567-1"}, follow=True
    )
    html = response.content.decode()
    assert response.redirect_chain[0][0].startswith("/desk/lahore-arfa/find/")
    assert booking.reference in html
    assert "35202-*******-1" in html
    with_htmx = client.post(
        reverse("desk:check_in", args=[centre.slug]), {"reference": "0300 1234567"}, HTTP_HX_REQUEST="true"
    )
    assert with_htmx["HX-Redirect"] == "/desk/lahore-arfa/find/?q=0300+1234567"


def test_desk_page_speaks_urdu_right_to_left(
    client: Client, clerk: Any, centre: Any, booking: Any, frozen: Any
) -> None:
    client.force_login(clerk)
    client.cookies["erozgar_language"] = "ur"
    html = client.get(reverse("desk:home", args=[centre.slug])).content.decode()
    assert 'dir="rtl"' in html
    assert "بکنگ ریفرنس اسکین کریں یا لکھیں" in html
    assert "متوقع" in html  # the status in words, in Urdu


@pytest.mark.parametrize("count", [3, 60])
def test_desk_log_page_loads_with_a_fixed_number_of_queries(
    client: Client, manager: Any, centre: Any, count: int, django_assert_num_queries: Any, frozen: Any
) -> None:
    from desk.models import DeskAction

    fill_day(centre, count)
    DeskAction.objects.bulk_create(
        [
            DeskAction(centre=centre, actor=manager, kind="check_in", booking=booking, summary="checked in")
            for booking in Booking.objects.filter(centre=centre)
        ]
    )
    client.force_login(manager)
    # User, the header's desk link, centre, role, the actions with who and which booking, the releases.
    with django_assert_num_queries(6):
        response = client.get(reverse("desk:log", args=[centre.slug]))
    assert response.content.decode().count("checked in</td>") == count


def test_a_booking_past_its_grace_shows_as_late_until_the_job_releases_it(
    client: Client, clerk: Any, centre: Any, cabin: Any, freelancer: Any, frozen: Any
) -> None:
    make_booking(cabin, freelancer, today_at(9), today_at(12))  # grace ended 09:30, it is 10:00
    client.force_login(clerk)
    html = client.get(reverse("desk:home", args=[centre.slug])).content.decode()
    assert "Late: not checked in, being released" in html
