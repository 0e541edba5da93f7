"""Bookings of spaces, their audit trail, and the occupancy rollup.

The database is the last word on double booking: two exclusion constraints refuse
overlapping time on one space, and overlapping seats for one person, whatever the
load. btree_gist is not available on the embedded PostgreSQL, so the ids are turned
into one-point ranges (``int8range(id, id, '[]')``) that the built-in GiST range
operator class compares with ``&&`` like an equality.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateTimeRangeField, RangeOperators
from django.contrib.postgres.fields.ranges import BigIntegerRangeField
from django.db import models
from django.db.models import F, Func, Q, Value
from django.utils.translation import gettext_lazy as _

from centres.models import SpaceKind

# No 0/O, 1/I/L: a reference is read aloud at the desk and typed from a phone screen.
REFERENCE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
# The longest product is a calendar month. The database holds every booking to this, so a
# search for bookings overlapping a day only looks this far back from the day's start.
LONGEST_BOOKING = timedelta(days=32)
REFERENCE_LENGTH = 8


def new_reference() -> str:
    return "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))


class BookingStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    CHECKED_IN = "checked_in", _("Checked in")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")
    NO_SHOW = "no_show", _("No-show")


# Statuses in which a booking occupies its space (and, for seats, its person).
HOLDING_STATUSES = (BookingStatus.CONFIRMED, BookingStatus.CHECKED_IN)


class Product(models.TextChoices):
    HOURLY = "hourly", _("By the hour")
    DAY_PASS = "day_pass", _("Day pass")
    MONTHLY = "monthly", _("Monthly seat plan")


class Source(models.TextChoices):
    ONLINE = "online", _("Online")
    API = "api", _("API")
    DESK = "desk", _("Front desk")


class IdRange(Func):
    """``int8range(col, col, '[]')``: one id as a range, so GiST can compare it without btree_gist."""

    function = "int8range"
    output_field = BigIntegerRangeField()

    def __init__(self, column: str) -> None:
        super().__init__(F(column), F(column), Value("[]"))


class TimeRange(Func):
    """``tstzrange(starts_at, ends_at, '[)')``: a booking ending at 11:00 does not touch one starting then."""

    function = "tstzrange"
    output_field = DateTimeRangeField()

    def __init__(self) -> None:
        super().__init__(F("starts_at"), F("ends_at"), Value("[)"))


class Booking(models.Model):
    reference = models.CharField(
        _("reference"), max_length=REFERENCE_LENGTH, unique=True, default=new_reference, editable=False
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="bookings", verbose_name=_("person")
    )
    space = models.ForeignKey(
        "centres.Space", on_delete=models.PROTECT, related_name="bookings", verbose_name=_("space")
    )
    # Copied from the space so the desk's "today at my centre" never joins through spaces.
    centre = models.ForeignKey(
        "centres.Centre", on_delete=models.PROTECT, related_name="bookings", verbose_name=_("centre")
    )
    product = models.CharField(_("product"), max_length=10, choices=Product.choices, default=Product.HOURLY)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    price_pkr = models.PositiveIntegerField(_("price (PKR)"))
    status = models.CharField(
        _("status"), max_length=12, choices=BookingStatus.choices, default=BookingStatus.CONFIRMED
    )
    # Copied from the space kind: a workstation or cabin counts against "one seat per person".
    holds_seat = models.BooleanField(_("holds a seat"), default=False)
    source = models.CharField(_("made through"), max_length=10, choices=Source.choices, default=Source.ONLINE)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("made by"),
    )
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    checked_out_at = models.DateTimeField(_("checked out at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # Set by the reminder job when it claims the booking: a booking is reminded at most once.
    reminder_sent_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        indexes = [
            models.Index(fields=["centre", "starts_at"], name="booking_centre_starts"),
            models.Index(fields=["user", "-starts_at"], name="booking_user_starts"),
            # The reminder job's search: only bookings still waiting for their reminder.
            models.Index(
                fields=["starts_at"],
                condition=Q(status="confirmed", reminder_sent_at__isnull=True),
                name="booking_reminder_due",
            ),
        ]
        constraints = [
            ExclusionConstraint(
                name="booking_no_overlap_per_space",
                expressions=[
                    (IdRange("space_id"), RangeOperators.OVERLAPS),
                    (TimeRange(), RangeOperators.OVERLAPS),
                ],
                condition=Q(status__in=HOLDING_STATUSES),
                violation_error_message=_("This space is already booked for part of that time."),
            ),
            ExclusionConstraint(
                name="booking_one_seat_per_person",
                expressions=[
                    (IdRange("user_id"), RangeOperators.OVERLAPS),
                    (TimeRange(), RangeOperators.OVERLAPS),
                ],
                condition=Q(status__in=HOLDING_STATUSES, holds_seat=True),
                violation_error_message=_("This person already holds a seat for part of that time."),
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="booking_ends_after_start",
                violation_error_message=_("A booking must end after it starts."),
            ),
            models.CheckConstraint(
                condition=Q(ends_at__lte=F("starts_at") + LONGEST_BOOKING),
                name="booking_at_most_a_month",
                violation_error_message=_("A booking cannot be longer than a month."),
            ),
            models.CheckConstraint(condition=Q(price_pkr__gte=0), name="booking_price_nonneg"),
            models.CheckConstraint(condition=Q(status__in=BookingStatus.values), name="booking_status_valid"),
            models.CheckConstraint(condition=Q(product__in=Product.values), name="booking_product_valid"),
            models.CheckConstraint(condition=Q(source__in=Source.values), name="booking_source_valid"),
            models.CheckConstraint(
                condition=~Q(status=BookingStatus.CANCELLED) | Q(cancelled_at__isnull=False),
                name="booking_cancelled_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=[BookingStatus.CHECKED_IN, BookingStatus.COMPLETED])
                | Q(checked_in_at__isnull=False),
                name="booking_checked_in_has_time",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_active(self) -> bool:
        return self.status in HOLDING_STATUSES


class BookingEvent(models.Model):
    """One change of a booking: who, when, why. Written in the same transaction as the change."""

    class Action(models.TextChoices):
        CREATED = "created", _("Booked")
        CANCELLED = "cancelled", _("Cancelled")
        CHECKED_IN = "checked_in", _("Checked in")
        CHECKED_OUT = "checked_out", _("Checked out")
        COMPLETED = "completed", _("Completed")
        NO_SHOW = "no_show", _("Marked as no-show")
        NOTE = "note", _("Note")

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    from_status = models.CharField(_("from"), max_length=12, choices=BookingStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=12, choices=BookingStatus.choices, blank=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("booking event")
        verbose_name_plural = _("booking events")

    def __str__(self) -> str:
        return f"{self.booking_id} {self.action}"


class OccupancyHour(models.Model):
    """One local hour of one kind of space at one centre: what could be booked, and what was.

    Written only by ``bookings.occupancy.occupancy_compute`` (an idempotent upsert the beat
    runs every 15 minutes for today and yesterday); PSEB's rollups sum these rows in SQL.
    """

    centre = models.ForeignKey(
        "centres.Centre", on_delete=models.CASCADE, related_name="occupancy_hours", verbose_name=_("centre")
    )
    day = models.DateField(_("day (Pakistan time)"))
    hour = models.PositiveSmallIntegerField(_("hour (Pakistan time)"))
    kind = models.CharField(_("space kind"), max_length=20, choices=SpaceKind.choices)
    bookable_minutes = models.PositiveIntegerField(_("bookable minutes"), default=0)
    booked_minutes = models.PositiveIntegerField(_("booked minutes"), default=0)
    checked_in_minutes = models.PositiveIntegerField(_("checked-in minutes"), default=0)
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        ordering = ["day", "hour", "centre", "kind"]
        verbose_name = _("occupancy hour")
        verbose_name_plural = _("occupancy hours")
        indexes = [models.Index(fields=["day", "centre"], name="occupancy_day_centre")]
        constraints = [
            models.UniqueConstraint(fields=["centre", "day", "hour", "kind"], name="occupancy_unique_hour"),
            models.CheckConstraint(condition=Q(hour__gte=0, hour__lte=23), name="occupancy_hour_valid"),
            models.CheckConstraint(
                condition=Q(booked_minutes__lte=F("bookable_minutes")),
                name="occupancy_booked_within_bookable",
                violation_error_message=_("Booked minutes cannot exceed bookable minutes."),
            ),
            models.CheckConstraint(
                condition=Q(checked_in_minutes__lte=F("booked_minutes")),
                name="occupancy_checked_in_within_booked",
                violation_error_message=_("Checked-in minutes cannot exceed booked minutes."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.centre_id} {self.day:%Y-%m-%d} {self.hour:02d}:00 {self.kind}"


class FavouriteSpace(models.Model):
    """A space a person keeps at hand on My bookings. Theirs alone: read and changed by its owner only."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="favourite_spaces",
        verbose_name=_("person"),
    )
    space = models.ForeignKey(
        "centres.Space", on_delete=models.CASCADE, related_name="+", verbose_name=_("space")
    )
    created_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("favourite space")
        verbose_name_plural = _("favourite spaces")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "space"],
                name="favourite_space_once_per_person",
                violation_error_message=_("This space is already among your favourites."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.space_id}"
