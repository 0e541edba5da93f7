"""Booking pages: the grid, review and confirm, my bookings, one booking with QR and .ics, cancel."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

import pytest
from django.test import Client
from icalendar import Calendar

from bookings.models import Booking, BookingStatus
from centres.hours import local_today
from tests.bookings.factories import BookingFactory, CabinFactory, tomorrow_at
from tests.centres.factories import CentreFactory, ClosureFactory, weekdays_open

pytestmark = pytest.mark.django_db


def _review_url(space: Any, start: Any) -> str:
    return f"/centres/{space.centre.slug}/book/review/?" + urlencode(
        {"space": space.pk, "start": start.isoformat()}
    )


def test_the_grid_shows_free_and_taken_in_words(
    client: Client, cabin: Any, other_cabin: Any, freelancer: Any
) -> None:
    BookingFactory(space=cabin, user=freelancer, starts_at=tomorrow_at(10), ends_at=tomorrow_at(12))
    day = tomorrow_at(0).date().isoformat()
    response = client.get(f"/centres/{cabin.centre.slug}/book/?date={day}")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Book Cabin A at 09:00" in html
    assert "Book Cabin A at 10:00" not in html
    assert "Cabin A 10:00: </span>Taken" in html
    assert "Book Cabin B at 10:00" in html
    assert '<th scope="col">09:30</th>' in html
    assert "<caption" in html


def test_the_grid_answers_htmx_with_just_the_grid(client: Client, cabin: Any) -> None:
    day = tomorrow_at(0).date().isoformat()
    response = client.get(f"/centres/{cabin.centre.slug}/book/?date={day}", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html
    assert 'hx-swap-oob="innerHTML"' in html
    assert "Book Cabin A at 09:00" in html


def test_a_closure_day_shows_closed_not_an_empty_grid(client: Client, cabin: Any) -> None:
    day = local_today() + timedelta(days=2)
    ClosureFactory(centre=cabin.centre, date=day)
    html = client.get(f"/centres/{cabin.centre.slug}/book/?date={day.isoformat()}").content.decode()
    assert "is closed on" in html
    assert "Book Cabin A" not in html


def test_bad_day_and_kind_parameters_fall_back_to_today(client: Client, cabin: Any) -> None:
    response = client.get(f"/centres/{cabin.centre.slug}/book/?date=yesterday&kind=castle")
    assert response.status_code == 200


def test_the_grid_costs_the_same_queries_for_300_spaces_as_for_3(
    client: Client, django_assert_num_queries: Any, freelancer: Any
) -> None:
    def centre_with(count: int) -> Any:
        centre = CentreFactory()
        weekdays_open(centre)
        CabinFactory.create_batch(count, centre=centre)
        return centre

    small, large = centre_with(3), centre_with(300)
    for space in list(large.spaces.all()[:40]):
        BookingFactory(
            space=space, user=freelancer, starts_at=tomorrow_at(10), ends_at=tomorrow_at(11), holds_seat=False
        )
    day = tomorrow_at(0).date().isoformat()
    client.force_login(freelancer)
    with django_assert_num_queries(9) as small_run:  # 8, and the header's "works at a centre?"
        client.get(f"/centres/{small.slug}/book/?date={day}")
    with django_assert_num_queries(len(small_run.captured_queries)):
        response = client.get(f"/centres/{large.slug}/book/?date={day}")
    html = response.content.decode()
    assert "Spaces 1–40 of 300" in html
    assert html.count("Book ") > 40 * 10
    with django_assert_num_queries(len(small_run.captured_queries) - 1):  # the grid alone has no header
        last = client.get(f"/centres/{large.slug}/book/?date={day}&page=8", HTTP_HX_REQUEST="true")
    assert "Spaces 281–300 of 300" in last.content.decode()


def test_anonymous_visitors_see_the_grid_and_are_asked_to_sign_in(client: Client, cabin: Any) -> None:
    html = client.get(_review_url(cabin, tomorrow_at(10))).content.decode()
    assert "Sign in to book" in html
    assert "Confirm booking" not in html


def test_unregistered_people_are_asked_to_register_not_shown_an_error(
    client: Client, cabin: Any, unregistered: Any
) -> None:
    client.force_login(unregistered)
    response = client.get(_review_url(cabin, tomorrow_at(10)))
    assert response.status_code == 200
    assert "complete your freelancer registration" in response.content.decode()
    assert 'href="/registration/"' in response.content.decode()  # the registration page, by its real name
    response = client.post(
        f"/centres/{cabin.centre.slug}/book/review/",
        {"space": cabin.pk, "start": tomorrow_at(10).isoformat(), "option": "hourly:120"},
    )
    assert response.status_code == 200
    assert Booking.objects.count() == 0


def test_review_shows_lengths_with_prices_and_confirming_books(
    client: Client, cabin: Any, freelancer: Any
) -> None:
    client.force_login(freelancer)
    html = client.get(_review_url(cabin, tomorrow_at(10))).content.decode()
    assert "2 hours (\u206610:00–12:00\u2069) · Rs 400" in html
    assert "Day pass (\u206609:00–18:00\u2069) · Rs 1,200" in html
    response = client.post(
        f"/centres/{cabin.centre.slug}/book/review/",
        {"space": cabin.pk, "start": tomorrow_at(10).isoformat(), "option": "hourly:120"},
    )
    booking = Booking.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/bookings/{booking.reference}/"
    assert (booking.starts_at, booking.ends_at, booking.price_pkr) == (tomorrow_at(10), tomorrow_at(12), 400)


def test_review_offers_a_day_pass_from_opening(client: Client, cabin: Any, freelancer: Any) -> None:
    client.force_login(freelancer)
    html = client.get(_review_url(cabin, tomorrow_at(9))).content.decode()
    assert "Day pass (\u206609:00–18:00\u2069) · Rs 1,200" in html


def test_losing_a_race_on_the_page_shows_just_taken_with_alternatives(
    client: Client, cabin: Any, other_cabin: Any, freelancer: Any, other_freelancer: Any
) -> None:
    client.force_login(freelancer)
    assert (
        "1 hour (\u206610:00–11:00\u2069)" in client.get(_review_url(cabin, tomorrow_at(10))).content.decode()
    )
    BookingFactory(space=cabin, user=other_freelancer, starts_at=tomorrow_at(10), ends_at=tomorrow_at(11))
    response = client.post(
        f"/centres/{cabin.centre.slug}/book/review/",
        {"space": cabin.pk, "start": tomorrow_at(10).isoformat(), "option": "hourly:60"},
    )
    html = response.content.decode()
    assert response.status_code == 409
    assert "Just taken" in html and "was just taken" in html
    assert "Cabin B" in html
    assert Booking.objects.filter(user=freelancer).count() == 0


def test_review_of_a_space_at_another_centre_or_garbage_is_404(client: Client, cabin: Any) -> None:
    elsewhere = CabinFactory()
    assert (
        client.get(
            _review_url(elsewhere, tomorrow_at(10)).replace(elsewhere.centre.slug, cabin.centre.slug)
        ).status_code
        == 404
    )
    assert client.get(f"/centres/{cabin.centre.slug}/book/review/?space=abc").status_code == 404


def test_my_bookings_lists_upcoming_and_past_with_an_empty_state(
    client: Client, cabin: Any, freelancer: Any
) -> None:
    client.force_login(freelancer)
    assert "You have no upcoming bookings." in client.get("/bookings/").content.decode()
    upcoming = BookingFactory(space=cabin, user=freelancer)
    BookingFactory(
        space=cabin,
        user=freelancer,
        status=BookingStatus.CANCELLED,
        cancelled_at=tomorrow_at(8),
        starts_at=tomorrow_at(14),
        ends_at=tomorrow_at(15),
    )
    html = client.get("/bookings/").content.decode()
    assert f"Cancel booking {upcoming.reference}" in html
    assert "Cancelled" in html


def test_my_bookings_costs_the_same_queries_for_20_as_for_2(
    client: Client, centre: Any, freelancer: Any, django_assert_num_queries: Any
) -> None:
    client.force_login(freelancer)
    cabins = CabinFactory.create_batch(20, centre=centre)
    for i, space in enumerate(cabins[:2]):
        BookingFactory(
            space=space,
            user=freelancer,
            starts_at=tomorrow_at(9) + timedelta(days=i),
            ends_at=tomorrow_at(10) + timedelta(days=i),
        )
    # user, the header's desk link, upcoming, past; for "Book again" the centres' hours, closures
    # and the spaces' bookings; the favourites
    with django_assert_num_queries(8) as few:
        client.get("/bookings/")
    for i, space in enumerate(cabins[2:]):
        BookingFactory(
            space=space,
            user=freelancer,
            starts_at=tomorrow_at(9) + timedelta(days=i + 2),
            ends_at=tomorrow_at(10) + timedelta(days=i + 2),
        )
    with django_assert_num_queries(len(few.captured_queries)):
        client.get("/bookings/")


def test_my_bookings_needs_a_sign_in(client: Client, db: Any) -> None:
    response = client.get("/bookings/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_booking_page_shows_qr_of_the_reference_and_directions(
    client: Client, cabin: Any, freelancer: Any
) -> None:
    booking = BookingFactory(space=cabin, user=freelancer)
    client.force_login(freelancer)
    html = client.get(f"/bookings/{booking.reference}/").content.decode()
    assert "<svg" in html and f"QR code for booking reference {booking.reference}" in html
    assert "openstreetmap.org/directions" in html
    assert cabin.centre.address in html


def test_the_qr_code_encodes_only_the_reference(cabin: Any, freelancer: Any) -> None:
    from bookings.documents import booking_qr

    booking = BookingFactory(space=cabin, user=freelancer)
    qr = booking_qr(booking)
    import segno

    assert qr.matrix == segno.make(booking.reference, error="m", micro=False).matrix


def test_ics_download_holds_one_event_in_utc(client: Client, cabin: Any, freelancer: Any) -> None:
    booking = BookingFactory(space=cabin, user=freelancer)
    client.force_login(freelancer)
    response = client.get(f"/bookings/{booking.reference}/calendar.ics")
    assert response["Content-Type"].startswith("text/calendar")
    assert f'filename="erozgar-{booking.reference}.ics"' in response["Content-Disposition"]
    event = Calendar.from_ical(response.content).walk("VEVENT")[0]
    assert event.decoded("dtstart") == booking.starts_at
    assert event.decoded("dtend") == booking.ends_at
    assert booking.reference in str(event["description"])


def test_someone_elses_booking_page_ics_and_cancel_are_404(
    client: Client, cabin: Any, freelancer: Any, other_freelancer: Any
) -> None:
    booking = BookingFactory(space=cabin, user=other_freelancer)
    client.force_login(freelancer)
    assert client.get(f"/bookings/{booking.reference}/").status_code == 404
    assert client.get(f"/bookings/{booking.reference}/calendar.ics").status_code == 404
    assert client.post(f"/bookings/{booking.reference}/cancel/").status_code == 404
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED


def test_cancelling_from_the_page(client: Client, cabin: Any, freelancer: Any) -> None:
    booking = BookingFactory(space=cabin, user=freelancer)
    client.force_login(freelancer)
    response = client.post(f"/bookings/{booking.reference}/cancel/", {"reason": "Sick"}, follow=True)
    assert "is cancelled" in response.content.decode()
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED and booking.cancel_reason == "Sick"


def test_nav_shows_my_bookings_to_signed_in_people(client: Client, freelancer: Any) -> None:
    client.force_login(freelancer)
    assert 'href="/bookings/"' in client.get("/").content.decode()


def test_the_grid_and_messages_speak_urdu(client: Client, cabin: Any, freelancer: Any) -> None:
    client.cookies["erozgar_language"] = "ur"
    day = tomorrow_at(0).date().isoformat()
    html = client.get(f"/centres/{cabin.centre.slug}/book/?date={day}").content.decode()
    assert 'dir="rtl"' in html
    assert "خالی" in html and "Cabin A کو 09:00 پر بک کریں" in html
    client.force_login(freelancer)
    booking = BookingFactory(space=cabin, user=freelancer)
    response = client.post(f"/bookings/{booking.reference}/cancel/", follow=True)
    assert f"بکنگ {booking.reference} منسوخ ہو گئی۔" in response.content.decode()


def test_changing_the_length_updates_the_price_through_htmx(
    client: Client, cabin: Any, freelancer: Any
) -> None:
    client.force_login(freelancer)
    url = f"/centres/{cabin.centre.slug}/book/review/?" + urlencode(
        {"space": cabin.pk, "start": tomorrow_at(10).isoformat(), "option": "hourly:180"}
    )
    html = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in html
    assert "10:00–13:00" in html and "Rs 600" in html


def test_hostile_review_parameters_never_error(client: Client, cabin: Any, freelancer: Any) -> None:
    client.force_login(freelancer)
    base = f"/centres/{cabin.centre.slug}/book/review/"
    for query in (
        {"space": cabin.pk, "start": "not-a-time"},
        {"space": cabin.pk},
        {"space": cabin.pk, "start": "2026-13-45T99:00"},
        {"space": "9" * 30, "start": "x"},
    ):
        assert client.get(base + "?" + urlencode(query)).status_code in (200, 404)
    response = client.post(
        base, {"space": cabin.pk, "start": tomorrow_at(10).isoformat(), "option": "hourly:99999"}
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert Booking.objects.count() == 0


def test_an_approved_freelancer_books_a_monthly_seat_from_the_review_page(
    client: Client, workstation: Any, approved_freelancer: Any
) -> None:
    import time_machine

    from bookings.rules import month_window
    from tests.bookings.factories import at

    with time_machine.travel(
        at(local_today().replace(day=1) + timedelta(days=40), 8).replace(day=25), tick=False
    ):
        client.force_login(approved_freelancer)
        start = tomorrow_at(10)
        html = client.get(_review_url(workstation, start)).content.decode()
        assert "Monthly seat plan" in html and "Rs 3,500" in html
        response = client.post(
            f"/centres/{workstation.centre.slug}/book/review/",
            {"space": workstation.pk, "start": start.isoformat(), "option": "monthly"},
        )
        assert response.status_code == 302
        booking = Booking.objects.get()
        window = month_window((start.date().replace(day=1) + timedelta(days=32)).replace(day=1))
        assert (booking.product, booking.starts_at, booking.ends_at, booking.price_pkr) == (
            "monthly",
            window.start,
            window.end,
            3500,
        )


def test_a_submitted_freelancer_is_not_offered_a_monthly_plan(
    client: Client, workstation: Any, freelancer: Any
) -> None:
    client.force_login(freelancer)
    html = client.get(_review_url(workstation, tomorrow_at(10))).content.decode()
    assert 'value="monthly"' not in html and "Monthly seat plan," not in html
    # ...and is told why (tests/bookings/test_price_guidance.py).
    assert "Monthly seat plans are for freelancers whose registration is approved." in html


def test_a_planned_centre_says_it_takes_no_bookings_and_a_suspended_one_has_no_booking_page(
    client: Client, db: Any
) -> None:
    planned = CentreFactory(status="planned")
    suspended = CentreFactory(status="suspended")
    response = client.get(f"/centres/{planned.slug}/book/")
    assert response.status_code == 200
    assert "not taking bookings at the moment" in response.content.decode()
    assert "Book " not in response.content.decode().split("<main", 1)[1].split("</main>")[0].replace(
        "Book a space at", ""
    )
    assert client.get(f"/centres/{suspended.slug}/book/").status_code == 404
