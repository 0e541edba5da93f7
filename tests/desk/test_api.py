"""The desk API: check-in (idempotent, nonce), check-out, today's list; 4xx with reasons, never 500."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from bookings.models import BookingStatus
from desk.models import DeskAction
from tests.desk.helpers import fill_day, make_booking, today_at

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(clerk: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(clerk)
    return client


def test_check_in_then_repeat_is_idempotent(api: APIClient, centre: Any, booking: Any, frozen: Any) -> None:
    url = f"/api/v1/desk/{centre.pk}/check-in/"
    first = api.post(url, {"reference": booking.reference}, format="json")
    assert first.status_code == 200
    assert first.json()["outcome"] == "checked_in"
    assert first.json()["booking"]["status"] == "checked_in"
    frozen.move_to(today_at(10, 7))
    again = api.post(url, {"reference": booking.reference}, format="json")
    assert again.status_code == 200
    assert again.json()["outcome"] == "already_checked_in"
    assert "10:00" in again.json()["message"]


def test_nonce_resent_returns_the_first_answer_and_counts_once(
    api: APIClient, centre: Any, booking: Any, frozen: Any
) -> None:
    url = f"/api/v1/desk/{centre.pk}/check-in/"
    body = {"reference": booking.reference, "nonce": "tablet-3:000042"}
    first = api.post(url, body, format="json").json()
    second = api.post(url, body, format="json").json()
    assert (first["replayed"], second["replayed"]) == (False, True)
    assert second["outcome"] == "checked_in"
    assert DeskAction.objects.count() == 1


def test_refusals_are_4xx_with_the_reason_on_the_reference_field(
    api: APIClient, centre: Any, cabin: Any, freelancer: Any, frozen: Any
) -> None:
    url = f"/api/v1/desk/{centre.pk}/check-in/"
    cancelled = make_booking(
        cabin,
        freelancer,
        today_at(10),
        today_at(12),
        status=BookingStatus.CANCELLED,
        cancelled_at=today_at(8),
    )
    response = api.post(url, {"reference": cancelled.reference}, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "cancelled"
    assert "cancelled" in response.json()["fields"]["reference"][0]
    assert api.post(url, {"reference": "ZZZZZZZZ"}, format="json").status_code == 404
    missing = api.post(url, {}, format="json")
    assert missing.status_code == 400 and missing.json()["fields"]["reference"] == [
        "Send the booking reference."
    ]
    assert api.post(url, {"reference": "x" * 500}, format="json").status_code == 400


def test_check_out_through_the_api(api: APIClient, centre: Any, booking: Any, frozen: Any) -> None:
    api.post(f"/api/v1/desk/{centre.pk}/check-in/", {"reference": booking.reference}, format="json")
    response = api.post(
        f"/api/v1/desk/{centre.pk}/check-out/", {"reference": booking.reference}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["booking"]["status"] == "completed"


@pytest.mark.parametrize("count", [3, 90])
def test_today_lists_bookings_in_a_fixed_number_of_queries(
    api: APIClient, centre: Any, count: int, django_assert_num_queries: Any, frozen: Any
) -> None:
    fill_day(centre, count)
    # Centre, role, count for the pager, the page of bookings with person, space and money paid.
    with django_assert_num_queries(4):
        response = api.get(f"/api/v1/desk/{centre.pk}/today/")
    body = response.json()
    assert body["count"] == count
    first = body["results"][0]
    assert {"reference", "person", "space", "status", "status_display", "paid_pkr", "payment_state"} <= set(
        first
    )


def test_desk_endpoints_are_in_the_openapi_schema(api: APIClient) -> None:
    schema = api.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    paths = schema["paths"]
    assert "post" in paths["/api/v1/desk/{centre_id}/check-in/"]
    assert "post" in paths["/api/v1/desk/{centre_id}/check-out/"]
    assert "get" in paths["/api/v1/desk/{centre_id}/today/"]
