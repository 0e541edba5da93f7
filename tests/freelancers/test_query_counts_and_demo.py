"""Pinned query counts for the pages and endpoints that list things, and the demo data."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from freelancers.models import PlatformProfile, Registration
from tests.freelancers.factories import DocumentFactory, RegistrationFactory, SkillCategoryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def rich_registration(freelancer: Any) -> Registration:
    """Many skills, links and documents: an N+1 would show up as extra queries."""
    skills = [SkillCategoryFactory() for _ in range(5)]
    registration = RegistrationFactory(user=freelancer, skills=skills, changes_requested=True)
    for i in range(6):
        PlatformProfile.objects.create(
            registration=registration, platform="portfolio", url=f"https://me{i}.pk/"
        )
    for kind in ("cnic_front", "cnic_back", "photo", "supporting", "supporting"):
        DocumentFactory(registration=registration, kind=kind)
    return registration


def test_review_page_query_count_does_not_grow_with_documents_or_links(
    freelancer_client: Client, rich_registration: Registration, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(6):  # 5 today: user, registration + 3 prefetches
        response = freelancer_client.get(reverse("freelancers:review"))
    assert response.status_code == 200


def test_dashboard_query_count_is_pinned(
    freelancer_client: Client, rich_registration: Registration, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(8):  # 7 today
        assert freelancer_client.get(reverse("freelancers:dashboard")).status_code == 200


def test_my_registration_endpoint_query_count_is_pinned(
    freelancer: Any, rich_registration: Registration, django_assert_max_num_queries: Any
) -> None:
    api = APIClient()
    api.force_authenticate(freelancer)
    with django_assert_max_num_queries(5):  # 4 today: registration + skills, profiles, documents
        body = api.get("/api/v1/me/registration/").json()
    assert len(body["documents"]) == 5 and len(body["profiles"]) == 7 and len(body["skills"]) == 5


def test_verify_endpoint_query_count_is_pinned(django_assert_num_queries: Any) -> None:
    registration = RegistrationFactory(approved=True, skills=[SkillCategoryFactory() for _ in range(4)])
    with django_assert_num_queries(2):
        assert APIClient().get(f"/api/v1/verify/{registration.registration_number}/").json()["valid"] is True


def test_demo_seeds_an_approved_and_a_submitted_registration_and_runs_twice(settings: Any) -> None:
    from accounts import demo as accounts_demo
    from freelancers import demo

    accounts_demo.seed(io.StringIO())
    demo.seed(io.StringIO())
    demo.seed(io.StringIO())
    sana = Registration.objects.get(user__email="sana.freelancer@example.pk")
    usman = Registration.objects.get(user__email="usman.freelancer@example.pk")
    assert sana.status == "approved" and sana.registration_number and sana.documents.count() == 3
    assert usman.status == "submitted" and usman.registration_number is None
    assert Registration.objects.count() == 2
