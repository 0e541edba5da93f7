"""Demo centres for `seed_demo`: every province and tier, with hours, facilities, spaces and rates.

The centres, their spaces and rate cards are rows of centres/fixtures/demo_centres.csv,
loaded through the same importer as an admin's CSV (``centres.csv_io``), so every
``make run`` exercises it. This module adds what a CSV row does not hold: the facilities
and operators the rows name, opening hours, public holidays, the meeting rooms' duration
rule, floors, and the demo staff.

Idempotent: facilities and operators are found by code and name, centres by slug (the
import leaves existing ones alone), hours are only written for a centre that has none.
"""

from __future__ import annotations

from datetime import date, time
from pathlib import Path
from typing import TextIO

from accounts.demo import DEMO_PASSWORD, ensure_user
from centres import csv_io
from centres.models import (
    Centre,
    Closure,
    DurationRule,
    Facility,
    OpeningHours,
    Operator,
    Space,
    SpaceKind,
    StaffMembership,
    StaffRole,
)

FACILITIES = [
    # code, English, Urdu
    ("high-speed-internet", "High-speed internet", "تیز رفتار انٹرنیٹ"),
    ("backup-power", "Backup power (UPS/generator)", "بیک اپ بجلی (یو پی ایس/جنریٹر)"),
    ("training-room", "Training room", "تربیتی کمرہ"),
    ("women-only-area", "Women-only area", "خواتین کے لیے مخصوص جگہ"),
    ("prayer-area", "Prayer area", "نماز کی جگہ"),
    ("parking", "Parking", "پارکنگ"),
    ("step-free-access", "Step-free access", "سیڑھیوں کے بغیر رسائی"),
    ("air-conditioning", "Air conditioning", "ایئر کنڈیشنگ"),
    ("cafeteria", "Cafeteria", "کیفے ٹیریا"),
]

OPERATORS = [
    ("Capital Co-Work (Pvt) Ltd", "Imran Qureshi", "ops@capitalcowork.example.pk", "+92515550100"),
    ("Punjab Digital Spaces", "Hina Malik", "hello@punjabdigital.example.pk", "+92425550111"),
    ("Indus Freelance Hubs", "Ali Raza Memon", "contact@indushubs.example.pk", "+92215550122"),
    ("Frontier Tech Partners", "Shahid Khan", "info@frontiertech.example.pk", "+92915550133"),
]

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "demo_centres.csv"
FLAGSHIP = "islamabad-g9"
MANAGER_EMAIL = "manager.lahore@erozgar.pk"

# Public holidays every centre closes on (Eid dates move with the moon; PSEB adds them yearly).
HOLIDAYS = [
    (date(2026, 12, 25), "Quaid-e-Azam Day"),
    (date(2027, 2, 5), "Kashmir Solidarity Day"),
    (date(2027, 3, 23), "Pakistan Day"),
]


def _hours(centre: Centre) -> None:
    if centre.opening_hours.exists():
        return
    rows = []
    if centre.slug == FLAGSHIP:
        # The flagship keeps a late shift for freelancers serving clients in other time zones.
        for weekday in range(6):
            rows.append(OpeningHours(centre=centre, weekday=weekday, opens_at=time(9), closes_at=time(23)))
        rows.append(OpeningHours(centre=centre, weekday=6, opens_at=time(10), closes_at=time(18)))
    else:
        for weekday in range(6):
            if weekday == 4:
                # Friday: closed for Jummah prayers between the two shifts.
                rows.append(OpeningHours(centre=centre, weekday=4, opens_at=time(9), closes_at=time(12, 30)))
                rows.append(OpeningHours(centre=centre, weekday=4, opens_at=time(14, 30), closes_at=time(21)))
            else:
                rows.append(
                    OpeningHours(centre=centre, weekday=weekday, opens_at=time(9), closes_at=time(21))
                )
    OpeningHours.objects.bulk_create(rows)


def _furnish_new(centres: list[Centre]) -> None:
    """What the CSV does not say about centres it just created: floors and the meeting-room rule.

    The first fifty workstations are on the ground floor, every other space on the first.
    Meeting rooms are booked for 30 minutes to 4 hours.
    """
    spaces = Space.objects.filter(centre__in=centres)
    spaces.update(floor="1")
    spaces.filter(kind=SpaceKind.WORKSTATION, label__lte="WS-050").update(floor="G")
    with_rooms = {s.centre_id for s in spaces.filter(kind=SpaceKind.MEETING_ROOM).only("centre_id")}
    for centre in centres:
        if centre.pk in with_rooms:
            DurationRule.objects.get_or_create(
                centre=centre, kind=SpaceKind.MEETING_ROOM, defaults={"min_minutes": 30, "max_minutes": 240}
            )


def _import_centres() -> list[Centre]:
    """Create the fixture's centres that are not there yet; return all of them in the file's order."""
    with FIXTURE.open(encoding="utf-8", newline="") as stream:
        _header, rows = csv_io.read_rows(stream)
        slugs = [row["slug"] for _line, row in rows]
    before = set(Centre.objects.filter(slug__in=slugs).values_list("slug", flat=True))
    with FIXTURE.open(encoding="utf-8", newline="") as stream:
        result = csv_io.import_centres_csv(stream, dry_run=False, only_new=True)
    if not result.ok:
        raise ValueError(f"{FIXTURE.name}: " + "; ".join(str(error) for error in result.errors))
    centres = {c.slug: c for c in Centre.objects.filter(slug__in=slugs)}
    _furnish_new([centre for slug, centre in centres.items() if slug not in before])
    return [centres[slug] for slug in slugs]


def seed(stdout: TextIO) -> list[tuple[str, str, str]]:
    for order, (code, name_en, name_ur) in enumerate(FACILITIES):
        Facility.objects.get_or_create(
            code=code, defaults={"name_en": name_en, "name_ur": name_ur, "sort_order": order * 10}
        )
    for name, contact, email, phone in OPERATORS:
        Operator.objects.get_or_create(
            name=name, defaults={"contact_name": contact, "contact_email": email, "contact_phone": phone}
        )
    centres = _import_centres()
    for centre in centres:
        _hours(centre)
        for day, reason in HOLIDAYS:
            Closure.objects.get_or_create(centre=centre, date=day, defaults={"reason": reason})

    by_slug = {centre.slug: centre for centre in centres}
    staff = ensure_user("staff.islamabad@erozgar.pk", full_name="Bilal Ahmed")
    StaffMembership.objects.update_or_create(
        user=staff, centre=by_slug[FLAGSHIP], defaults={"role": StaffRole.MANAGER}
    )
    manager = ensure_user(MANAGER_EMAIL, full_name="Hina Tariq")
    StaffMembership.objects.get_or_create(
        user=manager, centre=by_slug["lahore-arfa-tower"], defaults={"role": StaffRole.MANAGER}
    )
    stdout.write(
        f"Centres: {len(centres)} demo centres across {len({c.province for c in centres})} provinces.\n"
    )
    return [("Centre manager (Lahore)", MANAGER_EMAIL, DEMO_PASSWORD)]
