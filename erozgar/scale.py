"""National-scale data for measuring (``manage.py seed_scale``), loaded with COPY.

Everything it makes is marked so that a second run can remove it first: centres' slugs start
with ``scale-``, people's emails with ``scale-`` at ``example.pk``. Bookings, spaces, hours and
registrations hang off those. Nothing else in the database is touched.

Shape of the data: centres in every province and tier, open 09:00-22:00 every day; each centre's
spaces (mostly workstations and cabins, some meeting rooms); freelancers with registrations in
every status (CNIC and mobile sealed and blind-indexed as the portal stores them); and, for the
14 days from a week ago, two bookings of four hours a day on every space (8 of 13 open hours,
about 60% occupancy), completed in the past and confirmed from today. No person holds two seats
at a time (the database would refuse it), so the data passes every constraint.
"""

# ruff: noqa: S608 - the SQL built here joins constant fragments; every value is a parameter.
from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Protocol

from django.db import connection, transaction

from bookings.models import REFERENCE_ALPHABET, REFERENCE_LENGTH
from centres.hours import local_datetime, local_today
from centres.models import Province, SpaceKind, Tier
from freelancers.models import Registration

SLUG_PREFIX = "scale-"
EMAIL_PATTERN = "scale-%@example.pk"
OPENS, CLOSES = 9, 22
BOOKING_HOURS = ((10, 14), (15, 19))  # 8 of 13 open hours: about 60% occupancy
DAYS_BACK, DAYS = 7, 14
# Out of 20: 12 approved, 3 submitted, 1 changes requested, 2 draft, 1 rejected, 1 expired.
REGISTRATION_STATUSES = (
    ["approved"] * 12 + ["submitted"] * 3 + ["changes_requested", "draft", "draft", "rejected", "expired"]
)


class TextIO(Protocol):
    """Where progress goes: a stream, or a management command's ``stdout``."""

    def write(self, text: str, /) -> Any: ...

    def flush(self) -> Any: ...


@dataclass(frozen=True)
class Preset:
    centres: int
    spaces_per_centre: int
    freelancers: int


PRESETS = {
    "small": Preset(centres=21, spaces_per_centre=20, freelancers=2_000),
    "national": Preset(centres=10_000, spaces_per_centre=100, freelancers=1_500_000),
}


class Progress:
    """One line per table, redrawn in place: ``bookings [#######.....] 58% 340,000/588,000 12 s``."""

    def __init__(self, out: TextIO, label: str, total: int) -> None:
        self.out, self.label, self.total, self.done = out, label, max(total, 1), 0
        self.started = self.shown = time.monotonic()
        self._draw()

    def add(self, n: int) -> None:
        self.done += n
        now = time.monotonic()
        if now - self.shown > 0.2 or self.done >= self.total:
            self.shown = now
            self._draw()

    def _draw(self) -> None:
        share = min(self.done / self.total, 1.0)
        bar = "#" * int(share * 30)
        self.out.write(
            f"\r{self.label:<14} [{bar:<30}] {share:4.0%} {self.done:,}/{self.total:,} "
            f"{time.monotonic() - self.started:.0f} s"
        )
        self.out.flush()

    def finish(self) -> None:
        self.done = self.total
        self._draw()
        self.out.write("\n")


def _copy(
    cursor: Any, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]], progress: Progress
) -> None:
    with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for n, row in enumerate(rows, 1):
            copy.write_row(row)
            if n % 5_000 == 0:
                progress.add(5_000)
    progress.finish()


def _reference(n: int) -> str:
    """A unique booking reference for row ``n`` (base 31 in the portal's alphabet, 8 characters)."""
    base = len(REFERENCE_ALPHABET)
    n += base ** (REFERENCE_LENGTH - 1)  # never a short one
    chars = []
    for _ in range(REFERENCE_LENGTH):
        n, digit = divmod(n, base)
        chars.append(REFERENCE_ALPHABET[digit])
    return "".join(reversed(chars))


