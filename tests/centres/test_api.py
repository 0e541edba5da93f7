"""The centres API: public search and detail, manager-only writes, clean 4xx answers."""

from __future__ import annotations

from datetime import date, time, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from rest_framework.test import APIClient

from centres.models import OpeningHours, Province, Space, SpaceKind

from .factories import CentreFactory, FacilityFactory, OpeningHoursFactory, SpaceFactory

pytestmark = pytest.mark.django_db

NEXT_WEEK = (date.today() + timedelta(days=7)).isoformat()  # noqa: DTZ011 - any future date will do


@pytest.fixture
def api():
    return APIClient()


def test_list_is_public_filtered_and_paginated(api):
    ups = FacilityFactory(code="backup-power")
    for n in range(30):
        centre = CentreFactory(name=f"Punjab {n:02d}", province=Province.PUNJAB)
        if n % 2:
            centre.facilities.add(ups)
    CentreFactory(name="Sindh", province=Province.SINDH).facilities.add(ups)

    body = api.get(
        "/api/v1/centres/", {"province": "punjab", "facility": "backup-power", "page_size": 10}
    ).json()

    assert body["count"] == 15
    assert len(body["results"]) == 10
    next_page = parse_qs(urlsplit(body["next"]).query)
    assert next_page == {
        "province": ["punjab"],
        "facility": ["backup-power"],
        "page": ["2"],
        "page_size": ["10"],
    }
    first = body["results"][0]
    assert first["name"] == "Punjab 01"
    assert first["facilities"] == ["backup-power"]
    assert first["province_name"] == "Punjab"


def test_list_rejects_a_bad_filter_with_field_messages(api):
    response = api.get("/api/v1/centres/", {"province": "atlantis", "tier": "9"})

    assert response.status_code == 400
    assert "province" in response.json()["fields"] and "tier" in response.json()["fields"]


@pytest.mark.parametrize("count", [3, 300])
def test_list_needs_the_same_queries_for_3_or_300_centres(api, django_assert_num_queries, count):
    ups = FacilityFactory(code="backup-power")
    for centre in CentreFactory.create_batch(count):
        centre.facilities.add(ups)
        SpaceFactory(centre=centre)

    # facility choices, count, page of centres, their facilities
    with django_assert_num_queries(4):
        response = api.get("/api/v1/centres/", {"page_size": 100})

    assert response.status_code == 200
    assert len(response.json()["results"]) == min(count, 100)


def test_detail_by_id_or_slug_has_spaces_hours_facilities_and_rules(api):
    centre = CentreFactory(slug="islamabad-g9")
    centre.facilities.add(FacilityFactory(code="prayer-area", name_en="Prayer area"))
    OpeningHoursFactory(centre=centre, weekday=0, opens_at=time(9), closes_at=time(13))
    SpaceFactory(centre=centre, kind=SpaceKind.WORKSTATION, label="WS-001", rate_monthly_pkr=3500)

    by_slug = api.get("/api/v1/centres/islamabad-g9/").json()
    by_id = api.get(f"/api/v1/centres/{centre.pk}/").json()

    assert by_slug == by_id
    assert by_slug["opening_hours"] == [{"weekday": 0, "opens_at": "09:00", "closes_at": "13:00"}]
    assert by_slug["facilities"][0]["code"] == "prayer-area"
    assert by_slug["spaces"][0]["rate_monthly_pkr"] == 3500
    assert by_slug["booking_rules"]["checkin_grace_minutes"] == 30
    assert by_slug["booking_rules"]["duration_minutes"]["meeting_room"] == [30, 240]


def test_detail_of_an_unknown_centre_is_404(api):
    assert api.get("/api/v1/centres/nowhere/").status_code == 404
    assert api.get("/api/v1/centres/999999/").status_code == 404


def write_calls(centre, space):
    return [
        (
            "put",
            f"/api/v1/centres/{centre.slug}/hours/",
            {"hours": [{"weekday": 0, "opens_at": "09:00", "closes_at": "17:00"}]},
        ),
        ("patch", f"/api/v1/centres/{centre.pk}/hours/", {"hours": []}),
        (
            "post",
            f"/api/v1/centres/{centre.slug}/spaces/",
            {"kind": "cabin", "label": "CAB-9", "rate_hourly_pkr": 300},
        ),
        ("patch", f"/api/v1/centres/{centre.slug}/spaces/{space.pk}/", {"rate_daily_pkr": 1}),
        ("post", f"/api/v1/centres/{centre.slug}/rates/", {"kind": "workstation", "rate_daily_pkr": 1}),
        ("post", f"/api/v1/centres/{centre.slug}/closures/", {"date": NEXT_WEEK}),
    ]


