"""Reads of the directory: search, centre pages, staff roles and the rules bookings rely on."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from centres import hours
from centres.models import (
    DEFAULT_DURATION_MINUTES,
    Centre,
    CentreStatus,
    Closure,
    DurationRule,
    Facility,
    OpeningHours,
    Space,
    SpaceKind,
    StaffMembership,
    StaffRole,
)
from erozgar.ids import parse_id

# --- opening hours (used by bookings) -----------------------------------------------------

# Set by ``space_with_rules``: (first day, last day, closure dates between them) on the centre.
_CLOSURES_KNOWN = "_closures_known"


def hours_rows(centre: Centre) -> list[hours.HoursRow]:
    """The centre's weekly rows; uses a prefetched ``opening_hours`` when present."""
    return [hours.HoursRow(r.weekday, r.opens_at, r.closes_at) for r in centre.opening_hours.all()]


def closed_dates(centre: Centre, *, start: date, end: date) -> set[date]:
    """Closure dates within [start, end] (inclusive); no query when they were read with the centre."""
    known = getattr(centre, _CLOSURES_KNOWN, None)
    if known is not None and known[0] <= start and end <= known[1]:
        return {d for d in known[2] if start <= d <= end}
    cache = getattr(centre, "_prefetched_objects_cache", {})
    if "closures" in cache:
        return {c.date for c in centre.closures.all() if start <= c.date <= end}
    return set(
        Closure.objects.filter(centre=centre, date__gte=start, date__lte=end).values_list("date", flat=True)
    )


def opening_intervals(centre: Centre, day: date) -> list[hours.Interval]:
    """Opening intervals that start on the local ``day`` (empty when closed or a closure falls on it)."""
    return hours.intervals_for_day(hours_rows(centre), day, closed_dates(centre, start=day, end=day))


def intervals_touching(centre: Centre, day: date) -> list[hours.Interval]:
    """Every opening interval overlapping the local ``day``, including last night's late shift."""
    closed = closed_dates(centre, start=day - timedelta(days=1), end=day)
    return hours.intervals_touching(hours_rows(centre), day, closed)


def covering_interval(centre: Centre, start: datetime, end: datetime) -> hours.Interval | None:
    """The opening interval holding all of [start, end), or None when part of it is outside hours."""
    day = start.astimezone(hours.LOCAL_TZ).date()
    closed = closed_dates(centre, start=day - timedelta(days=1), end=day)
    return hours.covering_interval(hours_rows(centre), start, end, closed)


def is_open_at(centre: Centre, moment: datetime) -> bool:
    day = moment.astimezone(hours.LOCAL_TZ).date()
    closed = closed_dates(centre, start=day - timedelta(days=1), end=day)
    return hours.is_open_at(hours_rows(centre), moment, closed)


def duration_limits(centre: Centre, kind: str) -> tuple[int, int]:
    """(min_minutes, max_minutes) for a space kind at a centre; the default when no rule is set."""
    cache = getattr(centre, "_prefetched_objects_cache", {})
    if "duration_rules" in cache:
        rule = next((r for r in centre.duration_rules.all() if r.kind == kind), None)
    else:
        rule = DurationRule.objects.filter(centre=centre, kind=kind).first()
    if rule is not None:
        return rule.min_minutes, rule.max_minutes
    return DEFAULT_DURATION_MINUTES.get(kind, (60, 8 * 60))


def _as_prefetched(instance: Any, related_name: str, rows: list[Any]) -> None:
    """Hand ``rows`` to ``instance.<related_name>.all()`` as prefetch_related would, with no query."""
    queryset = getattr(instance, related_name).get_queryset()
    queryset._result_cache = rows
    queryset._prefetch_done = True
    instance.__dict__.setdefault("_prefetched_objects_cache", {})[related_name] = queryset


