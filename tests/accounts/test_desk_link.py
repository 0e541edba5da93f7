"""The header shows "Centre desk" to people who work at a centre, and to nobody else."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.centres.factories import CentreFactory, StaffMembershipFactory

pytestmark = pytest.mark.django_db


def _log_in(client: Client, email: str, password: str) -> None:
    response = client.post("/accounts/login/", {"login": email, "password": password})
    assert response.status_code == 302, response.content


def test_centre_staff_see_the_desk_link_after_logging_in(
    client: Client, make_user: Any, password: str
) -> None:
    clerk = make_user("clerk@example.pk")
    StaffMembershipFactory(user=clerk, centre=CentreFactory(), role="desk")
    _log_in(client, clerk.email, password)
    page = client.get("/").content.decode()
    assert 'href="/desk/"' in page and "Centre desk" in page


def test_freelancers_do_not_see_the_desk_link(client: Client, make_user: Any, password: str) -> None:
    freelancer = make_user("freelancer@example.pk")
    _log_in(client, freelancer.email, password)
    assert 'href="/desk/"' not in client.get("/").content.decode()
