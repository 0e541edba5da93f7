"""PSEB's review desk in the admin: list, search, masked CNIC, decisions with reasons, export, permissions."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from freelancers.models import Registration
from tests.freelancers.factories import DocumentFactory, RegistrationFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:freelancers_registration_changelist")


@pytest.fixture
def reviewer_client(reviewer: Any) -> Client:
    client = Client()
    client.force_login(reviewer)
    return client


def test_list_masks_the_cnic_and_pins_its_query_count(
    reviewer_client: Client, django_assert_max_num_queries: Any
) -> None:
    RegistrationFactory.create_batch(30, submitted=True)
    RegistrationFactory(cnic="35202-7654321-3", submitted=True)
    with django_assert_max_num_queries(12):
        response = reviewer_client.get(CHANGELIST)
    page = response.content.decode()
    assert response.status_code == 200
    assert "35202-*******-3" in page and "7654321" not in page


@pytest.mark.parametrize("typed", ["35202-7654321-3", "3520276543213"])
def test_search_by_cnic_with_or_without_dashes_finds_the_one_person(
    reviewer_client: Client, typed: str
) -> None:
    wanted = RegistrationFactory(cnic="35202-7654321-3", full_name="Nadia Parveen", submitted=True)
    RegistrationFactory.create_batch(3, submitted=True)
    response = reviewer_client.get(CHANGELIST, {"q": typed})
    assert list(response.context["cl"].result_list) == [wanted]


def test_search_by_name_email_and_number(reviewer_client: Client) -> None:
    wanted = RegistrationFactory(full_name="Nadia Parveen", approved=True)
    RegistrationFactory.create_batch(2, submitted=True)
    for term in ("Nadia", wanted.user.email, wanted.registration_number):
        assert list(reviewer_client.get(CHANGELIST, {"q": term}).context["cl"].result_list) == [wanted]


def test_filters_by_status_and_province(reviewer_client: Client) -> None:
    sindh = RegistrationFactory(submitted=True, province="sindh", city="Karachi")
    RegistrationFactory(approved=True, province="sindh")
    RegistrationFactory(submitted=True)
    response = reviewer_client.get(CHANGELIST, {"status__exact": "submitted", "province__exact": "sindh"})
    assert list(response.context["cl"].result_list) == [sindh]


def test_detail_page_shows_full_cnic_documents_inline_and_decision_buttons(reviewer_client: Client) -> None:
    registration = RegistrationFactory(cnic="35202-7654321-3", submitted=True)
    document = DocumentFactory(registration=registration, kind="cnic_front")
    page = reviewer_client.get(
        reverse("admin:freelancers_registration_change", args=[registration.pk])
    ).content.decode()
    assert "35202-7654321-3" in page
    assert reverse("freelancers:document", args=[document.pk]) in page
    for decision in ("approved", "changes_requested", "rejected"):
        assert reverse("admin:freelancers_registration_decide", args=[registration.pk, decision]) in page


def test_request_changes_from_the_detail_page_asks_for_a_reason_first(
    reviewer_client: Client, reviewer: Any
) -> None:
    registration = RegistrationFactory(submitted=True)
    url = reverse("admin:freelancers_registration_decide", args=[registration.pk, "changes_requested"])
    assert "Reason (required" in reviewer_client.get(url).content.decode()
    response = reviewer_client.post(url, {"apply": "1", "reason": ""})
    assert response.status_code == 200 and "Please give a reason" in response.content.decode()
    assert Registration.objects.get(pk=registration.pk).status == "submitted"
    response = reviewer_client.post(url, {"apply": "1", "reason": "CNIC back is missing the date."})
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.status == "changes_requested"
    assert registration.events.get().actor == reviewer


def test_bulk_approve_goes_through_an_intermediate_page(reviewer_client: Client) -> None:
    waiting = RegistrationFactory.create_batch(2, submitted=True)
    draft = RegistrationFactory()
    ids = [str(r.pk) for r in [*waiting, draft]]
    page = reviewer_client.post(CHANGELIST, {"action": "approve_selected", "_selected_action": ids})
    assert page.status_code == 200 and "This applies to 3 registrations" in page.content.decode()
    assert Registration.objects.filter(status="approved").count() == 0
    done = reviewer_client.post(
        CHANGELIST,
        {"action": "approve_selected", "_selected_action": ids, "apply": "1", "reason": ""},
        follow=True,
    )
    assert Registration.objects.filter(status="approved").count() == 2
    assert "cannot become" in done.content.decode()  # the draft is reported, not approved


def test_bulk_reject_requires_a_reason(reviewer_client: Client) -> None:
    waiting = RegistrationFactory(submitted=True)
    response = reviewer_client.post(
        CHANGELIST,
        {"action": "reject_selected", "_selected_action": [waiting.pk], "apply": "1", "reason": " "},
    )
    assert "Please give a reason" in response.content.decode()
    assert Registration.objects.get(pk=waiting.pk).status == "submitted"


def test_csv_export_follows_the_filters_and_masks_the_cnic_and_mobile(reviewer_client: Client) -> None:
    RegistrationFactory(
        approved=True,
        province="sindh",
        full_name="=HYPERLINK(evil)",
        cnic="42101-1234567-1",
        mobile="+923331234567",
    )
    RegistrationFactory(submitted=True, province="punjab")
    response = reviewer_client.get(
        reverse("admin:freelancers_registration_export"), {"province__exact": "sindh"}
    )
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][0] == "registration_number" and len(rows) == 2
    assert rows[1][4] == "42101-*******-1" and rows[1][2] == "'=HYPERLINK(evil)"
    assert rows[0][5] == "mobile_masked" and rows[1][5] == "0333-*****67"


def test_reviewer_group_can_review_but_not_delete_or_add() -> None:
    group = Group.objects.get(name="PSEB reviewer")
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert {"view_registration", "review_registration", "view_document"} <= codenames
    assert not any(code.startswith("delete_") for code in codenames)


def test_reviewer_cannot_delete_through_the_admin(reviewer_client: Client) -> None:
    registration = RegistrationFactory(submitted=True)
    response = reviewer_client.post(
        reverse("admin:freelancers_registration_delete", args=[registration.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    assert Registration.objects.filter(pk=registration.pk).exists()


def test_staff_outside_the_reviewer_group_cannot_decide(make_user: Any) -> None:
    registration = RegistrationFactory(submitted=True)
    client = Client()
    client.force_login(make_user(is_staff=True))
    url = reverse("admin:freelancers_registration_decide", args=[registration.pk, "approved"])
    assert client.post(url, {"apply": "1"}).status_code in (302, 403)
    assert Registration.objects.get(pk=registration.pk).status == "submitted"


def test_audit_history_is_readable_in_the_admin(reviewer_client: Client, reviewer: Any) -> None:
    from freelancers import lifecycle

    registration = RegistrationFactory(submitted=True)
    lifecycle.registration_reject(registration=registration, actor=reviewer, reason="Duplicate person.")
    page = reviewer_client.get(
        reverse("admin:freelancers_registration_change", args=[registration.pk])
    ).content.decode()
    assert "Duplicate person." in page and reviewer.email in page


def test_city_filter_lists_registered_cities_and_filters(reviewer_client: Client) -> None:
    quetta = RegistrationFactory(submitted=True, province="balochistan", city="Quetta")
    RegistrationFactory(submitted=True, province="punjab", city="Multan")
    response = reviewer_client.get(CHANGELIST, {"province__exact": "balochistan"})
    page = response.content.decode()
    assert "?city=Quetta" in page or "city=Quetta" in page
    response = reviewer_client.get(CHANGELIST, {"city": "Quetta"})
    assert list(response.context["cl"].result_list) == [quetta]
