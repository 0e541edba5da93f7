"""Races against a live server and real PostgreSQL connections: exactly one winner, every time."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from knox.models import AuthToken

from freelancers import lifecycle
from freelancers.models import Registration
from freelancers.selectors import identifier_match
from tests.concurrency import run_at_once
from tests.freelancers.factories import RegistrationFactory, UserFactory

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("people", [2, 6])
def test_simultaneous_registrations_with_one_cnic_let_exactly_one_through(
    live_server: Any, people: int
) -> None:
    users = [UserFactory() for _ in range(people)]
    tokens = [AuthToken.objects.create(user)[1] for user in users]
    for user in users:
        RegistrationFactory(user=user, cnic=None)
    url = f"{live_server.url}/api/v1/me/registration/"

    def put_cnic(i: int) -> httpx.Response:
        # Half type it with dashes, half without: both are the same CNIC once canonical.
        cnic = "35202-1234567-3" if i % 2 else "3520212345673"
        return httpx.put(
            url, json={"cnic": cnic}, headers={"Authorization": f"Token {tokens[i]}"}, timeout=20
        )

    responses = run_at_once(put_cnic, range(people))
    codes = sorted(r.status_code for r in responses)
    assert codes == [200] + [409] * (people - 1), [getattr(r, "text", r) for r in responses]
    for response in responses:
        if response.status_code == 409:
            assert "already registered" in response.json()["fields"]["cnic"][0]
    assert Registration.objects.filter(identifier_match("cnic", "35202-1234567-3")).count() == 1


def test_simultaneous_approvals_get_distinct_registration_numbers() -> None:
    from django.contrib.auth.models import Permission

    reviewer = UserFactory(is_staff=True)
    reviewer.user_permissions.add(Permission.objects.get(codename="review_registration"))
    waiting = [RegistrationFactory(submitted=True) for _ in range(8)]
    results = run_at_once(
        lambda registration: (
            lifecycle.registration_approve(
                registration=Registration.objects.get(pk=registration.pk), actor=reviewer
            ).registration_number
        ),
        waiting,
    )
    assert all(isinstance(r, str) for r in results), results
    assert len(set(results)) == len(waiting)


def test_two_reviewers_deciding_the_same_registration_at_once_cannot_both_win() -> None:
    from django.contrib.auth.models import Permission

    from erozgar.errors import InvalidTransition

    permission = Permission.objects.get(codename="review_registration")
    reviewers = [UserFactory(is_staff=True) for _ in range(2)]
    for reviewer in reviewers:
        reviewer.user_permissions.add(permission)
    registration = RegistrationFactory(submitted=True)
    decisions = [lifecycle.registration_approve, lifecycle.registration_reject]

    def decide(i: int) -> Registration | InvalidTransition:
        try:
            return decisions[i](
                registration=Registration.objects.get(pk=registration.pk),
                actor=reviewers[i],
                reason="Decided",
            )
        except InvalidTransition as refused:
            return refused

    results = run_at_once(decide, range(2))
    winners = [r for r in results if isinstance(r, Registration)]
    assert len(winners) == 1 and sum(isinstance(r, InvalidTransition) for r in results) == 1
    assert registration.events.count() == 1
