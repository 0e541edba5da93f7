"""The public directory: filters, text search, open now, paging, and a fixed number of queries."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
import time_machine

from centres.hours import LOCAL_TZ
from centres.models import CentreStatus, Province, SpaceKind

from .factories import (
    CentreFactory,
    ClosureFactory,
    FacilityFactory,
    OpeningHoursFactory,
    SpaceFactory,
    weekdays_open,
)

pytestmark = pytest.mark.django_db

MONDAY_10AM = datetime(2026, 11, 30, 10, 0, tzinfo=LOCAL_TZ)


def names(response) -> list[str]:
    return [c.name for c in response.context["page"].object_list]


@pytest.fixture
def directory():
    ups = FacilityFactory(code="backup-power", name_en="Backup power", name_ur="بیک اپ بجلی")
    women = FacilityFactory(code="women-only-area", name_en="Women-only area")
    lahore = CentreFactory(name="Arfa Tower Centre", city="Lahore", province=Province.PUNJAB, tier=1)
    lahore.facilities.set([ups, women])
    multan = CentreFactory(
        name="Multan Hub", city="Multan", province=Province.PUNJAB, tier=2, address="Bosan Road"
    )
    multan.facilities.set([ups])
    karachi = CentreFactory(name="Karachi Centre", city="Karachi", province=Province.SINDH, tier=1)
    quetta = CentreFactory(
        name="Quetta Centre",
        city="Quetta",
        province=Province.BALOCHISTAN,
        tier=3,
        description_en="Near Jinnah Road",
    )
    CentreFactory(name="Suspended Centre", city="Lahore", status=CentreStatus.SUSPENDED)
    SpaceFactory(centre=lahore, kind=SpaceKind.MEETING_ROOM, label="MR-1", capacity=8, rate_hourly_pkr=900)
    SpaceFactory(centre=karachi, kind=SpaceKind.MEETING_ROOM, label="MR-1", capacity=8, in_service=False)
    SpaceFactory(centre=quetta, kind=SpaceKind.WORKSTATION)
    return {"lahore": lahore, "multan": multan, "karachi": karachi, "quetta": quetta}


def test_directory_lists_every_public_centre_but_not_suspended_ones(client, directory):
    response = client.get("/centres/")

    assert response.status_code == 200
    assert names(response) == ["Arfa Tower Centre", "Karachi Centre", "Multan Hub", "Quetta Centre"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"province": "punjab"}, ["Arfa Tower Centre", "Multan Hub"]),
        ({"province": "punjab", "facility": "women-only-area"}, ["Arfa Tower Centre"]),
        ({"facility": "backup-power"}, ["Arfa Tower Centre", "Multan Hub"]),
        ({"city": "karachi"}, ["Karachi Centre"]),
        ({"tier": "2"}, ["Multan Hub"]),
        ({"kind": "meeting_room"}, ["Arfa Tower Centre"]),  # Karachi's room is out of service
        ({"q": "bosan"}, ["Multan Hub"]),
        ({"q": "jinnah road"}, ["Quetta Centre"]),
        ({"q": "centre lahore"}, ["Arfa Tower Centre"]),
        ({"q": "nowhere"}, []),
    ],
)
def test_filters_and_text_search_find_the_right_centres(client, directory, query, expected):
    assert names(client.get("/centres/", query)) == expected


def test_filters_stay_in_the_links_to_other_pages(client):
    for n in range(25):
        CentreFactory(name=f"Punjab {n:02d}", province=Province.PUNJAB)
    CentreFactory(name="Sindh one", province=Province.SINDH)

    response = client.get("/centres/", {"province": "punjab"})
    html = response.content.decode()

    assert response.context["page"].paginator.count == 25
    assert "?province=punjab&amp;page=2" in html
    assert names(client.get("/centres/", {"province": "punjab", "page": 2})) == [
        "Punjab 20",
        "Punjab 21",
        "Punjab 22",
        "Punjab 23",
        "Punjab 24",
    ]


def test_no_match_shows_an_empty_state_with_a_way_back(client, directory):
    html = client.get("/centres/", {"province": "gb"}).content.decode()

    assert "No centre matches these filters." in html
    assert 'href="/centres/"' in html


def test_an_unknown_filter_value_is_reported_not_crashed_on(client, directory):
    response = client.get("/centres/", {"province": "atlantis"})

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert len(names(response)) == 4


def test_open_now_follows_hours_split_shifts_and_closures(client):
    day_shift = CentreFactory(name="Day shift")
    weekdays_open(day_shift, time(9), time(17))
    split = CentreFactory(name="Split shift")
    OpeningHoursFactory(centre=split, weekday=0, opens_at=time(8), closes_at=time(9, 30))
    OpeningHoursFactory(centre=split, weekday=0, opens_at=time(14), closes_at=time(20))
    late = CentreFactory(name="Late shift")
    OpeningHoursFactory(
        centre=late, weekday=6, opens_at=time(20), closes_at=time(11)
    )  # Sunday night to Monday 11:00
    holiday = CentreFactory(name="On holiday")
    weekdays_open(holiday, time(9), time(17))
    ClosureFactory(centre=holiday, date=date(2026, 11, 30))

    with time_machine.travel(MONDAY_10AM, tick=False):
        assert names(client.get("/centres/", {"open_now": "on"})) == ["Day shift", "Late shift"]
    with time_machine.travel(datetime(2026, 11, 30, 15, 0, tzinfo=LOCAL_TZ), tick=False):
        assert names(client.get("/centres/", {"open_now": "on"})) == ["Day shift", "Split shift"]


@pytest.mark.parametrize("count", [3, 300])
def test_directory_page_needs_the_same_queries_for_3_or_300_centres(client, django_assert_num_queries, count):
    ups = FacilityFactory(code="backup-power")
    centres = CentreFactory.create_batch(count)
    for centre in centres:
        centre.facilities.add(ups)
        SpaceFactory(centre=centre)

    # count, page of centres, their facilities, facility choices for the filter form, and for the
    # cards' "free today" their opening hours and today's closures (none is open: no space query)
    with django_assert_num_queries(6):
        response = client.get("/centres/", {"facility": "backup-power"})

    assert response.status_code == 200
    assert len(response.context["page"].object_list) == min(count, 20)


def test_centre_page_shows_hours_with_today_marked_spaces_and_prices(client, directory):
    centre = directory["lahore"]
    weekdays_open(centre, time(9), time(21), days=range(6))
    SpaceFactory(
        centre=centre, kind=SpaceKind.WORKSTATION, label="WS-001", rate_daily_pkr=250, rate_monthly_pkr=3500
    )
    ClosureFactory(centre=centre, date=date(2026, 12, 25), reason="Quaid-e-Azam Day")

    with time_machine.travel(MONDAY_10AM, tick=False):
        response = client.get(f"/centres/{centre.slug}/")
    html = response.content.decode()

    assert response.status_code == 200
    assert 'class="today" aria-current="date"' in html
    assert html.index('aria-current="date"') < html.index("Tuesday")  # Monday is today
    assert "Open now" in html
    assert "Rs 3,500" in html and "Rs 900" in html
    assert "Open workstation" in html and "Meeting room" in html
    assert "Backup power" in html
    assert "Quaid-e-Azam Day" in html
    assert f'href="/centres/{centre.slug}/book/"' in html


def test_centre_page_in_urdu_uses_urdu_facility_names(client, directory):
    client.cookies["erozgar_language"] = "ur"

    html = client.get(f"/centres/{directory['lahore'].slug}/").content.decode()

    assert "بیک اپ بجلی" in html
    assert 'dir="rtl"' in html


def test_suspended_or_unknown_centre_is_not_found(client):
    suspended = CentreFactory(status=CentreStatus.SUSPENDED)

    assert client.get(f"/centres/{suspended.slug}/").status_code == 404
    assert client.get("/centres/no-such-centre/").status_code == 404


def test_only_managers_see_the_link_to_their_centres(client, manager_a, freelancer):
    client.force_login(freelancer)
    assert "Manage my centres" not in client.get("/centres/").content.decode()

    client.force_login(manager_a)
    assert "Manage my centres" in client.get("/centres/").content.decode()


def test_centre_photos_are_served_by_their_own_view(client, tmp_path, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from centres.models import CentrePhoto

    settings.MEDIA_ROOT = tmp_path
    centre = CentreFactory()
    gif = (
        b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,"
        b"\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
    )
    photo = CentrePhoto.objects.create(
        centre=centre,
        image=SimpleUploadedFile("hall.gif", gif, content_type="image/gif"),
        caption="Main hall",
    )

    page = client.get(f"/centres/{centre.slug}/").content.decode()
    response = client.get(f"/centres/{centre.slug}/photos/{photo.pk}/")

    assert f'src="/centres/{centre.slug}/photos/{photo.pk}/" alt="Main hall"' in page
    assert response.status_code == 200
    assert response["Content-Type"] == "image/gif"
    assert b"".join(response.streaming_content) == gif
    assert client.get(f"/centres/other-slug/photos/{photo.pk}/").status_code == 404


@pytest.mark.parametrize("spaces", [2, 120])
def test_centre_page_needs_the_same_queries_for_2_or_120_spaces(client, django_assert_num_queries, spaces):
    centre = CentreFactory()
    weekdays_open(centre)
    centre.facilities.add(FacilityFactory(code="parking"))
    SpaceFactory.create_batch(spaces, centre=centre)

    # centre, hours, facilities, spaces, photos, duration rules, today's closures, upcoming closures
    with django_assert_num_queries(8):
        response = client.get(f"/centres/{centre.slug}/")

    assert response.status_code == 200


def test_open_now_in_sql_agrees_with_the_hours_module_hour_by_hour():
    from datetime import timedelta

    from centres import selectors
    from centres.models import Centre

    split = CentreFactory(name="Split")
    OpeningHoursFactory(centre=split, weekday=4, opens_at=time(9), closes_at=time(12, 30))
    OpeningHoursFactory(centre=split, weekday=4, opens_at=time(14, 30), closes_at=time(21))
    late = CentreFactory(name="Late")
    OpeningHoursFactory(centre=late, weekday=3, opens_at=time(18), closes_at=time(2))
    OpeningHoursFactory(centre=late, weekday=4, opens_at=time(18), closes_at=time(2))
    ClosureFactory(centre=late, date=date(2026, 12, 3))  # a Thursday: its late shift is cancelled too
    centres = list(Centre.objects.prefetch_related("opening_hours", "closures"))

    moment = datetime(2026, 12, 3, 0, 15, tzinfo=LOCAL_TZ)
    while moment < datetime(2026, 12, 6, tzinfo=LOCAL_TZ):
        in_sql = {
            c.name for c in selectors.search_centres(selectors.DirectoryFilters(open_now=True), now=moment)
        }
        in_python = {c.name for c in centres if selectors.is_open_at(c, moment)}
        assert in_sql == in_python, moment
        moment += timedelta(minutes=45)
