"""The booking API: tokens, availability, booking with field messages, idempotent retries, 404 for others."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from knox.models import AuthToken
from rest_framework.test import APIClient

from bookings.models import Booking
from bookings.services import booking_create
from centres.models import CentreStatus
from erozgar.models import IdempotencyKey
from tests.bookings.factories import BookingFactory, CabinFactory, tomorrow_at
from tests.centres.factories import CentreFactory, weekdays_open

pytestmark = pytest.mark.django_db


def api_for(user: Any) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {AuthToken.objects.create(user)[1]}")
    return client


def _body(space: Any, start: Any, end: Any) -> dict[str, Any]:
    return {"space": space.pk, "starts_at": start.isoformat(), "ends_at": end.isoformat()}


def test_token_is_issued_for_email_and_password(freelancer: Any, password: str) -> None:
    freelancer.set_password(password)
    freelancer.save()
    response = APIClient().post(
        "/api/v1/auth/token/", {"email": freelancer.email, "password": password}, format="json"
    )
    assert response.status_code == 200
    body = response.json()
    stored = AuthToken.objects.get(user=freelancer)
    assert body["id"] == stored.token_key and body["token"].startswith(stored.token_key)
    assert stored.digest != body["token"]  # only a digest is stored


def test_token_refuses_a_wrong_password_with_a_message(freelancer: Any) -> None:
    response = APIClient().post(
        "/api/v1/auth/token/", {"email": freelancer.email, "password": "nope-nope"}, format="json"
    )
    assert response.status_code == 400
    assert "do not match" in response.json()["detail"]


def test_token_endpoint_is_rate_limited(freelancer: Any) -> None:
    client = APIClient()
    codes = [
        client.post(
            "/api/v1/auth/token/", {"email": freelancer.email, "password": "wrong"}, format="json"
        ).status_code
        for _ in range(7)
    ]
    assert codes[:5] == [400] * 5
    assert codes[5:] == [429, 429]


def test_posting_a_booking_answers_201_with_its_fields(cabin: Any, freelancer: Any) -> None:
    response = api_for(freelancer).post(
        "/api/v1/bookings/", _body(cabin, tomorrow_at(10), tomorrow_at(12)), format="json"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    booking = Booking.objects.get()
    assert body["id"] == booking.pk and body["reference"] == booking.reference
    assert (body["status"], body["space"], body["price_pkr"]) == ("confirmed", cabin.pk, 400)
    assert body["starts_at"] == tomorrow_at(10).isoformat()
    assert body["ends_at"] == tomorrow_at(12).isoformat()
    assert booking.source == "api"


def test_a_taken_time_answers_409_with_alternatives(
    cabin: Any, other_cabin: Any, freelancer: Any, other_freelancer: Any
) -> None:
    booking_create(user=other_freelancer, space=cabin, starts_at=tomorrow_at(10), ends_at=tomorrow_at(12))
    response = api_for(freelancer).post(
        "/api/v1/bookings/", _body(cabin, tomorrow_at(11), tomorrow_at(13)), format="json"
    )
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "slot_taken"
    assert body["alternatives"]["spaces"][0]["id"] == other_cabin.pk


@pytest.mark.parametrize(
    ("payload", "field", "fragment"),
    [
        (
            {"starts_at": "2026-12-01T12:00:00+05:00", "ends_at": "2026-12-01T10:00:00+05:00"},
            "ends_at",
            "before",
        ),
        (
            {"starts_at": "2026-12-01T12:00:00+05:00", "ends_at": "2026-12-01T12:00:00+05:00"},
            "ends_at",
            "no length",
        ),
        (
            {"starts_at": "2026-12-01T10:00:00", "ends_at": "2026-12-01T12:00:00+05:00"},
            "starts_at",
            "time zone",
        ),
        ({"starts_at": "tomorrow", "ends_at": "2026-12-01T12:00:00+05:00"}, "starts_at", "ISO 8601"),
        ({"starts_at": 12, "ends_at": None}, "starts_at", "ISO 8601"),
        ({"space": "abc"}, "space", "valid integer"),
        ({"space": 99999999}, "space", "no space"),
        ({"space": -3}, "space", "greater than"),
        ({"space": 10**30}, "space", ""),
        ({"product": "forever"}, "product", "not a valid choice"),
        ({"starts_at": "2026-12-01T10:00:00+25:00"}, "starts_at", "ISO 8601"),
        (
            {"starts_at": "9999-12-31T10:00:00+05:00", "ends_at": "9999-12-31T12:00:00+05:00"},
            "starts_at",
            "ahead",
        ),
        (
            {"starts_at": "0001-01-01T00:00:00+05:00", "ends_at": "0001-01-01T02:00:00+05:00"},
            "starts_at",
            "passed",
        ),
        ({"starts_at": ["2026-12-01T10:00:00+05:00"]}, "starts_at", "ISO 8601"),
        ({"starts_at": "x" * 5000}, "starts_at", "ISO 8601"),
    ],
)
def test_hostile_input_answers_400_with_a_field_message(
    cabin: Any, freelancer: Any, payload: dict[str, Any], field: str, fragment: str
) -> None:
    body = {**_body(cabin, tomorrow_at(10), tomorrow_at(12)), **payload}
    response = api_for(freelancer).post("/api/v1/bookings/", body, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()["fields"]
    assert fragment.lower() in " ".join(response.json()["fields"][field]).lower()
    assert Booking.objects.count() == 0


def test_a_year_long_booking_answers_400(cabin: Any, freelancer: Any) -> None:
    response = api_for(freelancer).post(
        "/api/v1/bookings/",
        _body(cabin, tomorrow_at(10), tomorrow_at(10) + timedelta(days=365)),
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "too_long"
    assert "ends_at" in response.json()["fields"]


def test_a_suspended_centres_space_answers_400(freelancer: Any) -> None:
    centre = CentreFactory(status=CentreStatus.SUSPENDED)
    weekdays_open(centre)
    space = CabinFactory(centre=centre)
    response = api_for(freelancer).post(
        "/api/v1/bookings/", _body(space, tomorrow_at(10), tomorrow_at(12)), format="json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "centre_not_bookable"
    assert "not taking bookings" in response.json()["fields"]["space"][0]


def test_garbage_json_and_a_list_body_answer_400(cabin: Any, freelancer: Any) -> None:
    client = api_for(freelancer)
    assert client.post("/api/v1/bookings/", "{not json", content_type="application/json").status_code == 400
    assert client.post("/api/v1/bookings/", [1, 2], format="json").status_code == 400


def test_unregistered_people_are_told_to_register(cabin: Any, unregistered: Any) -> None:
    response = api_for(unregistered).post(
        "/api/v1/bookings/", _body(cabin, tomorrow_at(10), tomorrow_at(12)), format="json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "registration_required"


def test_anonymous_callers_get_401(cabin: Any) -> None:
    assert (
        APIClient()
        .post("/api/v1/bookings/", _body(cabin, tomorrow_at(10), tomorrow_at(12)), format="json")
        .status_code
        == 401
    )
    assert APIClient().get("/api/v1/bookings/").status_code == 401


def test_retrying_with_the_same_idempotency_key_returns_the_first_answer(cabin: Any, freelancer: Any) -> None:
    client = api_for(freelancer)
    body = _body(cabin, tomorrow_at(10), tomorrow_at(12))
    first = client.post("/api/v1/bookings/", body, format="json", HTTP_IDEMPOTENCY_KEY="abc-123")
    second = client.post("/api/v1/bookings/", body, format="json", HTTP_IDEMPOTENCY_KEY="abc-123")
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert second["Idempotent-Replayed"] == "true"
    assert Booking.objects.count() == 1
    without_key = client.post("/api/v1/bookings/", body, format="json")
    assert without_key.status_code == 400
    assert without_key.json()["code"] == "one_seat_per_person"


def test_an_idempotency_key_replays_a_refusal_and_refuses_a_different_body(
    cabin: Any, freelancer: Any
) -> None:
    client = api_for(freelancer)
    bad = _body(cabin, tomorrow_at(12), tomorrow_at(10))
    first = client.post("/api/v1/bookings/", bad, format="json", HTTP_IDEMPOTENCY_KEY="k1")
    again = client.post("/api/v1/bookings/", bad, format="json", HTTP_IDEMPOTENCY_KEY="k1")
    assert first.status_code == again.status_code == 400
    assert first.json() == again.json()
    other = client.post(
        "/api/v1/bookings/",
        _body(cabin, tomorrow_at(10), tomorrow_at(12)),
        format="json",
        HTTP_IDEMPOTENCY_KEY="k1",
    )
    assert other.status_code == 422
    assert IdempotencyKey.objects.count() == 1


def test_idempotency_keys_are_per_person(cabin: Any, freelancer: Any, other_freelancer: Any) -> None:
    mine = api_for(freelancer).post(
        "/api/v1/bookings/",
        _body(cabin, tomorrow_at(10), tomorrow_at(12)),
        format="json",
        HTTP_IDEMPOTENCY_KEY="same",
    )
    theirs = api_for(other_freelancer).post(
        "/api/v1/bookings/",
        _body(cabin, tomorrow_at(10), tomorrow_at(12)),
        format="json",
        HTTP_IDEMPOTENCY_KEY="same",
    )
    assert (mine.status_code, theirs.status_code) == (201, 409)


def test_a_too_long_idempotency_key_is_refused(cabin: Any, freelancer: Any) -> None:
    response = api_for(freelancer).post(
        "/api/v1/bookings/",
        _body(cabin, tomorrow_at(10), tomorrow_at(12)),
        format="json",
        HTTP_IDEMPOTENCY_KEY="x" * 300,
    )
    assert response.status_code == 400
    assert "Idempotency-Key" in response.json()["fields"]


def test_people_see_only_their_own_bookings(cabin: Any, freelancer: Any, other_freelancer: Any) -> None:
    mine = BookingFactory(space=cabin, user=freelancer)
    theirs = BookingFactory(
        space=cabin, user=other_freelancer, starts_at=tomorrow_at(14), ends_at=tomorrow_at(15)
    )
    client = api_for(freelancer)
    listed = client.get("/api/v1/bookings/").json()
    assert [b["id"] for b in listed["results"]] == [mine.pk]
    assert client.get(f"/api/v1/bookings/{mine.pk}/").json()["reference"] == mine.reference
    assert client.get(f"/api/v1/bookings/{mine.reference}/").status_code == 200
    for key in (theirs.pk, theirs.reference, "not-a-number", "9" * 40):
        response = client.get(f"/api/v1/bookings/{key}/")
        assert response.status_code == 404
        assert response.json()["detail"]
    assert client.post(f"/api/v1/bookings/{theirs.pk}/cancel/", {}, format="json").status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == "confirmed"


def test_cancelling_through_the_api(cabin: Any, freelancer: Any) -> None:
    booking = BookingFactory(space=cabin, user=freelancer)
    client = api_for(freelancer)
    response = client.post(
        f"/api/v1/bookings/{booking.pk}/cancel/", {"reason": "Plans changed"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    again = client.post(f"/api/v1/bookings/{booking.pk}/cancel/", {}, format="json")
    assert again.status_code == 409
    assert again.json()["code"] == "invalid_transition"


def test_cancelling_after_the_cutoff_answers_400(cabin: Any, freelancer: Any) -> None:
    import time_machine

    booking = BookingFactory(space=cabin, user=freelancer)
    with time_machine.travel(booking.starts_at - timedelta(minutes=30)):
        response = api_for(freelancer).post(f"/api/v1/bookings/{booking.pk}/cancel/", {}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "past_cutoff"


def test_availability_lists_free_intervals_per_space(
    cabin: Any, other_cabin: Any, meeting_room: Any, freelancer: Any
) -> None:
    BookingFactory(space=cabin, user=freelancer, starts_at=tomorrow_at(10), ends_at=tomorrow_at(12))
    day = tomorrow_at(0).date().isoformat()
    response = APIClient().get(f"/api/v1/centres/{cabin.centre.pk}/availability/?date={day}&kind=cabin")
    assert response.status_code == 200
    body = response.json()
    assert body["date"] == day
    spaces = {s["label"]: s for s in body["spaces"]}
    assert set(spaces) == {"Cabin A", "Cabin B"}
    assert spaces["Cabin A"]["free"] == [
        {"starts_at": tomorrow_at(9).isoformat(), "ends_at": tomorrow_at(10).isoformat()},
        {"starts_at": tomorrow_at(12).isoformat(), "ends_at": tomorrow_at(18).isoformat()},
    ]
    assert spaces["Cabin B"]["free"] == [
        {"starts_at": tomorrow_at(9).isoformat(), "ends_at": tomorrow_at(18).isoformat()}
    ]
    assert spaces["Cabin A"]["rates_pkr"] == {"hourly": 200, "daily": 1200, "monthly": 4000}


@pytest.mark.parametrize(
    ("url_tail", "status"),
    [("?date=31-12-2026", 400), ("?date=2026-02-30", 400), ("?kind=castle", 400)],
)
def test_availability_refuses_bad_parameters(cabin: Any, url_tail: str, status: int) -> None:
    response = APIClient().get(f"/api/v1/centres/{cabin.centre.pk}/availability/{url_tail}")
    assert response.status_code == status
    assert response.json()


def test_availability_of_an_unknown_centre_is_404(db: Any) -> None:
    assert APIClient().get("/api/v1/centres/987654/availability/").status_code == 404
    assert APIClient().get("/api/v1/centres/no-such-centre/availability/").status_code == 404


def _centre_with_cabins(count: int) -> Any:
    centre = CentreFactory()
    weekdays_open(centre)
    CabinFactory.create_batch(count, centre=centre)
    return centre


def test_availability_costs_the_same_queries_for_300_spaces_as_for_3(
    django_assert_num_queries: Any, freelancer: Any
) -> None:
    small, large = _centre_with_cabins(3), _centre_with_cabins(300)
    for space in list(large.spaces.all()[:50]):
        BookingFactory(
            space=space, user=freelancer, starts_at=tomorrow_at(10), ends_at=tomorrow_at(11), holds_seat=False
        )
    day = tomorrow_at(0).date().isoformat()
    client = APIClient()
    with django_assert_num_queries(5) as small_queries:
        assert client.get(f"/api/v1/centres/{small.pk}/availability/?date={day}").status_code == 200
    with django_assert_num_queries(5):
        response = client.get(f"/api/v1/centres/{large.pk}/availability/?date={day}")
    assert len(response.json()["spaces"]) == 300
    assert len(small_queries.captured_queries) == 5


def test_my_bookings_list_costs_the_same_queries_for_30_as_for_3(
    django_assert_num_queries: Any, freelancer: Any, centre: Any
) -> None:
    client = api_for(freelancer)
    cabins = CabinFactory.create_batch(30, centre=centre)
    for i, space in enumerate(cabins[:3]):
        BookingFactory(
            space=space,
            user=freelancer,
            starts_at=tomorrow_at(9) + timedelta(days=i),
            ends_at=tomorrow_at(10) + timedelta(days=i),
        )
    with django_assert_num_queries(3):
        client.get("/api/v1/bookings/")
    for i, space in enumerate(cabins[3:]):
        BookingFactory(
            space=space,
            user=freelancer,
            starts_at=tomorrow_at(9) + timedelta(days=i + 3),
            ends_at=tomorrow_at(10) + timedelta(days=i + 3),
        )
    with django_assert_num_queries(3):
        assert len(client.get("/api/v1/bookings/").json()["results"]) == 25


def test_booking_endpoints_are_in_the_openapi_schema(db: Any) -> None:
    schema = APIClient().get("/api/v1/schema/?format=json").json()
    for path in (
        "/api/v1/auth/token/",
        "/api/v1/bookings/",
        "/api/v1/bookings/{key}/",
        "/api/v1/bookings/{key}/cancel/",
        "/api/v1/centres/{key}/availability/",
    ):
        assert path in schema["paths"], path
    assert "409" in schema["paths"]["/api/v1/bookings/"]["post"]["responses"]


def test_my_bookings_can_be_split_into_upcoming_and_past(cabin: Any, freelancer: Any) -> None:
    soon = BookingFactory(space=cabin, user=freelancer)
    gone = BookingFactory(
        space=cabin,
        user=freelancer,
        status="cancelled",
        cancelled_at=tomorrow_at(8),
        starts_at=tomorrow_at(14),
        ends_at=tomorrow_at(15),
    )
    client = api_for(freelancer)
    assert [b["id"] for b in client.get("/api/v1/bookings/?upcoming=true").json()["results"]] == [soon.pk]
    assert [b["id"] for b in client.get("/api/v1/bookings/?upcoming=false").json()["results"]] == [gone.pk]
    assert len(client.get("/api/v1/bookings/?upcoming=maybe").json()["results"]) == 2
