"""Reads for the desk: today's list, live counts, what is free now, walk-in options, look-ups, payments,
the log.

Every list here costs a fixed number of queries whatever the number of rows: the desk
page for 300 bookings reads the same handful of tables as for 3.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import (
    CharField,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone
from django.utils.translation import gettext as _

from bookings import rules as booking_rules
from bookings.lifecycle import release_time
from bookings.models import (
    HOLDING_STATUSES,
    REFERENCE_ALPHABET,
    REFERENCE_LENGTH,
    Booking,
    BookingEvent,
    BookingStatus,
    Product,
)
from bookings.rules import time_label
from centres import selectors as centre_selectors
from centres.hours import local_datetime, local_today
from centres.models import Centre, Space, SpaceKind
from erozgar.money import rupees
from freelancers.selectors import find_registration_by_cnic_or_mobile, registered_full_name, registered_name

from .models import DeskAction, Payment

REFERENCE_PATTERN = re.compile(rf"\b([{REFERENCE_ALPHABET}]{{{REFERENCE_LENGTH}}})\b")


def day_bounds(day: date) -> tuple[datetime, datetime]:
    start = local_datetime(day, time(0))
    return start, start + timedelta(days=1)


def staff_centre(user: Any, slug: str) -> tuple[Centre | None, str | None]:
    """The centre with ``slug`` and the user's role there (None when they do not work there)."""
    centre = Centre.objects.filter(slug=slug).first()
    if centre is None:
        return None, None
    return centre, centre_selectors.staff_role(user, centre)


def staff_centre_by_id(user: Any, centre_id: int) -> tuple[Centre | None, str | None]:
    centre = Centre.objects.filter(pk=centre_id).first()
    if centre is None:
        return None, None
    return centre, centre_selectors.staff_role(user, centre)


def normalise_reference(text: str) -> str | None:
    """A booking reference out of whatever a scanner typed: bare, lower case, or inside a URL."""
    cleaned = (text or "").strip().upper()
    if not cleaned:
        return None
    found = REFERENCE_PATTERN.findall(cleaned.replace("-", " ").replace("/", " "))
    return found[-1] if found else None  # in a URL the reference comes last


def _paid_subquery() -> Coalesce:
    paid = (
        Payment.objects.filter(booking_id=OuterRef("pk"))
        .order_by()
        .values("booking_id")
        .annotate(total=Sum("amount_pkr"))
        .values("total")
    )
    return Coalesce(Subquery(paid, output_field=IntegerField()), Value(0))


def with_payments(qs: QuerySet[Booking]) -> QuerySet[Booking]:
    """Annotate ``paid_pkr`` (sum of desk payments) in the same query."""
    return qs.annotate(paid_pkr=_paid_subquery())


def payment_state(price_pkr: int, paid_pkr: int) -> str:
    """ "paid", "part_paid" or "unpaid" (a free booking counts as paid)."""
    if paid_pkr >= price_pkr:
        return "paid"
    if paid_pkr > 0:
        return "part_paid"
    return "unpaid"


@dataclass(frozen=True)
class Money:
    price_pkr: int
    paid_pkr: int

    @property
    def due_pkr(self) -> int:
        return max(self.price_pkr - self.paid_pkr, 0)

    @property
    def state(self) -> str:
        return payment_state(self.price_pkr, self.paid_pkr)


def money(booking: Booking) -> Money:
    """Price, paid and due of a booking read through ``with_payments`` (``paid_pkr`` annotated)."""
    return Money(booking.price_pkr, int(getattr(booking, "paid_pkr", 0) or 0))


def is_late(booking: Booking, *, now: datetime) -> bool:
    """Still expected after the grace period: the no-show job will release it on its next run."""
    return (
        booking.status == BookingStatus.CONFIRMED
        and booking.product != Product.MONTHLY
        and now >= release_time(booking)
    )


def _today_q(day: date) -> Q:
    """Bookings of ``day``: starting that day, or a monthly plan running through it."""
    start, end = day_bounds(day)
    return Q(starts_at__gte=start, starts_at__lt=end) | Q(
        product=Product.MONTHLY, starts_at__lt=end, ends_at__gt=start
    )


def with_names(qs: QuerySet[Booking]) -> QuerySet[Booking]:
    """Annotate ``person_name``: the registered name (as on CNIC), else the account's name, else
    the email, so the desk says "Hira Baloch", not "hira@example.pk", in the same query."""
    return qs.annotate(
        person_name=Coalesce(
            NullIf(registered_name("user_id"), Value("")),
            NullIf(F("user__full_name"), Value("")),
            F("user__email"),
            output_field=CharField(),
        )
    )


def person_name(booking: Booking) -> str:
    """The name the desk shows for a booking's person (``with_names`` saves the query)."""
    annotated = getattr(booking, "person_name", None)
    if annotated:
        return str(annotated)
    return registered_full_name(booking.user_id) or booking.user.full_name or booking.user.email