def remove(out: TextIO) -> None:
    """Delete what an earlier run made (only that)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM centres_centre WHERE slug LIKE %s", [SLUG_PREFIX + "%"])
        if cursor.fetchone() is None:
            cursor.execute("SELECT 1 FROM accounts_user WHERE email LIKE %s LIMIT 1", [EMAIL_PATTERN])
            if cursor.fetchone() is None:
                return
        out.write("removing the data of an earlier run ...\n")
        scale_centres = "SELECT id FROM centres_centre WHERE slug LIKE %s"
        scale_users = "SELECT id FROM accounts_user WHERE email LIKE %s"
        booked = (
            f"SELECT id FROM bookings_booking WHERE centre_id IN ({scale_centres}) "
            f"OR user_id IN ({scale_users})"
        )
        both = [SLUG_PREFIX + "%", EMAIL_PATTERN]
        extra = [
            (f"DELETE FROM desk_payment WHERE booking_id IN ({booked})", both),
            (f"DELETE FROM desk_deskaction WHERE booking_id IN ({booked})", both),
            (f"DELETE FROM desk_deskaction WHERE centre_id IN ({scale_centres})", [SLUG_PREFIX + "%"]),
        ] + [
            (f"DELETE FROM {table} WHERE centre_id IN ({scale_centres})", [SLUG_PREFIX + "%"])
            for table in ("centres_staffmembership", "centres_closure", "centres_durationrule")
        ]
        for sql, params in (
            *extra,
            (
                "DELETE FROM bookings_favouritespace WHERE space_id IN (SELECT id FROM centres_space WHERE "
                f"centre_id IN ({scale_centres}))",
                [SLUG_PREFIX + "%"],
            ),
            (
                "DELETE FROM bookings_bookingevent WHERE booking_id IN (SELECT id FROM bookings_booking "
                f"WHERE centre_id IN ({scale_centres}) OR user_id IN ({scale_users}))",
                [SLUG_PREFIX + "%", EMAIL_PATTERN],
            ),
            (f"DELETE FROM bookings_booking WHERE id IN ({booked})", both),
            (f"DELETE FROM bookings_occupancyhour WHERE centre_id IN ({scale_centres})", [SLUG_PREFIX + "%"]),
            (f"DELETE FROM centres_space WHERE centre_id IN ({scale_centres})", [SLUG_PREFIX + "%"]),
            (f"DELETE FROM centres_openinghours WHERE centre_id IN ({scale_centres})", [SLUG_PREFIX + "%"]),
            ("DELETE FROM centres_centre WHERE slug LIKE %s", [SLUG_PREFIX + "%"]),
            (f"DELETE FROM knox_authtoken WHERE user_id IN ({scale_users})", [EMAIL_PATTERN]),
            (f"DELETE FROM freelancers_registration WHERE user_id IN ({scale_users})", [EMAIL_PATTERN]),
            ("DELETE FROM accounts_user WHERE email LIKE %s", [EMAIL_PATTERN]),
        ):
            cursor.execute(sql, params)


def _cnic(g: int) -> str:
    return f"{(g % 8) + 1}{g % 10000:04d}-{g:07d}-{g % 10}"


def _mobile(g: int) -> str:
    return f"+923{g:09d}"


def seed(preset: Preset, *, out: TextIO = sys.stdout) -> dict[str, int]:
    """Remove an earlier run's data, then load ``preset``; returns the row counts made."""
    remove(out)
    started = time.monotonic()
    provinces, tiers = list(Province.values), list(Tier.values)
    kinds = [SpaceKind.WORKSTATION] * 6 + [SpaceKind.CABIN] * 3 + [SpaceKind.MEETING_ROOM]
    today = local_today()
    now = datetime.now().astimezone()
    counts: dict[str, int] = {}
    with transaction.atomic(), connection.cursor() as cursor:
        # Centres: every province and tier, round robin.
        _copy(
            cursor,
            "centres_centre",
            [
                "name",
                "slug",
                "city",
                "province",
                "tier",
                "address",
                "status",
                "capacity_current",
                "capacity_planned",
                "description_en",
                "description_ur",
                "booking_horizon_days",
                "cancellation_cutoff_minutes",
                "checkin_opens_minutes",
                "checkin_grace_minutes",
                "max_active_bookings",
                "phone",
                "email",
                "created_at",
                "updated_at",
            ],  # fmt: skip
            (
                (
                    f"Scale centre {c}",
                    f"{SLUG_PREFIX}{c}",
                    f"City {c % 400}",
                    provinces[c % len(provinces)],
                    tiers[(c // len(provinces)) % len(tiers)],
                    f"Plot {c}",
                    "active",
                    preset.spaces_per_centre,
                    preset.spaces_per_centre,
                    "",
                    "",
                    30,
                    60,
                    30,
                    30,
                    5,
                    "",
                    "",
                    now,
                    now,
                )
                for c in range(preset.centres)
            ),  # fmt: skip
            Progress(out, "centres", preset.centres),
        )
        cursor.execute("SELECT id FROM centres_centre WHERE slug LIKE %s ORDER BY id", [SLUG_PREFIX + "%"])
        centre_ids = [row[0] for row in cursor.fetchall()]
        counts["centres"] = len(centre_ids)
        _copy(
            cursor,
            "centres_openinghours",
            ["centre_id", "weekday", "opens_at", "closes_at"],
            ((c, d, f"{OPENS:02d}:00", f"{CLOSES:02d}:00") for c in centre_ids for d in range(7)),
            Progress(out, "opening hours", len(centre_ids) * 7),
        )
        _copy(
            cursor,
            "centres_space",
            [
                "centre_id",
                "kind",
                "label",
                "floor",
                "capacity",
                "in_service",
                "rate_hourly_pkr",
                "rate_daily_pkr",
                "rate_monthly_pkr",
            ],  # fmt: skip
            (
                (
                    c,
                    kinds[s % len(kinds)],
                    f"S-{s:04d}",
                    "",
                    1 if s % 10 else 8,
                    True,
                    100 + 50 * (s % 3),
                    700,
                    None if s % 10 == 9 else 5000,
                )
                for c in centre_ids
                for s in range(preset.spaces_per_centre)
            ),  # fmt: skip
            Progress(out, "spaces", len(centre_ids) * preset.spaces_per_centre),
        )
        cursor.execute(
            "SELECT s.id, s.centre_id, s.kind, s.rate_hourly_pkr FROM centres_space s "
            "JOIN centres_centre c ON c.id = s.centre_id WHERE c.slug LIKE %s ORDER BY s.id",
            [SLUG_PREFIX + "%"],
        )
        spaces = cursor.fetchall()
        counts["spaces"] = len(spaces)

        _copy(
            cursor,
            "accounts_user",
            [
                "password",
                "is_superuser",
                "is_staff",
                "is_active",
                "date_joined",
                "email",
                "full_name",
                "language",
            ],
            (
                ("!", False, False, True, now, f"scale-{g}@example.pk", f"Scale Person {g}", "en")
                for g in range(preset.freelancers)
            ),
            Progress(out, "people", preset.freelancers),
        )
        cursor.execute("SELECT id FROM accounts_user WHERE email LIKE %s ORDER BY id", [EMAIL_PATTERN])
        user_ids = [row[0] for row in cursor.fetchall()]
        counts["people"] = len(user_ids)
        _copy(cursor, *_registrations(user_ids, today, now, out))
        counts["registrations"] = len(user_ids)

        seats = {SpaceKind.WORKSTATION, SpaceKind.CABIN}
        first_day = today - timedelta(days=DAYS_BACK)
        booking_total = len(spaces) * DAYS * len(BOOKING_HOURS)
        if len(spaces) > len(user_ids):
            raise ValueError("need at least as many people as spaces (no one holds two seats at once)")

        def bookings() -> Iterator[tuple[Any, ...]]:
            n = 0
            for d in range(DAYS):
                day = first_day + timedelta(days=d)
                past = day < today
                for k, (start_h, end_h) in enumerate(BOOKING_HOURS):
                    starts = local_datetime(day, _hour(start_h))
                    ends = local_datetime(day, _hour(end_h))
                    shift = (d * 7919 + k * 104_729) % len(user_ids)
                    for i, (space_id, centre_id, kind, rate) in enumerate(spaces):
                        n += 1
                        user = user_ids[(i + shift) % len(user_ids)]
                        yield (
                            _reference(n), user, space_id, centre_id, "hourly", starts, ends,
                            (rate or 0) * (end_h - start_h), "completed" if past else "confirmed",
                            kind in seats, "online", user, starts if past else None, ends if past else None,
                            "", now, now,
                        )  # fmt: skip

        _copy(
            cursor,
            "bookings_booking",
            [
                "reference",
                "user_id",
                "space_id",
                "centre_id",
                "product",
                "starts_at",
                "ends_at",
                "price_pkr",
                "status",
                "holds_seat",
                "source",
                "created_by_id",
                "checked_in_at",
                "checked_out_at",
                "cancel_reason",
                "created_at",
                "updated_at",
            ],  # fmt: skip
            bookings(),
            Progress(out, "bookings", booking_total),
        )
        counts["bookings"] = booking_total
    with connection.cursor() as cursor:
        for table in (
            "centres_centre",
            "centres_space",
            "accounts_user",
            "freelancers_registration",
            "bookings_booking",
        ):
            cursor.execute(f"ANALYZE {table}")
    out.write(
        f"loaded in {time.monotonic() - started:.1f} s: "
        + ", ".join(f"{v:,} {k}" for k, v in counts.items())
        + "\n"
    )
    return counts


def _hour(h: int) -> Any:
    from datetime import time as clock

    return clock(h)


def _registrations(
    user_ids: list[int], today: date, now: datetime, out: TextIO
) -> tuple[str, list[str], Iterator[tuple[Any, ...]], Progress]:
    fields: dict[str, Any] = {
        name: Registration._meta.get_field(name)
        for name in ("cnic", "cnic_digest", "mobile", "mobile_digest")
    }
    seal: Callable[[str, str], Any] = lambda name, value: fields[name].seal(value)  # noqa: E731
    digest: Callable[[str, str], Any] = lambda name, value: fields[name].digest(value)  # noqa: E731
    columns = [
        "user_id", "status", "full_name", "guardian_name", "gender", "cnic", "cnic_digest", "mobile",
        "mobile_digest", "city", "province", "address", "ntn", "decision_reason", "submitted_at",
        "decided_at", "registration_number", "approved_at", "valid_until", "declaration_accepted_at",
        "created_at", "updated_at",
    ]  # fmt: skip

    valid_until = {"approved": today + timedelta(days=200), "expired": today - timedelta(days=1)}

    def rows() -> Iterator[tuple[Any, ...]]:
        for g, user_id in enumerate(user_ids):
            status = REGISTRATION_STATUSES[g % len(REGISTRATION_STATUSES)]
            cnic, mobile = _cnic(g + 1), _mobile(g + 1)
            sent = status != "draft"
            decided = status in ("approved", "rejected", "expired", "changes_requested")
            numbered = status in ("approved", "expired")
            yield (
                user_id, status, f"Scale Person {g}", f"Scale Parent {g}", "female",
                seal("cnic", cnic), digest("cnic_digest", cnic), seal("mobile", mobile),
                digest("mobile_digest", mobile), "Lahore", "punjab", f"Street {g}", "",
                "Please add a clearer CNIC photo." if status in ("rejected", "changes_requested") else "",
                now if sent else None, now if decided else None,
                f"PSEB-FL-2026-{g + 1:07d}" if numbered else None, now if numbered else None,
                valid_until.get(status),
                now if sent else None, now, now,
            )  # fmt: skip

    return "freelancers_registration", columns, rows(), Progress(out, "registrations", len(user_ids))
