"""CSV import and export of centres with their spaces, one row per centre.

A row names the centre and, per kind of space, how many there are and the rate card
they share (``workstation_count``, ``workstation_daily_pkr``, ...). Spaces get
generated labels (``WS-001``). An existing slug updates that centre, unless ``only_new``
is asked for: then centres already there are left exactly as they are (``seed_demo``
imports centres/fixtures/demo_centres.csv that way, so a second run changes nothing).

Import is all-or-nothing: every row is checked first and every bad row is reported
with its line number and reason; nothing is written unless the whole file is good
(or ``skip_invalid`` is asked for) and it is not a dry run.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, validate_slug
from django.db import transaction
from django.db.models import Count, Max, Min, Q, QuerySet
from django.utils.translation import gettext as _

from centres.models import (
    Centre,
    CentreStatus,
    Facility,
    Operator,
    Province,
    Space,
    SpaceKind,
    Tier,
)
from centres.services import MAX_RATE_PKR, validate_space
from erozgar.errors import DomainError
from erozgar.spreadsheets import safe_cell

MAX_SPACES_PER_KIND = 1000
# Pakistan, generously: rows outside this box are typos or swapped coordinates.
LAT_RANGE = (Decimal("23.0"), Decimal("37.5"))
LON_RANGE = (Decimal("60.5"), Decimal("78.0"))

LABEL_PREFIX = {
    SpaceKind.WORKSTATION: "WS",
    SpaceKind.CABIN: "CAB",
    SpaceKind.MEETING_ROOM: "MR",
    SpaceKind.STARTUP_OFFICE: "SO",
    SpaceKind.TRAINING_ROOM: "TR",
}
KIND_COLUMNS = tuple(kind.value for kind in SpaceKind)
RATE_SUFFIXES = ("hourly_pkr", "daily_pkr", "monthly_pkr")
CENTRE_COLUMNS = [
    "slug",
    "name",
    "operator",
    "city",
    "province",
    "tier",
    "status",
    "address",
    "latitude",
    "longitude",
    "phone",
    "email",
    "capacity_current",
    "capacity_planned",
    "internet_speed_mbps",
    "facilities",
    "description_en",
    "description_ur",
]
SPACE_COLUMNS = [
    f"{kind}_{suffix}" for kind in KIND_COLUMNS for suffix in ("count", "capacity", *RATE_SUFFIXES)
]
COLUMNS = CENTRE_COLUMNS + SPACE_COLUMNS
REQUIRED = ("slug", "name", "city", "province", "address")
# Slugs that would shadow a page under /centres/.
RESERVED_SLUGS = frozenset({"manage"})


def _province_lookup() -> dict[str, str]:
    lookup: dict[str, str] = {}
    for value, label in Province.choices:
        lookup[value.lower()] = value
        lookup[str(label).lower()] = value
    lookup.update(
        {"islamabad": Province.ISLAMABAD, "kpk": Province.KHYBER_PAKHTUNKHWA, "azad kashmir": "ajk"}
    )
    return lookup


PROVINCES = _province_lookup()


@dataclass(frozen=True)
class RowError:
    line: int
    reason: str

    def __str__(self) -> str:
        return _("line %(line)s: %(reason)s") % {"line": self.line, "reason": self.reason}


@dataclass
class SpacePlan:
    kind: str
    count: int
    capacity: int
    rates: dict[str, int | None]


@dataclass
class RowPlan:
    line: int
    centre: dict[str, Any]
    operator: str
    facilities: list[str]
    spaces: list[SpacePlan]


@dataclass
class ImportResult:
    dry_run: bool
    rows: int = 0
    created: int = 0
    updated: int = 0
    spaces_created: int = 0
    errors: list[RowError] = field(default_factory=list)
    written: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        if self.written:
            return _(
                "%(rows)s rows read: %(created)s centres created, %(updated)s updated, "
                "%(spaces)s spaces created, %(errors)s bad rows skipped."
            ) % {
                "rows": self.rows,
                "created": self.created,
                "updated": self.updated,
                "spaces": self.spaces_created,
                "errors": len(self.errors),
            }
        if self.errors:
            return _("%(rows)s rows read, %(errors)s bad: nothing was imported.") % {
                "rows": self.rows,
                "errors": len(self.errors),
            }
        return _(
            "Dry run: %(rows)s rows are valid (%(created)s new centres, %(updated)s updates). "
            "Nothing was written."
        ) % {"rows": self.rows, "created": self.created, "updated": self.updated}


class RowInvalid(Exception):
    pass


def _int(row: dict[str, str], column: str, *, minimum: int = 0, maximum: int | None = None) -> int | None:
    raw = (row.get(column) or "").strip().replace(",", "")
    if raw == "":
        return None
    try:
        value = int(raw)
    except ValueError:
        raise RowInvalid(
            _("%(column)s must be a whole number, not “%(value)s”.") % {"column": column, "value": raw}
        ) from None
    if value < minimum:
        if column.endswith("_pkr"):
            raise RowInvalid(
                _("%(column)s cannot be negative (%(value)s).") % {"column": column, "value": value}
            )
        raise RowInvalid(
            _("%(column)s must be at least %(minimum)s.") % {"column": column, "minimum": minimum}
        )
    if maximum is not None and value > maximum:
        raise RowInvalid(
            _("%(column)s must be at most %(maximum)s.") % {"column": column, "maximum": maximum}
        )
    return value


def _coordinate(row: dict[str, str], column: str, bounds: tuple[Decimal, Decimal]) -> Decimal | None:
    raw = (row.get(column) or "").strip()
    if raw == "":
        return None
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise RowInvalid(
            _("%(column)s “%(value)s” is not a number.") % {"column": column, "value": raw}
        ) from None
    if not value.is_finite() or not bounds[0] <= value <= bounds[1]:
        raise RowInvalid(
            _("%(column)s %(value)s is outside Pakistan (expected %(low)s to %(high)s).")
            % {"column": column, "value": raw, "low": bounds[0], "high": bounds[1]}
        )
    return value.quantize(Decimal("0.000001"))


def _parse_row(line: int, row: dict[str, str], facility_codes: set[str]) -> RowPlan:
    values = {k: (row.get(k) or "").strip() for k in CENTRE_COLUMNS}
    for column in REQUIRED:
        if not values[column]:
            raise RowInvalid(_("%(column)s is missing.") % {"column": column})
    try:
        validate_slug(values["slug"])
    except ValidationError:
        raise RowInvalid(
            _("slug “%(slug)s” may only hold letters, digits, hyphens and underscores.")
            % {"slug": values["slug"]}
        ) from None
    if values["slug"] in RESERVED_SLUGS:
        raise RowInvalid(_("slug “%(slug)s” is reserved; choose another.") % {"slug": values["slug"]})
    if len(values["slug"]) > 120 or len(values["name"]) > 200 or len(values["address"]) > 300:
        raise RowInvalid(_("slug, name or address is too long."))
    if len(values["city"]) > 100:
        raise RowInvalid(_("city is too long."))
    province = PROVINCES.get(values["province"].lower())
    if province is None:
        raise RowInvalid(_("unknown province “%(value)s”.") % {"value": values["province"]})
    tier = _int(row, "tier", minimum=1, maximum=3) or Tier.TIER_1
    status = (values["status"] or CentreStatus.ACTIVE).lower()
    if status not in CentreStatus.values:
        raise RowInvalid(_("unknown status “%(value)s” (planned, active or suspended).") % {"value": status})
    latitude = _coordinate(row, "latitude", LAT_RANGE)
    longitude = _coordinate(row, "longitude", LON_RANGE)
    if (latitude is None) != (longitude is None):
        raise RowInvalid(_("give both latitude and longitude, or neither."))
    if values["email"]:
        try:
            EmailValidator()(values["email"])
        except ValidationError:
            raise RowInvalid(
                _("email “%(value)s” is not an email address.") % {"value": values["email"]}
            ) from None
    facilities = [code.strip() for code in values["facilities"].replace(",", ";").split(";") if code.strip()]
    unknown = sorted(set(facilities) - facility_codes)
    if unknown:
        raise RowInvalid(_("unknown facility %(codes)s.") % {"codes": ", ".join(unknown)})
    spaces = []
    for kind in KIND_COLUMNS:
        count = _int(row, f"{kind}_count", maximum=MAX_SPACES_PER_KIND) or 0
        rates = {
            f"rate_{suffix}": _int(row, f"{kind}_{suffix}", maximum=MAX_RATE_PKR) for suffix in RATE_SUFFIXES
        }
        capacity = _int(row, f"{kind}_capacity", minimum=1, maximum=500) or 1
        if count and all(v is None for v in rates.values()):
            raise RowInvalid(_("%(kind)s spaces need at least one price.") % {"kind": kind})
        if count or any(v is not None for v in rates.values()):
            if count:
                try:
                    validate_space(Space(kind=kind, label="probe", capacity=capacity, **rates))
                except DomainError as exc:
                    raise RowInvalid(f"{kind}: {exc.message}") from None
            spaces.append(SpacePlan(kind=kind, count=count, capacity=capacity, rates=rates))
    centre = {
        "slug": values["slug"],
        "name": values["name"],
        "city": values["city"],
        "province": province,
        "tier": tier,
        "status": status,
        "address": values["address"],
        "latitude": latitude,
        "longitude": longitude,
        "phone": values["phone"][:20],
        "email": values["email"],
        "capacity_current": _int(row, "capacity_current") or 0,
        "capacity_planned": _int(row, "capacity_planned") or 0,
        "internet_speed_mbps": _int(row, "internet_speed_mbps", maximum=100_000),
        "description_en": values["description_en"],
        "description_ur": values["description_ur"],
    }
    return RowPlan(
        line=line, centre=centre, operator=values["operator"][:200], facilities=facilities, spaces=spaces
    )


def read_rows(stream: IO[str]) -> tuple[list[str], Iterator[tuple[int, dict[str, str]]]]:
    reader = csv.DictReader(stream)
    header = [h.strip() for h in (reader.fieldnames or [])]
    reader.fieldnames = header

    def rows() -> Iterator[tuple[int, dict[str, str]]]:
        for row in reader:
            # line_num counts physical lines, so quoted newlines keep the numbers right.
            yield reader.line_num, row

    return header, rows()


def import_centres_csv(
    stream: IO[str],
    *,
    dry_run: bool,
    skip_invalid: bool = False,
    only_new: bool = False,
    progress: Callable[[int], object] | None = None,
) -> ImportResult:
    """Check every row, then (unless dry run or any row is bad) create or update the centres.

    ``only_new``: rows whose slug is already a centre are checked but not written.
    """
    result = ImportResult(dry_run=dry_run)
    header, rows = read_rows(stream)
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        result.errors.append(
            RowError(1, _("the header lacks the columns %(columns)s.") % {"columns": ", ".join(missing)})
        )
        return result
    facility_codes = set(Facility.objects.values_list("code", flat=True))
    plans: list[RowPlan] = []
    seen: dict[str, int] = {}
    for line, row in rows:
        result.rows += 1
        if progress:
            progress(1)
        if not any((v or "").strip() for v in row.values() if isinstance(v, str)):
            result.rows -= 1
            continue
        try:
            plan = _parse_row(line, row, facility_codes)
        except RowInvalid as exc:
            result.errors.append(RowError(line, str(exc)))
            continue
        slug = plan.centre["slug"]
        if slug in seen:
            result.errors.append(
                RowError(
                    line,
                    _("duplicate slug “%(slug)s” (first on line %(first)s).")
                    % {"slug": slug, "first": seen[slug]},
                )
            )
            continue
        seen[slug] = line
        plans.append(plan)

    existing = dict(Centre.objects.filter(slug__in=seen).values_list("slug", "pk"))
    if only_new:
        plans = [p for p in plans if p.centre["slug"] not in existing]
        existing = {}
    result.updated = sum(1 for p in plans if p.centre["slug"] in existing)
    result.created = len(plans) - result.updated
    if dry_run or (result.errors and not skip_invalid):
        return result
    with transaction.atomic():
        result.spaces_created = _write(plans, existing)
    result.written = True
    return result


def _write(plans: list[RowPlan], existing: dict[str, int]) -> int:
    """Create or update every planned centre with its operator, facilities and spaces. Returns new spaces."""
    operators = _operators({p.operator for p in plans if p.operator})
    existing_ids = set(existing.values())

    new_centres = [
        Centre(**plan.centre, operator=operators.get(plan.operator))
        for plan in plans
        if plan.centre["slug"] not in existing
    ]
    centres = {c.slug: c for c in Centre.objects.bulk_create(new_centres, batch_size=500)}
    plans_by_slug = {p.centre["slug"]: p for p in plans}
    for centre in Centre.objects.select_for_update().filter(pk__in=existing_ids):
        plan = plans_by_slug[centre.slug]
        for key, value in plan.centre.items():
            setattr(centre, key, value)
        centre.operator = operators.get(plan.operator)
        centre.save()
        centres[centre.slug] = centre

    facilities = dict(Facility.objects.values_list("code", "pk"))
    through = Centre.facilities.through
    through.objects.filter(centre_id__in=existing_ids).delete()
    through.objects.bulk_create(
        [
            through(centre_id=centres[p.centre["slug"]].pk, facility_id=facilities[code])
            for p in plans
            for code in dict.fromkeys(p.facilities)
        ],
        batch_size=2000,
    )

    taken = set(Space.objects.filter(centre_id__in=existing_ids).values_list("centre_id", "label"))
    new_spaces = []
    for plan in plans:
        centre = centres[plan.centre["slug"]]
        for sp in plan.spaces:
            if centre.pk in existing_ids:
                # The row's rate card applies to every space of that kind already there.
                Space.objects.filter(centre=centre, kind=sp.kind).update(**sp.rates)
            prefix = LABEL_PREFIX[SpaceKind(sp.kind)]
            for n in range(1, sp.count + 1):
                label = f"{prefix}-{n:03d}"
                if (centre.pk, label) not in taken:
                    new_spaces.append(
                        Space(centre=centre, kind=sp.kind, label=label, capacity=sp.capacity, **sp.rates)
                    )
    Space.objects.bulk_create(new_spaces, batch_size=2000)
    return len(new_spaces)


def _operators(names: set[str]) -> dict[str, Operator]:
    operators = {o.name: o for o in Operator.objects.filter(name__in=names)}
    created = Operator.objects.bulk_create([Operator(name=n) for n in sorted(names - set(operators))])
    operators.update({o.name: o for o in created})
    return operators


# --- export ----------------------------------------------------------------------------------


def export_queryset(queryset: QuerySet[Centre]) -> QuerySet[Centre]:
    """Centres with per-kind counts and rate cards aggregated in the same query."""
    annotations: dict[str, Any] = {}
    for kind in KIND_COLUMNS:
        in_kind = Q(spaces__kind=kind)
        annotations[f"x_{kind}_count"] = Count("spaces", filter=in_kind)
        annotations[f"x_{kind}_capacity"] = Max("spaces__capacity", filter=in_kind)
        for suffix in RATE_SUFFIXES:
            annotations[f"x_{kind}_{suffix}"] = Min(f"spaces__rate_{suffix}", filter=in_kind)
    return (
        queryset.select_related("operator")
        .prefetch_related("facilities")
        .annotate(**annotations)
        .order_by("province", "city", "name")
    )


def export_rows(queryset: QuerySet[Centre]) -> Iterator[list[str]]:
    yield COLUMNS
    for centre in export_queryset(queryset):
        values: list[Any] = [
            centre.slug,
            centre.name,
            centre.operator.name if centre.operator else "",
            centre.city,
            centre.province,
            centre.tier,
            centre.status,
            centre.address,
            centre.latitude if centre.latitude is not None else "",
            centre.longitude if centre.longitude is not None else "",
            centre.phone,
            centre.email,
            centre.capacity_current,
            centre.capacity_planned,
            centre.internet_speed_mbps if centre.internet_speed_mbps is not None else "",
            ";".join(f.code for f in centre.facilities.all()),
            centre.description_en,
            centre.description_ur,
        ]
        for kind in KIND_COLUMNS:
            count = getattr(centre, f"x_{kind}_count")
            values.append(count or "")
            values.append(getattr(centre, f"x_{kind}_capacity") or "" if count else "")
            for suffix in RATE_SUFFIXES:
                value = getattr(centre, f"x_{kind}_{suffix}")
                values.append("" if value is None else value)
        yield [safe_cell(v) for v in values]


def export_csv(queryset: QuerySet[Centre]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerows(export_rows(queryset))
    return buffer.getvalue()


def write_rows(rows: Iterable[dict[str, Any]], stream: IO[str]) -> None:
    """Write dicts keyed by COLUMNS (used by tests and the sample file)."""
    writer = csv.DictWriter(stream, fieldnames=COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