def todays_bookings(centre: Centre, *, day: date | None = None, search: str = "") -> QuerySet[Booking]:
    """The centre's bookings of ``day`` in arrival order, with person, space and money paid."""
    day = day or local_today()
    qs = Booking.objects.filter(_today_q(day), centre=centre)
    search = (search or "").strip()
    if search:
        registration = find_registration_by_cnic_or_mobile(search)
        match = (
            Q(reference__iexact=search)
            | Q(user__full_name__icontains=search)
            | Q(user__email__icontains=search)
            | Q(space__label__icontains=search)
        )
        reference = normalise_reference(search)
        if reference:
            match |= Q(reference=reference)
        if registration is not None:
            match |= Q(user_id=registration.user_id)
        qs = qs.filter(match)
    return with_names(with_payments(qs.select_related("user", "space", "centre"))).order_by(
        "starts_at", "space__label", "id"
    )


@dataclass(frozen=True)
class DeskCounts:
    free_now: int
    checked_in: int
    expected: int
    no_shows: int
    spaces_in_service: int


def desk_counts(centre: Centre, *, now: datetime | None = None) -> DeskCounts:
    """Live numbers for the top of the desk page, in two queries."""
    now = now or timezone.now()
    start, end = day_bounds(local_today(now))
    # Busy: held now, or someone checked in early (before the start) is already sitting there.
    busy_now = Booking.objects.filter(
        Q(status__in=HOLDING_STATUSES, starts_at__lte=now) | Q(status=BookingStatus.CHECKED_IN),
        space_id=OuterRef("pk"),
        ends_at__gt=now,
    )
    spaces = Space.objects.filter(centre=centre, in_service=True).aggregate(
        total=Count("pk"), busy=Count("pk", filter=Q(Exists(busy_now)))
    )
    numbers = Booking.objects.filter(_today_q(local_today(now)), centre=centre).aggregate(
        checked_in=Count("pk", filter=Q(status=BookingStatus.CHECKED_IN)),
        expected=Count("pk", filter=Q(status=BookingStatus.CONFIRMED, ends_at__gt=now)),
        no_shows=Count("pk", filter=Q(status=BookingStatus.NO_SHOW, starts_at__gte=start, starts_at__lt=end)),
    )
    total = spaces["total"] or 0
    return DeskCounts(
        free_now=total - (spaces["busy"] or 0),
        checked_in=numbers["checked_in"] or 0,
        expected=numbers["expected"] or 0,
        no_shows=numbers["no_shows"] or 0,
        spaces_in_service=total,
    )


@dataclass(frozen=True)
class FreeSpace:
    space: Space
    free_until: datetime
    day_pass_free: bool  # nobody holds it at any time of today's opening interval


def free_now(centre: Centre, *, now: datetime | None = None) -> list[FreeSpace]:
    """In-service spaces nobody holds right now, with the time they stay free until (closing at most).

    Empty when the centre is closed now. Reads hours, closures, spaces and today's bookings once each.
    """
    now = now or timezone.now()
    interval = next(
        (i for i in centre_selectors.intervals_touching(centre, local_today(now)) if i.start <= now < i.end),
        None,
    )
    if interval is None:
        return []
    spaces = list(Space.objects.filter(centre=centre, in_service=True).order_by("kind", "label"))
    rows = Booking.objects.filter(
        centre=centre, status__in=HOLDING_STATUSES, starts_at__lt=interval.end, ends_at__gt=interval.start
    ).values_list("space_id", "starts_at", "ends_at", "status")
    busy_now: set[int] = set()
    booked_today: set[int] = set()
    next_start: dict[int, datetime] = {}
    for space_id, starts_at, ends_at, status in rows:
        booked_today.add(space_id)
        early = status == BookingStatus.CHECKED_IN and now < ends_at  # checked in before the start
        if starts_at <= now < ends_at or early:
            busy_now.add(space_id)
        elif starts_at > now and (space_id not in next_start or starts_at < next_start[space_id]):
            next_start[space_id] = starts_at
    return [
        FreeSpace(
            space, min(next_start.get(space.pk, interval.end), interval.end), space.pk not in booked_today
        )
        for space in spaces
        if space.pk not in busy_now
    ]


def find_booking(reference: str) -> Booking | None:
    """Any booking by reference (the desk then says why it cannot be used here, if it cannot)."""
    return with_names(
        Booking.objects.select_related("centre", "space", "user").filter(reference=reference)
    ).first()


def booking_at_centre(centre: Centre, reference: str) -> Booking | None:
    """A booking of this centre by reference, with money paid; None for any other centre's."""
    reference = normalise_reference(reference) or ""
    return (
        with_names(with_payments(Booking.objects.filter(centre=centre, reference=reference)))
        .select_related("user", "space", "centre")
        .first()
    )


