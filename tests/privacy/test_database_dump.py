"""A copy of the database (a backup, a dump, a stolen disk) holds no CNIC or mobile number in clear.

The real ``pg_dump`` runs against the test database after the demo data is loaded and after
the things people do that could leave an identifier behind: registering through the API,
a scan uploaded under a file name that is the CNIC, a reviewer quoting the CNIC in a
reason, a clerk typing a CNIC into the scanner box, a look-up of someone unknown. Every way
of writing each identifier is searched for.
"""

from __future__ import annotations

import io
from importlib import import_module
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from accounts.models import User
from freelancers import lifecycle
from freelancers.demo import PEOPLE
from freelancers.identifiers import normalise_cnic, normalise_mobile
from freelancers.models import Registration
from tests.centres.factories import CentreFactory, StaffMembershipFactory
from tests.freelancers.conftest import image_bytes
from tests.freelancers.factories import SkillCategoryFactory, UserFactory
from tests.privacy.pg_dump import cnic_spellings, found_in, mobile_spellings, pg_dump

pytestmark = pytest.mark.django_db(transaction=True)

NEWCOMER_CNIC, NEWCOMER_MOBILE = "42101-1234567-1", "+923337654321"
UNKNOWN_CNIC, UNKNOWN_MOBILE = "35202-9999999-9", "+923459998877"


def test_a_pg_dump_holds_no_cnic_or_mobile_in_any_spelling(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    # The demo people and their registrations (the whole `seed_demo` adds centres and bookings,
    # which hold no identifier, and takes a minute).
    for code in ("graphic-design", "web-development", "software-engineering"):
        SkillCategoryFactory(code=code)  # made by a migration, gone after an earlier flush
    for app in ("accounts", "freelancers"):
        import_module(f"{app}.demo").seed(io.StringIO())
    admin = User.objects.get(email="admin@erozgar.pk")
    centre = CentreFactory()
    staff = UserFactory(email="clerk@example.pk")
    StaffMembershipFactory(centre=centre, user=staff, role="desk")

    newcomer = UserFactory(email="newcomer@example.pk")
    client = Client()
    client.force_login(newcomer)
    response = client.put(
        "/api/v1/me/registration/",
        {"full_name": "Nadia Newcomer", "cnic": NEWCOMER_CNIC.replace("-", ""), "mobile": "0333 7654321"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    scan = SimpleUploadedFile(f"CNIC {NEWCOMER_CNIC} front.png", image_bytes("PNG"), "image/png")
    response = client.post("/api/v1/me/registration/documents/", {"kind": "cnic_front", "file": scan})
    assert response.status_code == 201, response.content
    usman = Registration.objects.get(user__email="usman.freelancer@example.pk")
    lifecycle.registration_request_changes(
        registration=usman,
        actor=admin,
        reason=f"Your CNIC {PEOPLE['usman.freelancer@example.pk']['identity']['cnic']} is unreadable; "
        f"we called {PEOPLE['usman.freelancer@example.pk']['identity']['mobile']}.",
    )

    desk = Client()
    desk.force_login(staff)
    for typed in (NEWCOMER_CNIC, UNKNOWN_CNIC.replace("-", ""), "0345-9998877"):
        desk.post(f"/api/v1/desk/{centre.pk}/check-in/", {"reference": typed})
        desk.post(f"/api/v1/desk/{centre.pk}/check-out/", {"reference": typed})
        desk.get(f"/desk/{centre.slug}/find/", {"q": typed})

    dump = pg_dump()
    assert "Sana Khan" in dump and "Nadia Newcomer" in dump  # the data is there, only sealed
    identifiers = [
        (normalise_cnic(person["identity"]["cnic"]), normalise_mobile(person["identity"]["mobile"]))
        for person in PEOPLE.values()
    ] + [(NEWCOMER_CNIC, NEWCOMER_MOBILE), (UNKNOWN_CNIC, UNKNOWN_MOBILE)]
    leaks = {
        spelling
        for cnic, mobile in identifiers
        for spelling in found_in(dump, cnic_spellings(cnic) | mobile_spellings(mobile))
    }
    assert leaks == set()
