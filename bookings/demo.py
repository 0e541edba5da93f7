"""Demo bookings for `seed_demo`: a lived-in week at the staffed demo centres, and a few of our own.

Runs after centres.demo and freelancers.demo. Idempotent: a centre-day that already has
demo bookings is left alone, and the demo freelancers get theirs only when they hold none.
Everything goes through booking_create, so the demo obeys every rule real bookings do.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import TextIO

from django.utils import timezone

from accounts.demo import ensure_user
from accounts.models import User
from centres import selectors as centre_selectors
from centres.hours import LOCAL_TZ, local_today
from centres.models import Centre, CentreStatus, SpaceKind
from erozgar.errors import DomainError

from . import rules
from .models import HOLDING_STATUSES, Booking, Source
from .services import booking_create

DAYS = 7
CROWD_SIZE = 60
CROWD_EMAIL = "demo.crowd{:02d}@example.pk"
STAFF_EMAILS = ("staff.islamabad@erozgar.pk", "manager.lahore@erozgar.pk")
# Share of seats and rooms booked at some point of a day: enough to look busy, not full.
OCCUPANCY = 0.4


def _crowd() -> list[User]:
    return [
        ensure_user(CROWD_EMAIL.format(n), full_name=f"Demo Visitor {n:02d}")
        for n in range(1, CROWD_SIZE + 1)
    ]


def _staffed_centres() -> list[tuple[Centre, User]]:
    found: list[tuple[Centre, User]] = []
    for email in STAFF_EMAILS:
        staff = User.objects.filter(email=email).first()
        if staff is None:
            continue
        centre = centre_selectors.centres_staffed_by(staff).filter(status=CentreStatus.ACTIVE).first()
        if centre is not None and all(c.pk != centre.pk for c, _ in found):
            found.append((centre, staff))
    return found


def _seed_day(centre: Centre, staff: User, crowd: list[User], day_offset: int, now: datetime) -> int:
    day = local_today(now) + timedelta(days=day_offset)
    opening = centre_selectors.opening_intervals(centre, day)
    if not opening:
        return 0
    day_start, day_end = opening[0].start, opening[-1].end
    if Booking.objects.filter(
        centre=centre, starts_at__gte=day_start, starts_at__lt=day_end, user__email__startswith="demo.crowd"
    ).exists():
        return 0
    chooser = random.Random(f"{centre.slug}-{day.isoformat()}")  # the same week every time
    spaces = list(centre.spaces.filter(in_service=True).order_by("kind", "label"))
    chosen = [s for s in spaces if chooser.random() < OCCUPANCY]
    people = crowd[:]
    chooser.shuffle(people)
    made = 0
    for space, person in zip(chosen, people, strict=False):
        if space.rate_hourly_pkr is None:
            if space.rate_daily_pkr is None or day_start < now:
                continue
            try:  # sold by the day only: a day pass
                booking_create(
                    user=person,
                    space=space,
                    starts_at=day_start,
                    ends_at=day_end,
                    product="day_pass",
                    created_by=staff,
                    source=Source.DESK,
                    notify=False,
                    now=now,
                )
            except DomainError:
                continue
            made += 1
            continue
        interval = chooser.choice(opening)
        points = list(rules.grid_points(max(interval.start, now), interval.end))
        if not points:
            continue
        start = chooser.choice(points[: max(1, len(points) - 2)])
        shortest, longest = centre_selectors.duration_limits(centre, space.kind)
        minutes = chooser.choice(
            [m for m in (60, 90, 120, 180, 240) if shortest <= m <= longest] or [shortest]
        )
        end = min(start + timedelta(minutes=minutes), interval.end)
        try:
            booking_create(
                user=person,
                space=space,
                starts_at=start,
                ends_at=end,
                created_by=staff,
                source=Source.DESK,
                notify=False,
                now=now,
            )
        except DomainError:
            continue  # a rule said no (too short near closing, a cap): the demo just skips it
        made += 1
    return made


def _own_bookings(now: datetime) -> int:
    made = 0
    plans = [
        ("sana.freelancer@example.pk", SpaceKind.CABIN, 1, 10, 120),
        ("usman.freelancer@example.pk", SpaceKind.MEETING_ROOM, 2, 14, 60),
    ]
    for email, kind, day_offset, hour, minutes in plans:
        user = User.objects.filter(email=email).first()
        if (
            user is None
            or Booking.objects.filter(user=user, status__in=HOLDING_STATUSES, ends_at__gt=now).exists()
        ):
            continue
        for centre, _staff in _staffed_centres()[:1]:
            day = local_today(now) + timedelta(days=day_offset)
            start = datetime.combine(day, datetime.min.time(), tzinfo=LOCAL_TZ) + timedelta(hours=hour)
            for space in centre.spaces.filter(kind=kind, in_service=True).order_by("label"):
                try:
                    booking_create(
                        user=user,
                        space=space,
                        starts_at=start,
                        ends_at=start + timedelta(minutes=minutes),
                        notify=False,
                        now=now,
                    )
                except DomainError:
                    continue
                made += 1
                break
    return made


def seed(stdout: TextIO) -> list[tuple[str, str, str]]:
    now = timezone.now()
    centres = _staffed_centres()
    if not centres:
        stdout.write("bookings: no staffed demo centre found, skipped")
        return []
    made = _own_bookings(now)
    crowd = _crowd()
    for centre, staff in centres:
        for offset in range(DAYS):
            made += _seed_day(centre, staff, crowd, offset, now)
    stdout.write(f"bookings: {made} new demo bookings over the coming {DAYS} days")
    return []
