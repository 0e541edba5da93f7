"""The database guards the directory's invariants; model validation says the same in words."""

from __future__ import annotations

from datetime import time

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from centres import services
from centres.models import Closure, DurationRule, OpeningHours, Space, SpaceKind, StaffMembership

from .factories import CentreFactory, ClosureFactory, SpaceFactory

pytestmark = pytest.mark.django_db


def test_a_negative_price_is_refused_by_validation_and_by_the_database():
    centre = CentreFactory()
    space = Space(centre=centre, kind=SpaceKind.CABIN, label="CAB-1", rate_hourly_pkr=-1)

    with pytest.raises(ValidationError):
        space.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        Space.objects.filter(pk=SpaceFactory(centre=centre).pk).update(rate_daily_pkr=-1)


def test_a_label_is_unique_within_a_centre_only():
    centre = CentreFactory()
    SpaceFactory(centre=centre, label="WS-001")
    SpaceFactory(centre=CentreFactory(), label="WS-001")

    with pytest.raises(ValidationError):
        Space(centre=centre, kind=SpaceKind.WORKSTATION, label="WS-001", rate_daily_pkr=1).full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        Space.objects.create(centre=centre, kind=SpaceKind.WORKSTATION, label="WS-001")


def test_an_empty_opening_interval_is_refused():
    centre = CentreFactory()

    with pytest.raises(ValidationError):
        OpeningHours(centre=centre, weekday=0, opens_at=time(9), closes_at=time(9)).full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        OpeningHours.objects.create(centre=centre, weekday=0, opens_at=time(9), closes_at=time(9))
    with pytest.raises(IntegrityError), transaction.atomic():
        OpeningHours.objects.create(centre=centre, weekday=7, opens_at=time(9), closes_at=time(10))


def test_one_closure_per_centre_and_date():
    closure = ClosureFactory(centre=CentreFactory(), date="2026-12-25")

    with pytest.raises(ValidationError):
        Closure(centre=closure.centre, date=closure.date).full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        Closure.objects.create(centre=closure.centre, date=closure.date)


def test_a_duration_rule_needs_max_at_least_min():
    centre = CentreFactory()

    with pytest.raises(ValidationError):
        DurationRule(centre=centre, kind=SpaceKind.CABIN, min_minutes=120, max_minutes=60).full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        DurationRule.objects.create(centre=centre, kind=SpaceKind.CABIN, min_minutes=120, max_minutes=60)


def test_a_person_has_one_role_per_centre(make_user):
    centre, user = CentreFactory(), make_user()
    services.staff_assign(centre=centre, user=user, role="desk")
    services.staff_assign(centre=centre, user=user, role="manager")

    assert StaffMembership.objects.get(centre=centre, user=user).role == "manager"
    with pytest.raises(IntegrityError), transaction.atomic():
        StaffMembership.objects.create(centre=centre, user=user, role="desk")


def test_coordinates_outside_the_globe_are_refused_by_the_database():
    centre = CentreFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        type(centre).objects.filter(pk=centre.pk).update(latitude=95)