@dataclass(frozen=True)
class PersonLookup:
    registration: Any
    bookings: list[Booking]


def lookup_person(centre: Centre, text: str, *, now: datetime | None = None) -> PersonLookup | None:
    """A registered freelancer by CNIC or mobile, with their bookings at this centre today."""
    registration = find_registration_by_cnic_or_mobile(text)
    if registration is None:
        return None
    bookings = list(
        with_payments(
            Booking.objects.filter(_today_q(local_today(now)), centre=centre, user_id=registration.user_id)
        )
        .select_related("space")
        .order_by("starts_at")
    )
    return PersonLookup(registration, bookings)


def payments_for(booking: Booking) -> QuerySet[Payment]:
    return Payment.objects.filter(booking=booking).select_related("received_by").order_by("received_at", "id")


def payment_at_centre(centre: Centre, payment_id: int) -> Payment | None:
    return (
        Payment.objects.filter(centre=centre, pk=payment_id)
        .select_related("booking__user", "booking__space", "booking__centre", "received_by")
        .first()
    )


def desk_log(centre: Centre, *, limit: int = 200) -> QuerySet[DeskAction]:
    """The centre's desk actions, newest first."""
    return (
        DeskAction.objects.filter(centre=centre)
        .select_related("actor", "booking")
        .order_by("-at", "-id")[:limit]
    )


def system_events(centre: Centre, *, limit: int = 100) -> QuerySet[BookingEvent]:
    """Changes nobody pressed a button for: no-show releases and end-of-day completions, newest first."""
    return (
        BookingEvent.objects.filter(booking__centre=centre, actor__isnull=True)
        .exclude(action=BookingEvent.Action.CREATED)
        .select_related("booking")
        .order_by("-at", "-id")[:limit]
    )


def nonce_answer(centre: Centre, nonce: str) -> DeskAction | None:
    if not nonce:
        return None
    return DeskAction.objects.filter(centre=centre, nonce=nonce).first()


# --- walk-ins --------------------------------------------------------------------------------

DAY_PASS = "day"


@dataclass(frozen=True)
class WalkInOption:
    value: str  # "day" or the end time "HH:MM"
    label: str


def walk_in_options(centre: Centre, free: FreeSpace, *, now: datetime) -> list[WalkInOption]:
    """How long a walk-in can have ``free.space`` from now: end times on the grid, and a day pass."""
    space = free.space
    start = booking_rules.floor_to_grid(now)
    options: list[WalkInOption] = []
    if space.rate_hourly_pkr is not None:
        shortest, longest = centre_selectors.duration_limits(centre, space.kind)
        end = start + timedelta(minutes=shortest)
        while end <= free.free_until and end - start <= timedelta(minutes=longest):
            price = booking_rules.hourly_price(
                space.rate_hourly_pkr, booking_rules.minutes_between(start, end)
            )
            options.append(
                WalkInOption(
                    time_label(end),
                    _("Until %(time)s · %(price)s") % {"time": time_label(end), "price": rupees(price)},
                )
            )
            end += booking_rules.GRID
    if space.rate_daily_pkr is not None and free.day_pass_free:
        options.append(
            WalkInOption(
                DAY_PASS,
                _("Day pass until %(time)s · %(price)s")
                % {"time": time_label(free.free_until), "price": rupees(space.rate_daily_pkr)},
            )
        )
    return options


@dataclass
class KindOffer:
    """One kind of space for a walk-in: the space offered first, and the others free now."""

    kind: str
    label: str
    offer: FreeSpace
    options: list[WalkInOption]
    others: list[FreeSpace]

    @property
    def free_count(self) -> int:
        return 1 + len(self.others)


def walk_in_offers(
    centre: Centre, free: list[FreeSpace], *, now: datetime, kind: str = "", space_id: int | None = None
) -> list[KindOffer]:
    """One offer per kind of space (or for ``kind`` only) instead of a card per free space.

    The space offered first is the one free the longest (then by label), unless the clerk picked
    ``space_id`` among the others. Spaces free for less than the shortest booking are left out.
    No queries: ``centre`` comes with its duration rules (centre_detail_queryset).
    """
    offerable = [(f, walk_in_options(centre, f, now=now)) for f in free]
    offers = []
    for kind_value, label in SpaceKind.choices:
        if kind and kind_value != kind:
            continue
        members = sorted(
            ((f, o) for f, o in offerable if f.space.kind == kind_value and o),
            key=lambda pair: (-pair[0].free_until.timestamp(), pair[0].space.label),
        )
        if not members:
            continue
        first = next((pair for pair in members if pair[0].space.pk == space_id), members[0])
        offers.append(
            KindOffer(
                kind_value, str(label), first[0], first[1], [f for f, _o in members if f is not first[0]]
            )
        )
    return offers