def test_manager_of_a_gets_403_writing_to_b(api, manager_a, centre_b):
    space = SpaceFactory(centre=centre_b, rate_daily_pkr=300)
    api.force_authenticate(manager_a)

    for method, url, data in write_calls(centre_b, space):
        response = getattr(api, method)(url, data, format="json")
        assert response.status_code == 403, (method, url, response.content)
        assert response.json()["code"] == "forbidden"
    space.refresh_from_db()
    assert space.rate_daily_pkr == 300
    assert not OpeningHours.objects.filter(centre=centre_b).exists()


def test_anonymous_desk_staff_and_freelancers_cannot_write(api, desk_a, freelancer, centre_a):
    space = SpaceFactory(centre=centre_a)
    for user in (None, desk_a, freelancer):
        api.force_authenticate(user)
        for method, url, data in write_calls(centre_a, space):
            response = getattr(api, method)(url, data, format="json")
            assert response.status_code in (401, 403), (user, method, url)


def test_manager_replaces_hours_with_a_split_shift(api, manager_a, centre_a):
    api.force_authenticate(manager_a)

    response = api.put(
        f"/api/v1/centres/{centre_a.slug}/hours/",
        {
            "hours": [
                {"weekday": 4, "opens_at": "09:00", "closes_at": "12:30"},
                {"weekday": 4, "opens_at": "14:30", "closes_at": "21:00"},
            ]
        },
        format="json",
    )

    assert response.status_code == 200
    assert [r["opens_at"] for r in response.json()] == ["09:00", "14:30"]


