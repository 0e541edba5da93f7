"""Walk-ins: found by CNIC or mobile, seated in what is free now, booked and checked in in one step."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from bookings.models import Booking, BookingEvent, BookingStatus, Source
from bookings.services import booking_create
from desk.models import DeskAction
from desk.selectors import free_now
from desk.walk_ins import walk_in_create
from erozgar.errors import Conflict, DomainError
from tests.desk.helpers import make_booking, today_at
from tests.freelancers.factories import RegistrationFactory


@pytest.mark.django_db
def test_walk_in_found_by_mobile_is_booked_and_checked_in_through_booking_create(
    centre: Any, clerk: Any, workstation: Any, freelancer: Any, frozen: Any
) -> None:
    frozen.move_to(today_at(10, 12))
    booking = walk_in_create(
        centre=centre, actor=clerk, person_query="0300-1234567", space_id=workstation.pk, until="12:00"
    )
    assert booking.user == freelancer
    assert (booking.status, booking.source, booking.created_by) == (
        BookingStatus.CHECKED_IN,
        Source.DESK,
        clerk,
    )
    assert (booking.starts_at, booking.ends_at) == (today_at(10), today_at(12))
    assert booking.checked_in_at == today_at(10, 12)
    assert booking.price_pkr == 200
    actions = list(BookingEvent.objects.filter(booking=booking).values_list("action", "actor"))
    assert actions == [("created", clerk.pk), ("checked_in", clerk.pk)]
    assert DeskAction.objects.get(kind="walk_in").booking == booking


@pytest.mark.django_db
def test_walk_in_day_pass_runs_from_opening_when_the_space_was_free_all_day(
    centre: Any, clerk: Any, workstation: Any, freelancer: Any, frozen: Any
) -> None:
    booking = walk_in_create(
        centre=centre, actor=clerk, person_query="35202-1234567-1", space_id=workstation.pk, until="day"
    )
    assert (booking.product, booking.starts_at, booking.ends_at, booking.price_pkr) == (
        "day_pass",
        today_at(9),
        today_at(18),
        500,
    )


@pytest.mark.django_db
def test_free_now_lists_spaces_with_the_time_they_stay_free(
    centre: Any, cabin: Any, workstation: Any, freelancer: Any, frozen: Any
) -> None:
    make_booking(cabin, freelancer, today_at(9), today_at(11))  # busy now
    make_booking(workstation, RegistrationFactory(submitted=True).user, today_at(13), today_at(14))
    free = free_now(centre)
    assert [(f.space.label, f.free_until, f.day_pass_free) for f in free] == [("WS-01", today_at(13), False)]


@pytest.mark.django_db
def test_walk_in_cannot_run_into_the_next_booking(
    centre: Any, clerk: Any, workstation: Any, freelancer: Any, frozen: Any
) -> None:
    make_booking(workstation, RegistrationFactory(submitted=True).user, today_at(12), today_at(13))
    with pytest.raises(DomainError) as info:
        walk_in_create(
            centre=centre, actor=clerk, person_query="35202-1234567-1", space_id=workstation.pk, until="13:00"
        )
    assert info.value.code == "bad_end"
    assert "free only until 12:00" in str(info.value.message)


@pytest.mark.django_db
def test_unregistered_person_and_busy_space_are_explained(
    centre: Any, clerk: Any, cabin: Any, freelancer: Any, frozen: Any
) -> None:
    with pytest.raises(DomainError) as nobody:
        walk_in_create(
            centre=centre, actor=clerk, person_query="0333-9999999", space_id=cabin.pk, until="11:00"
        )
    assert nobody.value.code == "person_not_found"
    make_booking(cabin, RegistrationFactory(submitted=True).user, today_at(9), today_at(12))
    with pytest.raises(DomainError) as busy:
        walk_in_create(
            centre=centre, actor=clerk, person_query="35202-1234567-1", space_id=cabin.pk, until="13:00"
        )
    assert busy.value.code == "not_free"
    assert DeskAction.objects.filter(kind="walk_in_refused").count() == 2


@pytest.mark.django_db(transaction=True)
def test_walk_in_losing_a_race_to_an_online_booking_gets_just_taken(
    centre: Any, clerk: Any, workstation: Any, freelancer: Any, frozen: Any
) -> None:
    online_person = RegistrationFactory(submitted=True).user
    created, release = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def book_online() -> None:
        try:
            with transaction.atomic():
                booking_create(
                    user=online_person,
                    space=workstation,
                    starts_at=today_at(10, 30),
                    ends_at=today_at(11, 30),
                )
                created.set()
                release.wait(timeout=10)  # hold the row uncommitted while the desk tries
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
            created.set()
        finally:
            connection.close()

    online = threading.Thread(target=book_online)
    online.start()
    assert created.wait(timeout=10)
    # The desk saw the space free (the online booking is not committed yet), then loses at the insert.
    threading.Timer(0.5, release.set).start()
    with pytest.raises(Conflict) as info:
        walk_in_create(
            centre=centre, actor=clerk, person_query="35202-1234567-1", space_id=workstation.pk, until="12:00"
        )
    online.join(timeout=10)
    assert not errors
    assert info.value.code == "just_taken"
    assert str(info.value.message).startswith("Just taken: WS-01")
    assert list(Booking.objects.values_list("user_id", flat=True)) == [online_person.pk]


@pytest.mark.django_db
def test_walk_in_page_finds_the_person_and_seats_them(
    client: Client, clerk: Any, centre: Any, workstation: Any, freelancer: Any, frozen: Any
) -> None:
    client.force_login(clerk)
    url = reverse("desk:walk_in", args=[centre.slug])
    page = client.get(url, {"person": "35202-1234567-1"}).content.decode()
    assert "Free right now for" in page and "WS-01" in page and "Until 11:00 · Rs 100" in page
    response = client.post(
        url, {"person": "35202-1234567-1", "space": workstation.pk, "until": "11:00"}, follow=True
    )
    booking = Booking.objects.get()
    assert response.redirect_chain[-1][0] == reverse("desk:booking", args=[centre.slug, booking.reference])
    assert "is booked and checked in" in response.content.decode()


@pytest.mark.django_db
def test_walk_in_page_says_when_nobody_is_registered(
    client: Client, clerk: Any, centre: Any, frozen: Any
) -> None:
    client.force_login(clerk)
    page = client.get(
        reverse("desk:walk_in", args=[centre.slug]), {"person": "0345-0000000"}
    ).content.decode()
    assert "Nobody is registered with that CNIC or mobile number" in page