def space_with_rules(space_id: int, *, day: date, also: dict[str, Any] | None = None) -> Space | None:
    """The space with its centre and every rule booking it reads, in one query.

    The centre's weekly opening hours and duration rules (all of them, as if prefetched) and its
    closures from the day before ``day`` to the day after come back as arrays on the same row;
    ``opening_intervals``, ``covering_interval``, ``duration_limits`` and ``closed_dates`` then
    answer from them without a query (and query as usual for days outside that window).
    ``also``: more annotations the caller wants read in the same round trip.
    """
    centre = OuterRef("centre_id")
    hours_qs = OpeningHours.objects.filter(centre_id=centre).order_by("weekday", "opens_at")
    rules_qs = DurationRule.objects.filter(centre_id=centre).order_by("kind")
    first = day - timedelta(days=1) if day > date.min else day
    last = day + timedelta(days=1) if day < date.max else day
    space = (
        Space.objects.select_related("centre")
        .filter(pk=space_id)
        .annotate(
            _hours_weekday=ArraySubquery(hours_qs.values("weekday")),
            _hours_opens=ArraySubquery(hours_qs.values("opens_at")),
            _hours_closes=ArraySubquery(hours_qs.values("closes_at")),
            _rule_kinds=ArraySubquery(rules_qs.values("kind")),
            _rule_min=ArraySubquery(rules_qs.values("min_minutes")),
            _rule_max=ArraySubquery(rules_qs.values("max_minutes")),
            _closures=ArraySubquery(
                Closure.objects.filter(centre_id=centre, date__gte=first, date__lte=last).values("date")
            ),
            **(also or {}),
        )
        .first()
    )
    if space is None:
        return None
    c = space.centre
    a = space.__dict__
    _as_prefetched(
        c,
        "opening_hours",
        [
            OpeningHours(centre=c, weekday=w, opens_at=o, closes_at=e)
            for w, o, e in zip(a["_hours_weekday"], a["_hours_opens"], a["_hours_closes"], strict=True)
        ],
    )
    _as_prefetched(
        c,
        "duration_rules",
        [
            DurationRule(centre=c, kind=k, min_minutes=lo, max_minutes=hi)
            for k, lo, hi in zip(a["_rule_kinds"], a["_rule_min"], a["_rule_max"], strict=True)
        ],
    )
    setattr(c, _CLOSURES_KNOWN, (first, last, frozenset(a["_closures"])))
    return space


def booking_rules(centre: Centre) -> dict[str, Any]:
    """The rules the bookings app applies at the centre, in one plain dict (API and pages)."""
    return {
        "booking_horizon_days": centre.booking_horizon_days,
        "cancellation_cutoff_minutes": centre.cancellation_cutoff_minutes,
        "checkin_grace_minutes": centre.checkin_grace_minutes,
        "max_active_bookings": centre.max_active_bookings,
        "duration_minutes": {kind.value: list(duration_limits(centre, kind.value)) for kind in SpaceKind},
    }


# --- staff ----------------------------------------------------------------------------------


def staff_role(user: Any, centre: Centre | int) -> str | None:
    """The user's role at the centre ("manager"/"desk"), or None when they do not work there."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    centre_id = centre if isinstance(centre, int) else centre.pk
    return (
        StaffMembership.objects.filter(user_id=user.pk, centre_id=centre_id)
        .values_list("role", flat=True)
        .first()
    )


def is_staff_of(
    user: Any, centre: Centre | int, roles: Iterable[str] = (StaffRole.MANAGER, StaffRole.DESK)
) -> bool:
    """True when ``user`` holds one of ``roles`` at ``centre``. Never looks at ``is_staff``."""
    role = staff_role(user, centre)
    return role is not None and role in {str(r) for r in roles}


def is_manager_of(user: Any, centre: Centre | int) -> bool:
    return is_staff_of(user, centre, roles=(StaffRole.MANAGER,))


def centres_managed_by(user: Any) -> QuerySet[Centre]:
    """Centres where ``user`` is a manager."""
    if user is None or not getattr(user, "is_authenticated", False):
        return Centre.objects.none()
    return Centre.objects.filter(
        staff_memberships__user_id=user.pk, staff_memberships__role=StaffRole.MANAGER
    ).order_by("name")


def centres_managed_with_space_counts(user: Any) -> QuerySet[Centre]:
    """The manager's centres with ``space_total`` and ``in_service`` counts, for their overview."""
    return centres_managed_by(user).annotate(
        space_total=Count("spaces"), in_service=Count("spaces", filter=Q(spaces__in_service=True))
    )


