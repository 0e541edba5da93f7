"""One answer to "can the public see this centre?" (centres.selectors.visible_centres), on every page.

Planned centres (coming soon) and active ones are visible; a suspended centre is hidden from
the directory, its page, its booking page and the API alike. Only an active centre takes bookings.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from centres.models import CentreStatus
from tests.centres.factories import CentreFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("status", "visible"),
    [(CentreStatus.PLANNED, True), (CentreStatus.ACTIVE, True), (CentreStatus.SUSPENDED, False)],
)
def test_the_directory_the_pages_and_the_api_agree_on_who_sees_a_centre(
    client: Client, status: str, visible: bool
) -> None:
    centre = CentreFactory(name="Multan Cantt", status=status)
    listed = "Multan Cantt" in client.get("/centres/").content.decode()
    answers = {
        "directory": listed,
        "centre page": client.get(f"/centres/{centre.slug}/").status_code == 200,
        "booking page": client.get(f"/centres/{centre.slug}/book/").status_code == 200,
        "centre API": client.get(f"/api/v1/centres/{centre.pk}/").status_code == 200,
        "availability API": client.get(f"/api/v1/centres/{centre.pk}/availability/").status_code == 200,
    }
    assert answers == dict.fromkeys(answers, visible)


def test_a_visible_centre_that_is_not_active_offers_nothing_to_book(client: Client) -> None:
    planned = CentreFactory(status=CentreStatus.PLANNED)
    body: Any = client.get(f"/api/v1/centres/{planned.pk}/availability/").json()
    assert body["spaces"] == []