def test_overlapping_hours_answer_400_with_the_reason(api, manager_a, centre_a):
    api.force_authenticate(manager_a)

    response = api.put(
        f"/api/v1/centres/{centre_a.slug}/hours/",
        {
            "hours": [
                {"weekday": 6, "opens_at": "20:00", "closes_at": "10:00"},
                {"weekday": 0, "opens_at": "09:00", "closes_at": "17:00"},
            ]
        },
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["fields"]["hours"] == ["Monday 09:00-17:00 overlaps Sunday 20:00-10:00."]


def test_manager_adds_and_updates_a_space_and_bad_prices_get_field_errors(api, manager_a, centre_a):
    api.force_authenticate(manager_a)

    created = api.post(
        f"/api/v1/centres/{centre_a.slug}/spaces/",
        {"kind": "meeting_room", "label": "MR-1", "capacity": 8, "rate_hourly_pkr": 900},
        format="json",
    )
    assert created.status_code == 201
    space_id = created.json()["id"]

    negative = api.patch(
        f"/api/v1/centres/{centre_a.slug}/spaces/{space_id}/", {"rate_hourly_pkr": -1}, format="json"
    )
    assert negative.status_code == 400
    assert "rate_hourly_pkr" in negative.json()["fields"]

    no_price = api.post(
        f"/api/v1/centres/{centre_a.slug}/spaces/", {"kind": "cabin", "label": "CAB-1"}, format="json"
    )
    assert no_price.status_code == 400
    assert no_price.json()["fields"]["rate_daily_pkr"] == [
        "Set at least one price (hourly, daily or monthly)."
    ]

    duplicate = api.post(
        f"/api/v1/centres/{centre_a.slug}/spaces/",
        {"kind": "meeting_room", "label": "MR-1", "rate_hourly_pkr": 900},
        format="json",
    )
    assert duplicate.status_code == 409

    updated = api.patch(
        f"/api/v1/centres/{centre_a.slug}/spaces/{space_id}/",
        {"rate_hourly_pkr": 1000, "in_service": False},
        format="json",
    )
    assert updated.status_code == 200
    assert Space.objects.get(pk=space_id).rate_hourly_pkr == 1000


def test_manager_adds_and_removes_a_closure(api, manager_a, centre_a):
    api.force_authenticate(manager_a)

    created = api.post(
        f"/api/v1/centres/{centre_a.slug}/closures/", {"date": NEXT_WEEK, "reason": "Eid"}, format="json"
    )
    assert created.status_code == 201
    duplicate = api.post(f"/api/v1/centres/{centre_a.slug}/closures/", {"date": NEXT_WEEK}, format="json")
    assert duplicate.status_code == 409
    deleted = api.delete(f"/api/v1/centres/{centre_a.slug}/closures/{created.json()['id']}/")
    assert deleted.status_code == 204


def test_schema_documents_the_centres_endpoints(api):
    schema = api.get("/api/v1/schema/", {"format": "json"}).json()

    for path in (
        "/api/v1/centres/",
        "/api/v1/centres/{key}/",
        "/api/v1/centres/{key}/hours/",
        "/api/v1/centres/{key}/spaces/{space_id}/",
    ):
        assert path in schema["paths"]
    params = {p["name"] for p in schema["paths"]["/api/v1/centres/"]["get"]["parameters"]}
    assert {"q", "province", "city", "tier", "facility", "kind", "open_now", "page"} <= params


def test_open_now_filter_uses_pakistan_time(api):
    from datetime import datetime

    import time_machine

    from centres.hours import LOCAL_TZ

    open_centre = CentreFactory(name="Open")
    OpeningHoursFactory(centre=open_centre, weekday=0, opens_at=time(9), closes_at=time(17))
    CentreFactory(name="No hours")

    # 04:30 UTC is 09:30 in Karachi on Monday 30 November 2026.
    with time_machine.travel(datetime(2026, 11, 30, 9, 30, tzinfo=LOCAL_TZ), tick=False):
        body = api.get("/api/v1/centres/", {"open_now": "true"}).json()

    assert [c["name"] for c in body["results"]] == ["Open"]


@pytest.mark.parametrize("spaces", [2, 120])
def test_detail_needs_the_same_queries_for_2_or_120_spaces(api, django_assert_num_queries, spaces):
    centre = CentreFactory()
    SpaceFactory.create_batch(spaces, centre=centre)

    # centre, hours, facilities, spaces, photos, duration rules, upcoming closures
    with django_assert_num_queries(7):
        response = api.get(f"/api/v1/centres/{centre.slug}/")

    assert len(response.json()["spaces"]) == spaces


@pytest.mark.parametrize(
    ("method", "path", "data"),
    [
        ("put", "hours/", {"hours": "nine to five"}),
        ("put", "hours/", {"hours": [{"weekday": 9, "opens_at": "25:00", "closes_at": "x"}]}),
        ("put", "hours/", [1, 2, 3]),
        ("post", "spaces/", {"kind": "castle", "label": "", "capacity": 0}),
        ("post", "rates/", {"kind": "cabin", "rate_daily_pkr": "lots"}),
        ("post", "closures/", {"date": "yesterday"}),
        ("post", "closures/", {"date": "2001-01-01"}),
    ],
)
def test_junk_input_gets_a_400_with_field_messages_never_a_500(api, manager_a, centre_a, method, path, data):
    api.force_authenticate(manager_a)

    response = getattr(api, method)(f"/api/v1/centres/{centre_a.slug}/{path}", data, format="json")

    assert response.status_code == 400, response.content
    assert response.json()


def test_manager_sets_booking_rules_and_others_cannot(api, manager_a, centre_a, centre_b, freelancer):
    body = {
        "booking_horizon_days": 60,
        "cancellation_cutoff_minutes": 30,
        "checkin_grace_minutes": 15,
        "max_active_bookings": 2,
        "duration_minutes": {"meeting_room": [30, 90], "cabin": None},
    }
    api.force_authenticate(manager_a)

    response = api.put(f"/api/v1/centres/{centre_a.slug}/rules/", body, format="json")

    assert response.status_code == 200
    assert response.json()["duration_minutes"]["meeting_room"] == [30, 90]
    assert response.json()["checkin_grace_minutes"] == 15
    assert api.put(f"/api/v1/centres/{centre_b.slug}/rules/", body, format="json").status_code == 403
    bad = api.put(
        f"/api/v1/centres/{centre_a.slug}/rules/",
        {**body, "duration_minutes": {"meeting_room": [90, 30], "spaceship": [30, 60]}},
        format="json",
    )
    assert bad.status_code == 400
    assert "duration_minutes" in bad.json()["fields"]
    api.force_authenticate(freelancer)
    assert api.put(f"/api/v1/centres/{centre_a.slug}/rules/", body, format="json").status_code == 403