def works_at_a_centre(user: Any) -> bool:
    """True when ``user`` is a manager or desk clerk anywhere (one query; none for anonymous visitors)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return StaffMembership.objects.filter(user_id=user.pk).exists()


def centres_staffed_by(user: Any) -> QuerySet[Centre]:
    """Centres where ``user`` works in any role."""
    if user is None or not getattr(user, "is_authenticated", False):
        return Centre.objects.none()
    return Centre.objects.filter(staff_memberships__user_id=user.pk).order_by("name").distinct()


# --- directory --------------------------------------------------------------------------------


def visible_centres(qs: QuerySet[Centre] | None = None) -> QuerySet[Centre]:
    """Centres the public can see: planned ones (coming soon) and active ones. A suspended centre is hidden.

    The one definition: the directory, centre pages, booking pages and the API all use it.
    Whether a visible centre takes bookings is ``Centre.is_bookable`` (active only).
    """
    return (Centre.objects.all() if qs is None else qs).exclude(status=CentreStatus.SUSPENDED)


@dataclass(frozen=True)
class DirectoryFilters:
    q: str = ""
    province: str = ""
    city: str = ""
    tier: int | None = None
    facility: str = ""
    kind: str = ""
    open_now: bool = False


def _open_now_q(moment: datetime) -> Q:
    """Centres open at ``moment``: a same-day interval around now, or last night's late shift.

    Mirrors centres.hours in SQL so the directory filters in the database, not in Python.
    """
    local = moment.astimezone(hours.LOCAL_TZ)
    today, now = local.date(), local.time().replace(tzinfo=None)
    yesterday = today - timedelta(days=1)
    normal_today = Q(weekday=today.weekday(), opens_at__lte=now) & (
        Q(closes_at__gt=now) | Q(closes_at__lte=F("opens_at"))
    )
    late_from_yesterday = Q(weekday=yesterday.weekday(), closes_at__lte=F("opens_at"), closes_at__gt=now)
    today_rows = OpeningHours.objects.filter(centre=OuterRef("pk")).filter(normal_today)
    yesterday_rows = OpeningHours.objects.filter(centre=OuterRef("pk")).filter(late_from_yesterday)
    closed_today = Closure.objects.filter(centre=OuterRef("pk"), date=today)
    closed_yesterday = Closure.objects.filter(centre=OuterRef("pk"), date=yesterday)
    return (Exists(today_rows) & ~Exists(closed_today)) | (Exists(yesterday_rows) & ~Exists(closed_yesterday))


def search_centres(filters: DirectoryFilters, *, now: datetime | None = None) -> QuerySet[Centre]:
    """Public directory: planned and active centres matching every filter, ordered by name.

    The rows come with facilities and per-kind space counts in a fixed number of queries.
    """
    qs = visible_centres().select_related("operator")
    if filters.q:
        for word in filters.q.split()[:6]:
            qs = qs.filter(
                Q(name__icontains=word)
                | Q(city__icontains=word)
                | Q(address__icontains=word)
                | Q(description_en__icontains=word)
                | Q(description_ur__icontains=word)
            )
    if filters.province:
        qs = qs.filter(province=filters.province)
    if filters.city:
        qs = qs.filter(city__iexact=filters.city)
    if filters.tier:
        qs = qs.filter(tier=filters.tier)
    if filters.facility:
        qs = qs.filter(
            Exists(
                Centre.facilities.through.objects.filter(
                    centre_id=OuterRef("pk"), facility__code=filters.facility
                )
            )
        )
    if filters.kind:
        qs = qs.filter(
            Exists(Space.objects.filter(centre=OuterRef("pk"), kind=filters.kind, in_service=True))
        )
    if filters.open_now:
        qs = qs.filter(_open_now_q(now or timezone.now()))
    # A correlated subquery, not a join + GROUP BY: PostgreSQL counts spaces for the page's
    # rows only, and the paginator's COUNT(*) drops the annotation altogether.
    in_service = (
        Space.objects.filter(centre=OuterRef("pk"), in_service=True)
        .order_by()
        .values("centre")
        .annotate(n=Count("pk"))
        .values("n")
    )
    # The lowest hourly rate of an in-service space: the card's "from Rs 100 an hour".
    price_from = (
        Space.objects.filter(centre=OuterRef("pk"), in_service=True, rate_hourly_pkr__isnull=False)
        .order_by("rate_hourly_pkr")
        .values("rate_hourly_pkr")[:1]
    )
    return (
        qs.annotate(space_count=Coalesce(Subquery(in_service), 0), price_from=Subquery(price_from))
        .prefetch_related(Prefetch("facilities", queryset=Facility.objects.order_by("sort_order", "name_en")))
        .order_by("name", "pk")
    )


# What is booked is the bookings app's to know, and centres never imports from above. So the
# bookings app hands the directory its counter when it starts (BookingsConfig.ready).
FreeTodayCounter = Callable[[list[Centre]], dict[int, int]]
_free_today_counters: list[FreeTodayCounter] = []


def register_free_today_counter(counter: FreeTodayCounter) -> None:
    _free_today_counters[:] = [counter]


def free_today_counts(centres: list[Centre]) -> dict[int, int]:
    """How many in-service spaces of each centre still have free time today (empty without a counter)."""
    return _free_today_counters[0](centres) if _free_today_counters and centres else {}


def all_facilities() -> QuerySet[Facility]:
    return Facility.objects.order_by("sort_order", "name_en")


def centre_detail_queryset() -> QuerySet[Centre]:
    """Centres with everything their page shows, prefetched."""
    return Centre.objects.select_related("operator").prefetch_related(
        Prefetch("opening_hours", queryset=OpeningHours.objects.order_by("weekday", "opens_at")),
        Prefetch("facilities", queryset=Facility.objects.order_by("sort_order", "name_en")),
        Prefetch("spaces", queryset=Space.objects.order_by("kind", "label")),
        "photos",
        "duration_rules",
    )


def centre_by_slug(slug: str, *, public: bool = True) -> Centre | None:
    qs = centre_detail_queryset()
    if public:
        qs = visible_centres(qs)
    return qs.filter(slug=slug).first()


def centre_by_key(key: str, *, public: bool = True) -> Centre | None:
    """A centre by numeric id or by slug (the API accepts either)."""
    qs = centre_detail_queryset()
    if public:
        qs = visible_centres(qs)
    pk = parse_id(key)
    if pk is not None:
        return qs.filter(pk=pk).first()
    return qs.filter(slug=key).first()


def upcoming_closures(centre: Centre, *, today: date | None = None, limit: int = 10) -> list[Closure]:
    today = today or hours.local_today()
    return list(Closure.objects.filter(centre=centre, date__gte=today).order_by("date")[:limit])


@dataclass(frozen=True)
class SpaceGroup:
    kind: str
    label: str
    spaces: list[Space]

    @property
    def in_service_count(self) -> int:
        return sum(1 for s in self.spaces if s.in_service)

    @property
    def rate_range(self) -> dict[str, tuple[int, int] | None]:
        """Lowest and highest hourly/daily/monthly prices among in-service spaces."""
        result: dict[str, tuple[int, int] | None] = {}
        for field in ("rate_hourly_pkr", "rate_daily_pkr", "rate_monthly_pkr"):
            values = [
                getattr(s, field) for s in self.spaces if s.in_service and getattr(s, field) is not None
            ]
            result[field] = (min(values), max(values)) if values else None
        return result


def spaces_by_kind(centre: Centre) -> list[SpaceGroup]:
    """The centre's spaces grouped by kind in the order of SpaceKind (uses the prefetched spaces)."""
    spaces = list(centre.spaces.all())
    groups = []
    for kind in SpaceKind:
        members = [s for s in spaces if s.kind == kind]
        if members:
            groups.append(SpaceGroup(kind=kind.value, label=str(kind.label), spaces=members))
    return groups


@dataclass(frozen=True)
class DayHours:
    weekday: int
    label: str
    intervals: list[tuple[str, str]]
    is_today: bool


def weekly_hours(centre: Centre, *, today: date) -> list[DayHours]:
    """Monday..Sunday with the opening intervals of each (uses prefetched hours)."""
    rows = list(centre.opening_hours.all())
    result = []
    for weekday, label in OpeningHours.Weekday.choices:
        intervals = [
            (r.opens_at.strftime("%H:%M"), r.closes_at.strftime("%H:%M"))
            for r in sorted(rows, key=lambda r: r.opens_at)
            if r.weekday == weekday
        ]
        result.append(
            DayHours(
                weekday=weekday, label=str(label), intervals=intervals, is_today=weekday == today.weekday()
            )
        )
    return result
