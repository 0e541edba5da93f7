"""The header shows "Centre desk" to people who work at a centre, and to nobody else."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

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


def test_the_link_follows_a_membership_made_or_ended_after_logging_in(
    client: Client, make_user: Any, password: str
) -> None:
    person = make_user("new.clerk@example.pk")
    _log_in(client, person.email, password)
    assert 'href="/desk/"' not in client.get("/").content.decode()
    membership = StaffMembershipFactory(user=person, centre=CentreFactory(), role="desk")
    assert 'href="/desk/"' in client.get("/").content.decode()  # no new login needed
    membership.delete()
    assert 'href="/desk/"' not in client.get("/").content.decode()


def test_deciding_on_the_link_costs_the_same_one_query_for_staff_and_freelancers(
    client: Client, make_user: Any
) -> None:
    clerk, freelancer = make_user("clerk@example.pk"), make_user("freelancer@example.pk")
    StaffMembershipFactory(user=clerk, centre=CentreFactory(), role="desk")
    counts = []
    for person in (clerk, freelancer):
        client.force_login(person)
        with CaptureQueriesContext(connection) as queries:
            client.get("/")
        counts.append(len([q for q in queries if "centres_staffmembership" in q["sql"]]))
    assert counts == [1, 1]
    client.logout()
    with CaptureQueriesContext(connection) as queries:
        client.get("/")
    assert not [q for q in queries if "centres_staffmembership" in q["sql"]]  # anonymous: none
