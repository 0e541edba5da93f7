"""Demo centres for `seed_demo`: every province and tier, with hours, facilities, spaces and rates.

Idempotent: centres, spaces and facilities are found by their slug, label or code;
hours are only written for a centre that has none.
"""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal
from typing import Any, NamedTuple, TextIO

from accounts.demo import DEMO_PASSWORD, ensure_user
from centres.csv_io import LABEL_PREFIX
from centres.models import (
    Centre,
    CentreStatus,
    Closure,
    DurationRule,
    Facility,
    OpeningHours,
    Operator,
    Province,
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

# slug, name, city, province, tier, address, lat, lng, operator index, status, capacity now/planned,
# facilities, internet Mbps, spaces {kind: count}
_ROWS: list[tuple[Any, ...]] = [
    (
        "islamabad-g9",
        "e-Rozgar Centre Islamabad (G-9)",
        "Islamabad",
        Province.ISLAMABAD,
        1,
        "PSEB Building, Markaz G-9, Islamabad",
        "33.691300",
        "73.030500",
        0,
        CentreStatus.ACTIVE,
        (100, 300),
        [
            "high-speed-internet",
            "backup-power",
            "training-room",
            "women-only-area",
            "prayer-area",
            "parking",
            "step-free-access",
            "air-conditioning",
            "cafeteria",
        ],
        100,
        {
            SpaceKind.WORKSTATION: 100,
            SpaceKind.CABIN: 6,
            SpaceKind.MEETING_ROOM: 2,
            SpaceKind.STARTUP_OFFICE: 1,
            SpaceKind.TRAINING_ROOM: 1,
        },
    ),
    (
        "islamabad-i8",
        "e-Rozgar Centre Islamabad (I-8)",
        "Islamabad",
        Province.ISLAMABAD,
        1,
        "Plot 12, I-8 Markaz, Islamabad",
        "33.667800",
        "73.075600",
        0,
        CentreStatus.ACTIVE,
        (40, 80),
        ["high-speed-internet", "backup-power", "prayer-area", "air-conditioning"],
        50,
        {SpaceKind.WORKSTATION: 36, SpaceKind.CABIN: 2, SpaceKind.MEETING_ROOM: 1},
    ),
    (
        "lahore-arfa-tower",
        "e-Rozgar Centre Lahore (Arfa Tower)",
        "Lahore",
        Province.PUNJAB,
        1,
        "Arfa Software Technology Park, Ferozepur Road, Lahore",
        "31.475900",
        "74.342700",
        1,
        CentreStatus.ACTIVE,
        (80, 150),
        [
            "high-speed-internet",
            "backup-power",
            "training-room",
            "women-only-area",
            "prayer-area",
            "step-free-access",
            "air-conditioning",
        ],
        100,
        {
            SpaceKind.WORKSTATION: 70,
            SpaceKind.CABIN: 4,
            SpaceKind.MEETING_ROOM: 2,
            SpaceKind.TRAINING_ROOM: 1,
        },
    ),
    (
        "faisalabad-d-ground",
        "e-Rozgar Centre Faisalabad",
        "Faisalabad",
        Province.PUNJAB,
        2,
        "Kohinoor Plaza, D Ground, Faisalabad",
        "31.418600",
        "73.079100",
        1,
        CentreStatus.ACTIVE,
        (50, 100),
        ["high-speed-internet", "backup-power", "prayer-area", "parking"],
        50,
        {SpaceKind.WORKSTATION: 45, SpaceKind.CABIN: 2, SpaceKind.MEETING_ROOM: 1},
    ),
    (
        "bahawalpur-model-town",
        "e-Rozgar Centre Bahawalpur",
        "Bahawalpur",
        Province.PUNJAB,
        3,
        "Model Town A, Bahawalpur",
        "29.395600",
        "71.683600",
        1,
        CentreStatus.ACTIVE,
        (30, 60),
        ["high-speed-internet", "backup-power", "women-only-area"],
        30,
        {SpaceKind.WORKSTATION: 28, SpaceKind.MEETING_ROOM: 1},
    ),
    (
        "karachi-shahrah-e-faisal",
        "e-Rozgar Centre Karachi (Shahrah-e-Faisal)",
        "Karachi",
        Province.SINDH,
        1,
        "Business Avenue, Shahrah-e-Faisal, Karachi",
        "24.862000",
        "67.075900",
        2,
        CentreStatus.ACTIVE,
        (90, 200),
        [
            "high-speed-internet",
            "backup-power",
            "training-room",
            "prayer-area",
            "parking",
            "air-conditioning",
            "cafeteria",
        ],
        100,
        {
            SpaceKind.WORKSTATION: 80,
            SpaceKind.CABIN: 5,
            SpaceKind.MEETING_ROOM: 2,
            SpaceKind.STARTUP_OFFICE: 2,
        },
    ),
    (
        "hyderabad-latifabad",
        "e-Rozgar Centre Hyderabad",
        "Hyderabad",
        Province.SINDH,
        2,
        "Unit 7, Latifabad, Hyderabad",
        "25.365600",
        "68.368300",
        2,
        CentreStatus.ACTIVE,
        (40, 80),
        ["high-speed-internet", "backup-power", "women-only-area", "prayer-area"],
        40,
        {SpaceKind.WORKSTATION: 36, SpaceKind.CABIN: 2, SpaceKind.MEETING_ROOM: 1},
    ),
    (
        "sukkur-military-road",
        "e-Rozgar Centre Sukkur",
        "Sukkur",
        Province.SINDH,
        3,
        "Military Road, Sukkur",
        "27.705200",
        "68.857400",
        2,
        CentreStatus.PLANNED,
        (0, 50),
        ["high-speed-internet", "backup-power"],
        20,
        {SpaceKind.WORKSTATION: 20},
    ),
    (
        "peshawar-university-town",
        "e-Rozgar Centre Peshawar",
        "Peshawar",
        Province.KHYBER_PAKHTUNKHWA,
        1,
        "University Town, Peshawar",
        "34.002700",
        "71.485900",
        3,
        CentreStatus.ACTIVE,
        (60, 120),
        ["high-speed-internet", "backup-power", "training-room", "women-only-area", "prayer-area", "parking"],
        60,
        {
            SpaceKind.WORKSTATION: 50,
            SpaceKind.CABIN: 3,
            SpaceKind.MEETING_ROOM: 1,
            SpaceKind.TRAINING_ROOM: 1,
        },
    ),
    (
        "abbottabad-mansehra-road",
        "e-Rozgar Centre Abbottabad",
        "Abbottabad",
        Province.KHYBER_PAKHTUNKHWA,
        2,
        "Mansehra Road, Abbottabad",
        "34.168800",
        "73.221500",
        3,
        CentreStatus.ACTIVE,
        (30, 60),
        ["high-speed-internet", "backup-power", "prayer-area", "step-free-access"],
        30,
        {SpaceKind.WORKSTATION: 28, SpaceKind.MEETING_ROOM: 1},
    ),
    (
        "quetta-jinnah-road",
        "e-Rozgar Centre Quetta",
        "Quetta",
        Province.BALOCHISTAN,
        1,
        "Jinnah Road, Quetta",
        "30.192000",
        "67.007000",
        3,
        CentreStatus.ACTIVE,
        (40, 100),
        ["high-speed-internet", "backup-power", "women-only-area", "prayer-area", "parking"],
        30,
        {SpaceKind.WORKSTATION: 35, SpaceKind.CABIN: 2, SpaceKind.MEETING_ROOM: 1},
    ),
    (
        "gwadar-marine-drive",
        "e-Rozgar Centre Gwadar",
        "Gwadar",
        Province.BALOCHISTAN,
        3,
        "Marine Drive, Gwadar",
        "25.121600",
        "62.325400",
        3,
        CentreStatus.ACTIVE,
        (20, 40),
        ["high-speed-internet", "backup-power"],
        20,
        {SpaceKind.WORKSTATION: 18, SpaceKind.MEETING_ROOM: 1},
    ),
    (
        "gilgit-jutial",
        "e-Rozgar Centre Gilgit",
        "Gilgit",
        Province.GILGIT_BALTISTAN,
        2,
        "Jutial, Gilgit",
        "35.908800",
        "74.353500",
        0,
        CentreStatus.ACTIVE,
        (25, 50),
        ["high-speed-internet", "backup-power", "prayer-area"],
        20,
        {SpaceKind.WORKSTATION: 22, SpaceKind.MEETING_ROOM: 1},
    ),
    (
        "muzaffarabad-chattar",
        "e-Rozgar Centre Muzaffarabad",
        "Muzaffarabad",
        Province.AZAD_KASHMIR,
        2,
        "Chattar, Muzaffarabad",
        "34.370200",
        "73.471100",
        0,
        CentreStatus.ACTIVE,
        (30, 60),
        ["high-speed-internet", "backup-power", "women-only-area", "prayer-area"],
        30,
        {SpaceKind.WORKSTATION: 28, SpaceKind.CABIN: 2, SpaceKind.MEETING_ROOM: 1},
    ),
]


class DemoCentre(NamedTuple):
    slug: str
    name: str
    city: str
    province: str
    tier: int
    address: str
    latitude: str
    longitude: str
    operator: int
    status: str
    capacity: tuple[int, int]
    facilities: list[str]
    internet_mbps: int
    spaces: dict[SpaceKind, int]


CENTRES = [DemoCentre(*row) for row in _ROWS]

# Rates by tier (whole PKR): seats about Rs 3,000-4,000 a month.
RATES: dict[SpaceKind, dict[int, tuple[int | None, int | None, int | None]]] = {
    SpaceKind.WORKSTATION: {1: (None, 250, 4000), 2: (None, 200, 3500), 3: (None, 150, 3000)},
    SpaceKind.CABIN: {1: (300, 1200, 12000), 2: (250, 1000, 10000), 3: (200, 800, 8000)},
    SpaceKind.MEETING_ROOM: {1: (1000, None, None), 2: (800, None, None), 3: (600, None, None)},
    SpaceKind.STARTUP_OFFICE: {1: (None, 3000, 45000), 2: (None, 2500, 35000), 3: (None, 2000, 30000)},
    SpaceKind.TRAINING_ROOM: {1: (2500, 15000, None), 2: (2000, 12000, None), 3: (1500, 10000, None)},
}
CAPACITY = {SpaceKind.MEETING_ROOM: 8, SpaceKind.STARTUP_OFFICE: 6, SpaceKind.TRAINING_ROOM: 30}

MANAGER_EMAIL = "manager.lahore@erozgar.pk"

# Public holidays every centre closes on (Eid dates move with the moon; PSEB adds them yearly).
HOLIDAYS = [
    (date(2026, 12, 25), "Quaid-e-Azam Day"),
    (date(2027, 2, 5), "Kashmir Solidarity Day"),
    (date(2027, 3, 23), "Pakistan Day"),
]


def _hours(centre: Centre, index: int) -> None:
    if centre.opening_hours.exists():
        return
    rows = []
    if index == 0:
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


def _spaces(centre: Centre, plan: dict[SpaceKind, int]) -> None:
    existing = set(centre.spaces.values_list("label", flat=True))
    new = []
    for kind, count in plan.items():
        hourly, daily, monthly = RATES[SpaceKind(kind)][centre.tier]
        for n in range(1, count + 1):
            label = f"{LABEL_PREFIX[SpaceKind(kind)]}-{n:03d}"
            if label in existing:
                continue
            new.append(
                Space(
                    centre=centre,
                    kind=kind,
                    label=label,
                    floor="G" if kind == SpaceKind.WORKSTATION and n <= 50 else "1",
                    capacity=CAPACITY.get(SpaceKind(kind), 1),
                    rate_hourly_pkr=hourly,
                    rate_daily_pkr=daily,
                    rate_monthly_pkr=monthly,
                )
            )
    Space.objects.bulk_create(new)


def seed(stdout: TextIO) -> list[tuple[str, str, str]]:
    facilities = {}
    for order, (code, name_en, name_ur) in enumerate(FACILITIES):
        facilities[code], _ = Facility.objects.get_or_create(
            code=code, defaults={"name_en": name_en, "name_ur": name_ur, "sort_order": order * 10}
        )
    operators = []
    for name, contact, email, phone in OPERATORS:
        operator, _ = Operator.objects.get_or_create(
            name=name, defaults={"contact_name": contact, "contact_email": email, "contact_phone": phone}
        )
        operators.append(operator)

    centres = []
    for index, row in enumerate(CENTRES):
        (
            slug,
            name,
            city,
            province,
            tier,
            address,
            lat,
            lng,
            op,
            status,
            (now, planned),
            codes,
            mbps,
            plan,
        ) = row
        centre, created = Centre.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "city": city,
                "province": province,
                "tier": tier,
                "address": address,
                "latitude": Decimal(lat),
                "longitude": Decimal(lng),
                "operator": operators[op],
                "status": status,
                "capacity_current": now,
                "capacity_planned": planned,
                "internet_speed_mbps": mbps,
                "phone": operators[op].contact_phone,
                "email": f"{slug}@erozgar.pk",
                "description_en": f"A co-working centre for freelancers in {city}: fast internet, backup power "
                "and quiet desks, run with PSEB.",
                "description_ur": f"{city} میں فری لانسرز کے لیے کو ورکنگ مرکز: تیز انٹرنیٹ، بیک اپ بجلی اور پُرسکون ڈیسک۔",
            },
        )
        if created:
            centre.facilities.set([facilities[c] for c in codes])
            if SpaceKind.MEETING_ROOM in plan:
                DurationRule.objects.get_or_create(
                    centre=centre,
                    kind=SpaceKind.MEETING_ROOM,
                    defaults={"min_minutes": 30, "max_minutes": 240},
                )
        _hours(centre, index)
        _spaces(centre, plan)
        for day, reason in HOLIDAYS:
            Closure.objects.get_or_create(centre=centre, date=day, defaults={"reason": reason})
        centres.append(centre)

    staff = ensure_user("staff.islamabad@erozgar.pk", full_name="Bilal Ahmed")
    StaffMembership.objects.update_or_create(
        user=staff, centre=centres[0], defaults={"role": StaffRole.MANAGER}
    )
    manager = ensure_user(MANAGER_EMAIL, full_name="Hina Tariq")
    StaffMembership.objects.get_or_create(
        user=manager, centre=centres[2], defaults={"role": StaffRole.MANAGER}
    )
    stdout.write(
        f"Centres: {len(centres)} demo centres across {len({c.province for c in centres})} provinces.\n"
    )
    return [("Centre manager (Lahore)", MANAGER_EMAIL, DEMO_PASSWORD)]
