"""A manager edits their own centre's hours, closures, spaces and prices; nobody else can."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest

from centres.models import Closure, OpeningHours, Space, SpaceKind

from .factories import ClosureFactory, OpeningHoursFactory, SpaceFactory

pytestmark = pytest.mark.django_db

TOMORROW = date.today() + timedelta(days=1)  # noqa: DTZ011 - only needs to be in the future


def edit_pages(centre, space=None, closure=None):
    pages = [
        f"/centres/manage/{centre.slug}/hours/",
        f"/centres/manage/{centre.slug}/closures/",
        f"/centres/manage/{centre.slug}/spaces/",
        f"/centres/manage/{centre.slug}/rules/",
    ]
    if space:
        pages.append(f"/centres/manage/{centre.slug}/spaces/{space.pk}/")
    return pages


def test_manager_of_a_gets_403_on_every_edit_page_of_b(client, manager_a, centre_b):
    space = SpaceFactory(centre=centre_b)
    client.force_login(manager_a)

    for url in edit_pages(centre_b, space):
        assert client.get(url).status_code == 403, url
        assert client.post(url, {"action": "add"}).status_code == 403, url


def test_manager_of_a_cannot_delete_a_closure_of_b(client, manager_a, centre_b):
    closure = ClosureFactory(centre=centre_b, date=TOMORROW)
    client.force_login(manager_a)

    response = client.post(f"/centres/manage/{centre_b.slug}/closures/{closure.pk}/delete/")

    assert response.status_code == 403
    assert Closure.objects.filter(pk=closure.pk).exists()


def test_desk_staff_and_freelancers_cannot_edit_a_centre(client, desk_a, freelancer, centre_a):
    for user in (desk_a, freelancer):
        client.force_login(user)
        for url in edit_pages(centre_a):
            assert client.get(url).status_code == 403, (user, url)


def test_anonymous_visitor_is_sent_to_log_in(client, centre_a):
    for url in edit_pages(centre_a):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_manager_sees_only_their_centres_in_my_centres(client, manager_a, centre_a, centre_b):
    client.force_login(manager_a)

    html = client.get("/centres/manage/").content.decode()

    assert centre_a.name in html
    assert centre_b.name not in html


def test_manager_sets_split_and_late_shifts(client, manager_a, centre_a):
    OpeningHoursFactory(centre=centre_a, weekday=2, opens_at=time(10), closes_at=time(12))
    client.force_login(manager_a)

    response = client.post(
        f"/centres/manage/{centre_a.slug}/hours/",
        {
            "d0_open1": "09:00",
            "d0_close1": "13:00",
            "d0_open2": "14:00",
            "d0_close2": "20:00",
            "d4_open1": "18:00",
            "d4_close1": "02:00",
        },
    )

    assert response.status_code == 302
    rows = [(r.weekday, r.opens_at, r.closes_at) for r in OpeningHours.objects.filter(centre=centre_a)]
    assert rows == [(0, time(9), time(13)), (0, time(14), time(20)), (4, time(18), time(2))]


def test_overlapping_shifts_are_refused_with_a_message_and_nothing_changes(client, manager_a, centre_a):
    OpeningHoursFactory(centre=centre_a, weekday=1, opens_at=time(9), closes_at=time(17))
    client.force_login(manager_a)

    response = client.post(
        f"/centres/manage/{centre_a.slug}/hours/",
        {"d0_open1": "09:00", "d0_close1": "15:00", "d0_open2": "14:00", "d0_close2": "20:00"},
    )

    assert response.status_code == 200
    assert "Monday 09:00-15:00 overlaps Monday 14:00-20:00." in response.content.decode()
    assert OpeningHours.objects.filter(centre=centre_a).count() == 1


def test_half_filled_shift_asks_for_both_times(client, manager_a, centre_a):
    client.force_login(manager_a)

    response = client.post(f"/centres/manage/{centre_a.slug}/hours/", {"d0_open1": "09:00"})

    assert "Give both the opening and the closing time, or neither." in response.content.decode()


def test_manager_adds_and_removes_a_closure(client, manager_a, centre_a):
    client.force_login(manager_a)

    response = client.post(
        f"/centres/manage/{centre_a.slug}/closures/", {"date": TOMORROW.isoformat(), "reason": "Eid ul-Adha"}
    )
    assert response.status_code == 302
    closure = Closure.objects.get(centre=centre_a)
    assert closure.reason == "Eid ul-Adha"

    again = client.post(f"/centres/manage/{centre_a.slug}/closures/", {"date": TOMORROW.isoformat()})
    assert "Already closed on this date." in again.content.decode()

    client.post(f"/centres/manage/{centre_a.slug}/closures/{closure.pk}/delete/")
    assert not Closure.objects.filter(centre=centre_a).exists()


def test_a_closure_in_the_past_is_refused(client, manager_a, centre_a):
    client.force_login(manager_a)

    response = client.post(f"/centres/manage/{centre_a.slug}/closures/", {"date": "2020-01-01"})

    assert "Choose today or a later date." in response.content.decode()
    assert not Closure.objects.exists()


def test_manager_adds_a_space_and_edits_its_price(client, manager_a, centre_a):
    client.force_login(manager_a)

    response = client.post(
        f"/centres/manage/{centre_a.slug}/spaces/",
        {
            "action": "add",
            "new-kind": "cabin",
            "new-label": "CAB-01",
            "new-capacity": "1",
            "new-in_service": "on",
            "new-rate_hourly_pkr": "300",
        },
    )
    assert response.status_code == 302
    space = Space.objects.get(centre=centre_a, label="CAB-01")

    client.post(
        f"/centres/manage/{centre_a.slug}/spaces/{space.pk}/",
        {
            "kind": "cabin",
            "label": "CAB-01",
            "capacity": "1",
            "rate_hourly_pkr": "350",
            "rate_daily_pkr": "1200",
        },
    )
    space.refresh_from_db()
    assert (space.rate_hourly_pkr, space.rate_daily_pkr, space.in_service) == (350, 1200, False)


def test_a_negative_price_is_refused_with_a_message(client, manager_a, centre_a):
    space = SpaceFactory(centre=centre_a, rate_daily_pkr=300)
    client.force_login(manager_a)

    response = client.post(
        f"/centres/manage/{centre_a.slug}/spaces/{space.pk}/",
        {"kind": "workstation", "label": space.label, "capacity": "1", "rate_daily_pkr": "-5"},
    )

    assert response.status_code == 200
    assert "Ensure this value is greater than or equal to 0." in response.content.decode()
    space.refresh_from_db()
    assert space.rate_daily_pkr == 300


def test_a_duplicate_label_is_refused_with_a_message(client, manager_a, centre_a):
    SpaceFactory(centre=centre_a, label="WS-001")
    client.force_login(manager_a)

    response = client.post(
        f"/centres/manage/{centre_a.slug}/spaces/",
        {
            "action": "add",
            "new-kind": "workstation",
            "new-label": "WS-001",
            "new-capacity": "1",
            "new-rate_daily_pkr": "300",
        },
    )

    assert "Labels must be unique within a centre." in response.content.decode()


def test_manager_sets_one_rate_card_for_every_workstation(client, manager_a, centre_a, centre_b):
    SpaceFactory.create_batch(3, centre=centre_a, kind=SpaceKind.WORKSTATION)
    SpaceFactory(centre=centre_a, kind=SpaceKind.CABIN, rate_hourly_pkr=300)
    other = SpaceFactory(centre=centre_b, kind=SpaceKind.WORKSTATION, rate_monthly_pkr=3000)
    client.force_login(manager_a)

    client.post(
        f"/centres/manage/{centre_a.slug}/spaces/",
        {
            "action": "rates",
            "rates-kind": "workstation",
            "rates-rate_daily_pkr": "200",
            "rates-rate_monthly_pkr": "3800",
        },
    )

    rates = set(
        Space.objects.filter(centre=centre_a, kind="workstation").values_list(
            "rate_daily_pkr", "rate_monthly_pkr"
        )
    )
    assert rates == {(200, 3800)}
    assert Space.objects.get(centre=centre_a, kind="cabin").rate_hourly_pkr == 300
    other.refresh_from_db()
    assert other.rate_monthly_pkr == 3000


def rules_form(**changes):
    data = {
        "booking_horizon_days": "14",
        "cancellation_cutoff_minutes": "120",
        "checkin_grace_minutes": "20",
        "max_active_bookings": "3",
    }
    for kind in SpaceKind.values:
        data[f"{kind}_min"], data[f"{kind}_max"] = "60", "480"
    data.update(changes)
    return data


def test_manager_sets_booking_rules_that_the_bookings_app_reads(client, manager_a, centre_a):
    from centres import selectors

    client.force_login(manager_a)

    response = client.post(
        f"/centres/manage/{centre_a.slug}/rules/", rules_form(meeting_room_min="30", meeting_room_max="120")
    )

    assert response.status_code == 302
    centre_a.refresh_from_db()
    assert (centre_a.booking_horizon_days, centre_a.cancellation_cutoff_minutes) == (14, 120)
    assert (centre_a.checkin_grace_minutes, centre_a.max_active_bookings) == (20, 3)
    assert selectors.duration_limits(centre_a, SpaceKind.MEETING_ROOM) == (30, 120)
    assert selectors.duration_limits(centre_a, SpaceKind.WORKSTATION) == (60, 480)


def test_a_longest_booking_shorter_than_the_shortest_is_refused(client, manager_a, centre_a):
    client.force_login(manager_a)

    response = client.post(
        f"/centres/manage/{centre_a.slug}/rules/", rules_form(cabin_min="240", cabin_max="60")
    )

    assert response.status_code == 200
    assert "Individual cabin: the shortest booking is at least 30 minutes" in response.content.decode()
    centre_a.refresh_from_db()
    assert centre_a.booking_horizon_days == 30


def test_manager_of_a_gets_403_on_the_rules_of_b(client, manager_a, centre_b):
    client.force_login(manager_a)

    assert client.get(f"/centres/manage/{centre_b.slug}/rules/").status_code == 403
    assert client.post(f"/centres/manage/{centre_b.slug}/rules/", rules_form()).status_code == 403
