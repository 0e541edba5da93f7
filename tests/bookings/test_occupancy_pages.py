"""Occupancy pages: PSEB's rollup in the admin (chart, table, CSV, recompute) and a manager's own centre."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from bookings.occupancy.selectors import occupancy_summary
from bookings.occupancy.services import occupancy_compute
from centres.hours import local_today
from centres.models import Province
from tests.bookings.factories import BookingFactory, CabinFactory, at
from tests.centres.factories import CentreFactory, StaffMembershipFactory, weekdays_open
from tests.freelancers.factories import UserFactory

pytestmark = pytest.mark.django_db

SUMMARY = "/admin/bookings/occupancyhour/summary/"
CSV = "/admin/bookings/occupancyhour/summary.csv"
RECOMPUTE = "/admin/bookings/occupancyhour/recompute/"


@pytest.fixture
def today() -> Any:
    return local_today()


@pytest.fixture
def busy_centre(centre: Any, today: Any) -> Any:
    """Lahore (Punjab, tier 1): 2 cabins, one booked 10:00-12:00 today: 2 of 18 cabin-hours, 11.1 %."""
    cabin = CabinFactory(centre=centre)
    CabinFactory(centre=centre)
    BookingFactory(space=cabin, starts_at=at(today, 10), ends_at=at(today, 12))
    occupancy_compute(day=today)
    return centre


@pytest.fixture
def quiet_centre(today: Any) -> Any:
    """Quetta (Balochistan, tier 2): 1 cabin, one hour booked: 1 of 9 cabin-hours, 11.1 %...

    and 2 of 9 below.
    """
    centre = CentreFactory(
        name="Quetta Centre", slug="quetta", city="Quetta", province=Province.BALOCHISTAN, tier=2
    )
    weekdays_open(centre)
    cabin = CabinFactory(centre=centre)
    BookingFactory(space=cabin, starts_at=at(today, 9), ends_at=at(today, 12))
    occupancy_compute(day=today)
    return centre


@pytest.fixture
def manager(busy_centre: Any) -> Any:
    return StaffMembershipFactory(centre=busy_centre, role="manager", user=UserFactory()).user


# --- the selector ----------------------------------------------------------------------


def test_summary_rolls_up_by_province_tier_city_and_centre_in_sql(
    busy_centre: Any, quiet_centre: Any, today: Any, django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(1):
        by_province = occupancy_summary(start=today, end=today, group_by="province")
    assert [(r.key, r.bookable_hours, r.booked_hours, r.booked_percent) for r in by_province] == [
        ("balochistan", 9.0, 3.0, 33.3),
        ("punjab", 18.0, 2.0, 11.1),
    ]
    assert [r.label for r in occupancy_summary(start=today, end=today, group_by="tier")] == [
        "Tier 1",
        "Tier 2",
    ]
    assert [r.label for r in occupancy_summary(start=today, end=today, group_by="city")] == [
        "Lahore (Punjab)",
        "Quetta (Balochistan)",
    ]
    only_punjab = occupancy_summary(start=today, end=today, group_by="centre", province="punjab")
    assert [r.key for r in only_punjab] == [str(busy_centre.pk)]


def test_summary_by_hour_and_day_for_one_centre(busy_centre: Any, today: Any) -> None:
    by_hour = occupancy_summary(start=today, end=today, group_by="hour", centre_id=busy_centre.pk)
    assert [(r.label, r.booked_percent) for r in by_hour][:3] == [
        ("09:00–10:00", 0.0),
        ("10:00–11:00", 50.0),
        ("11:00–12:00", 50.0),
    ]
    by_day = occupancy_summary(
        start=today - timedelta(days=13), end=today, group_by="day", centre_id=busy_centre.pk
    )
    assert [r.key for r in by_day] == [today.isoformat()]


def test_summary_refuses_an_unknown_grouping(today: Any) -> None:
    with pytest.raises(ValueError, match="cannot group"):
        occupancy_summary(start=today, end=today, group_by="operator")


# --- PSEB's admin page -------------------------------------------------------------------


def test_admin_sees_the_chart_and_the_numbers(
    client: Client, pseb_admin: Any, busy_centre: Any, quiet_centre: Any, django_assert_max_num_queries: Any
) -> None:
    client.force_login(pseb_admin)
    with django_assert_max_num_queries(8):
        response = client.get(SUMMARY)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<svg xmlns="http://www.w3.org/2000/svg" role="img"' in html
    assert "Booked share of bookable time by Province" in html
    assert "Balochistan" in html and "33.3%" in html and "11.1%" in html
    assert "style=" not in html.split('id="content-main"')[1]  # the CSP forbids inline styles


def test_admin_page_costs_the_same_queries_grouped_by_centre_for_many_centres(
    client: Client, pseb_admin: Any, today: Any, django_assert_max_num_queries: Any
) -> None:
    for _ in range(25):
        centre = CentreFactory()
        weekdays_open(centre)
        CabinFactory(centre=centre)
    occupancy_compute(day=today)
    client.force_login(pseb_admin)
    with django_assert_max_num_queries(8):
        response = client.get(SUMMARY, {"group_by": "centre"})
    assert response.content.decode().count('class="occupancy-bar"') == 25


def test_admin_filters_narrow_the_rows(
    client: Client, pseb_admin: Any, busy_centre: Any, quiet_centre: Any
) -> None:
    client.force_login(pseb_admin)
    html = client.get(SUMMARY, {"group_by": "city", "tier": "2"}).content.decode()
    assert "Quetta (Balochistan)" in html and "Lahore (Punjab)" not in html


def test_admin_page_explains_a_backwards_date_range(client: Client, pseb_admin: Any, today: Any) -> None:
    client.force_login(pseb_admin)
    html = client.get(
        SUMMARY, {"start": today.isoformat(), "end": (today - timedelta(days=3)).isoformat()}
    ).content
    assert b"The end date must be on or after the start date." in html
    assert client.get(CSV, {"start": "yesterday"}).status_code == 400


def test_admin_page_has_an_empty_state(client: Client, pseb_admin: Any) -> None:
    client.force_login(pseb_admin)
    assert b"No occupancy figures for this choice." in client.get(SUMMARY).content


def test_csv_export_has_the_same_rows(
    client: Client, pseb_admin: Any, busy_centre: Any, quiet_centre: Any
) -> None:
    client.force_login(pseb_admin)
    response = client.get(CSV, {"group_by": "province"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment;" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["province", "label", "bookable_hours"]
    assert rows[1][:6] == ["balochistan", "Balochistan", "9.0", "3.0", "0.0", "33.3"]
    assert rows[2][:6] == ["punjab", "Punjab", "18.0", "2.0", "0.0", "11.1"]


def test_csv_export_defuses_spreadsheet_formulas_in_names(
    client: Client, pseb_admin: Any, today: Any
) -> None:
    centre = CentreFactory(name='=HYPERLINK("http://evil")', city="Lahore")
    weekdays_open(centre)
    CabinFactory(centre=centre)
    occupancy_compute(day=today)
    client.force_login(pseb_admin)
    body = client.get(CSV, {"group_by": "centre"}).content.decode()
    assert "'=HYPERLINK" in body


def test_a_non_staff_user_is_sent_to_the_admin_login(client: Client, manager: Any) -> None:
    client.force_login(manager)
    for url in (SUMMARY, CSV):
        response = client.get(url)
        assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert client.post(RECOMPUTE, {"start": "2026-11-01", "end": "2026-11-02"}).status_code == 302


def test_staff_without_the_view_permission_are_refused(client: Client, make_user: Any) -> None:
    clerk = make_user(is_staff=True)
    client.force_login(clerk)
    assert client.get(SUMMARY).status_code == 403
    assert client.get(CSV).status_code == 403
    clerk.user_permissions.add(Permission.objects.get(codename="view_occupancyhour"))
    assert client.get(SUMMARY).status_code == 200


def test_the_change_list_links_to_the_rollup(client: Client, pseb_admin: Any, busy_centre: Any) -> None:
    client.force_login(pseb_admin)
    html = client.get("/admin/bookings/occupancyhour/").content.decode()
    assert SUMMARY in html
    assert client.get("/admin/bookings/occupancyhour/add/").status_code == 403


def test_recompute_refuses_more_than_a_month(client: Client, pseb_admin: Any, today: Any) -> None:
    client.force_login(pseb_admin)
    response = client.post(
        RECOMPUTE, {"start": (today - timedelta(days=40)).isoformat(), "end": today.isoformat()}, follow=True
    )
    assert b"Recompute at most 31 days at a time." in response.content
    assert client.get(RECOMPUTE).status_code == 405


# --- the manager's page --------------------------------------------------------------------


def url(centre: Any) -> str:
    return f"/bookings/occupancy/{centre.slug}/"


def test_the_manager_sees_their_centre_by_day_and_by_hour(
    client: Client, manager: Any, busy_centre: Any
) -> None:
    client.force_login(manager)
    response = client.get(url(busy_centre))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Occupancy of Lahore Arfa Tower" in html
    assert html.count('role="img"') == 2
    assert "10:00–11:00" in html and "50.0%" in html and "11.1%" in html


def test_the_manager_page_has_empty_states(client: Client, manager: Any, busy_centre: Any) -> None:
    from bookings.models import OccupancyHour

    OccupancyHour.objects.all().delete()
    client.force_login(manager)
    html = client.get(url(busy_centre)).content.decode()
    assert "No figures for these days yet." in html
    assert "today's figures are not computed yet" in html


def test_pseb_admin_may_read_any_centre(client: Client, pseb_admin: Any, busy_centre: Any) -> None:
    client.force_login(pseb_admin)
    assert client.get(url(busy_centre)).status_code == 200


def test_others_cannot_read_a_centre_occupancy(
    client: Client, busy_centre: Any, other_staff: Any, clerk: Any, freelancer: Any
) -> None:
    for person in (other_staff, clerk, freelancer):
        client.force_login(person)
        assert client.get(url(busy_centre)).status_code == 403, person
    client.logout()
    response = client.get(url(busy_centre))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_an_unknown_centre_is_not_found(client: Client, manager: Any) -> None:
    client.force_login(manager)
    assert client.get("/bookings/occupancy/no-such-centre/").status_code == 404


def test_the_manager_page_reads_in_urdu(client: Client, manager: Any, busy_centre: Any) -> None:
    manager.language = "ur"
    manager.save(update_fields=["language"])
    client.force_login(manager)
    html = client.get(url(busy_centre), HTTP_ACCEPT_LANGUAGE="ur").content.decode()
    assert 'dir="rtl"' in html
    assert "Occupancy of" not in html


def test_the_manager_page_costs_a_fixed_number_of_queries(
    client: Client, manager: Any, busy_centre: Any, today: Any, django_assert_num_queries: Any
) -> None:
    cabin = CabinFactory(centre=busy_centre)
    for days_ago in range(1, 14):
        day = today - timedelta(days=days_ago)
        BookingFactory(space=cabin, starts_at=at(day, 10), ends_at=at(day, 11))
        occupancy_compute(day=day)
    client.force_login(manager)
    # user (the session lives in the cache), the header's desk link, centre, manager check, by day, by hour,
    # by kind, last computed
    with django_assert_num_queries(8):
        response = client.get(url(busy_centre))
    assert response.content.decode().count('class="occupancy-bar"') == 14 + 9
