"""PSEB's admin: centres with inlines, filters, CSV import with a dry run, CSV export."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from centres import csv_io
from centres.models import Centre, Province

from .factories import CentreFactory, FacilityFactory, SpaceFactory

pytestmark = pytest.mark.django_db


def upload(rows: list[dict[str, object]]) -> SimpleUploadedFile:
    buffer = io.StringIO()
    csv_io.write_rows(rows, buffer)
    return SimpleUploadedFile("centres.csv", buffer.getvalue().encode("utf-8"), content_type="text/csv")


ROW = {
    "slug": "new-centre",
    "name": "New Centre",
    "city": "Sialkot",
    "province": "Punjab",
    "address": "Paris Road",
    "workstation_count": 2,
    "workstation_monthly_pkr": 3200,
}


def test_centre_change_list_filters_by_province_with_a_fixed_number_of_queries(
    client, pseb_admin, django_assert_max_num_queries
):
    for _n in range(30):
        SpaceFactory(centre=CentreFactory(province=Province.SINDH))
    CentreFactory(province=Province.PUNJAB, name="Only Punjab")
    client.force_login(pseb_admin)

    with django_assert_max_num_queries(20):
        response = client.get("/admin/centres/centre/", {"province__exact": "punjab"})

    assert response.status_code == 200
    assert "Only Punjab" in response.content.decode()
    assert response.context["cl"].result_count == 1


def test_centre_change_page_has_the_inlines(client, pseb_admin):
    centre = CentreFactory()
    client.force_login(pseb_admin)

    html = client.get(f"/admin/centres/centre/{centre.pk}/change/").content.decode()

    for prefix in ("opening_hours", "closures", "spaces", "duration_rules", "staff_memberships", "photos"):
        assert f'name="{prefix}-TOTAL_FORMS"' in html, prefix


def test_admin_import_dry_run_reports_bad_rows_and_saves_nothing(client, pseb_admin):
    client.force_login(pseb_admin)
    bad = {**ROW, "slug": "bad-one", "province": "Narnia"}

    response = client.post("/admin/centres/centre/import-csv/", {"file": upload([ROW, bad]), "dry_run": "on"})

    html = response.content.decode()
    assert "Problems found: nothing was imported" in html
    assert "unknown province “Narnia”." in html
    assert "<td>3</td>" in html
    assert not Centre.objects.exists()


def test_admin_import_real_run_creates_the_centres(client, pseb_admin):
    FacilityFactory(code="parking")
    client.force_login(pseb_admin)

    response = client.post(
        "/admin/centres/centre/import-csv/", {"file": upload([{**ROW, "facilities": "parking"}])}
    )

    assert "Imported" in response.content.decode()
    centre = Centre.objects.get(slug="new-centre")
    assert centre.spaces.count() == 2


def test_admin_import_refuses_a_non_utf8_file(client, pseb_admin):
    client.force_login(pseb_admin)
    file = SimpleUploadedFile("centres.csv", "slug,name\nx,Caf\xe9\n".encode("latin-1"))

    response = client.post("/admin/centres/centre/import-csv/", {"file": file, "dry_run": "on"})

    assert "The file is not UTF-8 text." in response.content.decode()


def test_admin_export_follows_the_change_list_filters(client, pseb_admin):
    CentreFactory(slug="in-sindh", province=Province.SINDH)
    CentreFactory(slug="in-punjab", province=Province.PUNJAB)
    client.force_login(pseb_admin)

    response = client.get("/admin/centres/centre/export-csv/", {"province__exact": "sindh"})

    body = response.content.decode()
    assert response["Content-Type"].startswith("text/csv")
    assert "in-sindh" in body and "in-punjab" not in body


def test_people_without_admin_access_cannot_import(client, freelancer):
    client.force_login(freelancer)

    response = client.post("/admin/centres/centre/import-csv/", {"file": upload([ROW])})

    assert response.status_code == 302
    assert not Centre.objects.exists()
