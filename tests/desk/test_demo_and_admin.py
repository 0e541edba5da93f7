"""The demo seed takes a few payments once; PSEB admins read payments and the desk log in the admin."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from centres.models import StaffRole
from desk import demo
from desk.models import DeskAction, Payment
from desk.payments import payment_record
from desk.scans import desk_check_in
from tests.centres.factories import StaffMembershipFactory
from tests.desk.helpers import make_booking, today_at
from tests.freelancers.factories import RegistrationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_demo_seed_records_payments_once(centre: Any, cabin: Any, workstation: Any, frozen: Any) -> None:
    staff = UserFactory(email="staff.islamabad@erozgar.pk")
    StaffMembershipFactory(user=staff, centre=centre, role=StaffRole.MANAGER)
    for space, hour in ((cabin, 14), (workstation, 15), (cabin, 16)):
        make_booking(space, RegistrationFactory(submitted=True).user, today_at(hour), today_at(hour + 1))
    demo.seed(io.StringIO())
    demo.seed(io.StringIO())
    assert Payment.objects.count() == 3
    assert sorted(Payment.objects.values_list("method", flat=True)) == ["cash", "cash", "jazzcash"]
    assert DeskAction.objects.filter(kind="payment").count() == 3


def test_pseb_admin_reads_payments_and_the_desk_log_in_the_admin(
    client: Client, pseb_admin: Any, centre: Any, clerk: Any, booking: Any, frozen: Any
) -> None:
    desk_check_in(centre=centre, actor=clerk, reference=booking.reference)
    payment_record(centre=centre, actor=clerk, booking=booking, amount_pkr=400, method="cash")
    client.force_login(pseb_admin)
    log = client.get(reverse("admin:desk_deskaction_changelist")).content.decode()
    assert "Checked in" in log and "Payment recorded" in log
    payments = client.get(reverse("admin:desk_payment_changelist")).content.decode()
    assert "R-0000" in payments
    # The record is evidence: nobody edits or deletes it through the admin.
    assert client.get(reverse("admin:desk_payment_add")).status_code == 403


def test_manager_reads_the_desk_log_in_the_portal(
    client: Client, manager: Any, clerk: Any, centre: Any, booking: Any, frozen: Any
) -> None:
    desk_check_in(centre=centre, actor=clerk, reference=booking.reference)
    client.force_login(manager)
    html = client.get(reverse("desk:log", args=[centre.slug])).content.decode()
    assert "Desk Clerk" in html and booking.reference in html and "Checked in" in html
    assert "Nothing released or closed automatically yet." in html


def test_manager_sees_what_the_no_show_job_released(
    client: Client, manager: Any, centre: Any, booking: Any, django_capture_on_commit_callbacks: Any
) -> None:
    import time_machine

    from bookings.housekeeping import release_no_shows

    with django_capture_on_commit_callbacks(), time_machine.travel(today_at(10, 45), tick=False):
        release_no_shows()
    client.force_login(manager)
    html = client.get(reverse("desk:log", args=[centre.slug])).content.decode()
    assert booking.reference in html and "Marked as no-show" in html


def test_desk_index_takes_single_centre_staff_straight_to_their_desk(
    client: Client, clerk: Any, centre: Any, freelancer: Any
) -> None:
    client.force_login(clerk)
    assert client.get(reverse("desk:index"))["Location"] == reverse("desk:home", args=[centre.slug])
    client.force_login(freelancer)
    assert "You do not work at any centre" in client.get(reverse("desk:index")).content.decode()
