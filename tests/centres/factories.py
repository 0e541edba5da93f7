"""Factories for the directory: centres with hours, spaces, facilities and staff."""

from __future__ import annotations

from datetime import time

import factory

from centres.models import (
    Centre,
    Closure,
    Facility,
    OpeningHours,
    Operator,
    Province,
    Space,
    SpaceKind,
    StaffMembership,
    StaffRole,
)


class OperatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Operator

    name = factory.Sequence(lambda n: f"Partner {n} (Pvt) Ltd")
    contact_email = factory.Sequence(lambda n: f"partner{n}@example.pk")


class FacilityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Facility
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"facility-{n}")
    name_en = factory.LazyAttribute(lambda o: o.code.replace("-", " ").title())
    name_ur = ""


class CentreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Centre

    name = factory.Sequence(lambda n: f"e-Rozgar Centre {n}")
    slug = factory.Sequence(lambda n: f"centre-{n}")
    city = "Lahore"
    province = Province.PUNJAB
    tier = 1
    address = factory.Sequence(lambda n: f"{n} Mall Road")
    latitude = "31.549700"
    longitude = "74.343600"


class OpeningHoursFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OpeningHours

    centre = factory.SubFactory(CentreFactory)
    weekday = 0
    opens_at = time(9)
    closes_at = time(17)


class ClosureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Closure

    centre = factory.SubFactory(CentreFactory)
    reason = "Holiday"


class SpaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Space

    centre = factory.SubFactory(CentreFactory)
    kind = SpaceKind.WORKSTATION
    label = factory.Sequence(lambda n: f"WS-{n:03d}")
    rate_daily_pkr = 300
    rate_monthly_pkr = 3500


class StaffMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffMembership

    centre = factory.SubFactory(CentreFactory)
    role = StaffRole.MANAGER


def weekdays_open(
    centre: Centre, opens: time = time(9), closes: time = time(18), days: range = range(7)
) -> None:
    OpeningHours.objects.bulk_create(
        [OpeningHours(centre=centre, weekday=d, opens_at=opens, closes_at=closes) for d in days]
    )
