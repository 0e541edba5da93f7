"""Demo data: every province and tier, the Islamabad flagship, a manager; safe to run twice."""

from __future__ import annotations

import io
from datetime import date

import pytest

from centres import csv_io, demo, selectors
from centres.models import Centre, Province, Space, SpaceKind, Tier

pytestmark = pytest.mark.django_db


def test_seed_covers_all_provinces_and_tiers_and_is_idempotent():
    logins = demo.seed(io.StringIO())
    counts = (Centre.objects.count(), Space.objects.count())
    demo.seed(io.StringIO())

    assert (Centre.objects.count(), Space.objects.count()) == counts
    assert set(Centre.objects.values_list("province", flat=True)) == set(Province.values)
    assert set(Centre.objects.values_list("tier", flat=True)) == set(Tier.values)
    assert logins == [("Centre manager (Lahore)", demo.MANAGER_EMAIL, "erozgar-demo-2026")]


def test_islamabad_flagship_has_100_workstations_and_a_manager():
    demo.seed(io.StringIO())
    centre = Centre.objects.get(slug="islamabad-g9")
    kinds = {kind: centre.spaces.filter(kind=kind).count() for kind in SpaceKind.values}

    assert kinds[SpaceKind.WORKSTATION] == 100
    assert kinds[SpaceKind.MEETING_ROOM] == 2
    assert kinds[SpaceKind.STARTUP_OFFICE] == 1
    assert 2 <= kinds[SpaceKind.CABIN] <= 8
    monthly = set(centre.spaces.filter(kind=SpaceKind.WORKSTATION).values_list("rate_monthly_pkr", flat=True))
    assert all(3000 <= m <= 4000 for m in monthly)
    staff = centre.staff_memberships.get(user__email="staff.islamabad@erozgar.pk")
    assert staff.role == "manager"
    assert len(selectors.opening_intervals(centre, date(2026, 11, 30))) == 1  # a Monday


def test_the_demo_centres_are_the_fixture_file_read_by_the_csv_importer():
    demo.seed(io.StringIO())
    with demo.FIXTURE.open(encoding="utf-8", newline="") as stream:
        after = csv_io.import_centres_csv(stream, dry_run=True)
    assert (after.ok, after.created, after.updated) == (True, 0, 14)
    flagship = Centre.objects.get(slug="islamabad-g9")
    assert flagship.spaces.get(label="WS-050").floor == "G"
    assert flagship.spaces.get(label="WS-051").floor == "1"
    assert flagship.duration_rules.get(kind=SpaceKind.MEETING_ROOM).max_minutes == 240
