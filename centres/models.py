"""The directory: operators, centres, their hours and closures, facilities, spaces and staff."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from erozgar.text import validate_plain_text


class Province(models.TextChoices):
    PUNJAB = "punjab", _("Punjab")
    SINDH = "sindh", _("Sindh")
    KHYBER_PAKHTUNKHWA = "kp", _("Khyber Pakhtunkhwa")
    BALOCHISTAN = "balochistan", _("Balochistan")
    ISLAMABAD = "ict", _("Islamabad Capital Territory")
    GILGIT_BALTISTAN = "gb", _("Gilgit-Baltistan")
    AZAD_KASHMIR = "ajk", _("Azad Jammu and Kashmir")


class Tier(models.IntegerChoices):
    TIER_1 = 1, _("Tier 1")
    TIER_2 = 2, _("Tier 2")
    TIER_3 = 3, _("Tier 3")


class CentreStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")


class SpaceKind(models.TextChoices):
    WORKSTATION = "workstation", _("Open workstation")
    CABIN = "cabin", _("Individual cabin")
    MEETING_ROOM = "meeting_room", _("Meeting room")
    STARTUP_OFFICE = "startup_office", _("Startup office")
    TRAINING_ROOM = "training_room", _("Training room")


# Kinds a person occupies alone: one of these per person at a time.
SEAT_KINDS = frozenset({SpaceKind.WORKSTATION, SpaceKind.CABIN})


class StaffRole(models.TextChoices):
    MANAGER = "manager", _("Centre manager")
    DESK = "desk", _("Desk staff")


class Operator(models.Model):
    """The private partner that runs one or more centres."""

    name = models.CharField(_("name"), max_length=200, unique=True, validators=[validate_plain_text])
    contact_name = models.CharField(
        _("contact person"), max_length=150, blank=True, validators=[validate_plain_text]
    )
    contact_email = models.EmailField(_("contact email"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("operator")
        verbose_name_plural = _("operators")

    def __str__(self) -> str:
        return self.name


class Facility(models.Model):
    """An admin-managed facility a centre may offer (backup power, prayer area, ...)."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=100)
    name_ur = models.CharField(_("name (Urdu)"), max_length=100, blank=True)
    sort_order = models.PositiveSmallIntegerField(default=100)

    class Meta:
        ordering = ["sort_order", "name_en"]
        verbose_name = _("facility")
        verbose_name_plural = _("facilities")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_ur if get_language() == "ur" and self.name_ur else self.name_en


class Centre(models.Model):
    name = models.CharField(_("name"), max_length=200, validators=[validate_plain_text])
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    operator = models.ForeignKey(
        Operator,
        on_delete=models.PROTECT,
        related_name="centres",
        null=True,
        blank=True,
        verbose_name=_("operator"),
    )
    city = models.CharField(_("city"), max_length=100, db_index=True)
    province = models.CharField(_("province"), max_length=20, choices=Province.choices, db_index=True)
    tier = models.PositiveSmallIntegerField(_("tier"), choices=Tier.choices, default=Tier.TIER_1)
    address = models.CharField(_("address"), max_length=300, validators=[validate_plain_text])
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("email"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=CentreStatus.choices, default=CentreStatus.ACTIVE, db_index=True
    )
    capacity_current = models.PositiveIntegerField(_("current capacity (seats)"), default=0)
    capacity_planned = models.PositiveIntegerField(_("planned capacity (seats)"), default=0)
    description_en = models.TextField(_("description (English)"), blank=True)
    description_ur = models.TextField(_("description (Urdu)"), blank=True)
    internet_speed_mbps = models.PositiveIntegerField(_("internet speed (Mbps)"), null=True, blank=True)
    facilities = models.ManyToManyField(
        Facility, blank=True, related_name="centres", verbose_name=_("facilities")
    )

    # Booking rules (read by the bookings app through centres.selectors).
    booking_horizon_days = models.PositiveSmallIntegerField(
        _("bookings open this many days ahead"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(366)],
    )
    cancellation_cutoff_minutes = models.PositiveIntegerField(
        _("cancellation cut-off (minutes before start)"), default=60
    )
    checkin_opens_minutes = models.PositiveIntegerField(
        _("check-in opens (minutes before start)"), default=30
    )
    checkin_grace_minutes = models.PositiveIntegerField(_("check-in grace period (minutes)"), default=30)
    max_active_bookings = models.PositiveSmallIntegerField(
        _("maximum active bookings per person"), default=5, validators=[MinValueValidator(1)]
    )

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("centre")
        verbose_name_plural = _("centres")
        indexes = [models.Index(fields=["province", "city"]), models.Index(fields=["status", "tier"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="centre_latitude_range",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="centre_longitude_range",
            ),
            models.CheckConstraint(condition=Q(tier__in=[1, 2, 3]), name="centre_tier_valid"),
            models.CheckConstraint(condition=Q(province__in=Province.values), name="centre_province_valid"),
            models.CheckConstraint(condition=Q(status__in=CentreStatus.values), name="centre_status_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.city})"

    @property
    def description(self) -> str:
        return self.description_ur if get_language() == "ur" and self.description_ur else self.description_en

    @property
    def is_bookable(self) -> bool:
        return self.status == CentreStatus.ACTIVE

    @property
    def place(self) -> str:
        """ "Lahore, Punjab"; "Islamabad Capital Territory" alone when the province starts with
        the city's name (never "Islamabad, Islamabad …")."""
        province = str(self.get_province_display())
        if self.city and province.casefold().startswith(self.city.strip().casefold()):
            return province
        return ", ".join(part for part in (self.city, province) if part)

    @property
    def address_with_city(self) -> str:
        """ "Markaz G-9, Islamabad": the city added unless the address already ends with it
        (never "…, Islamabad, Islamabad")."""
        address = self.address.strip().rstrip(",")
        if not address:
            return self.city
        if not self.city or address.casefold().endswith(self.city.strip().casefold()):
            return address
        return f"{address}, {self.city}"


class CentrePhoto(models.Model):
    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("image"), upload_to="centres/photos/")
    caption = models.CharField(_("caption (describes the photo)"), max_length=200)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "id"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self) -> str:
        return self.caption


class OpeningHours(models.Model):
    """One opening interval on a weekday. Several rows make a split day; none, a closed day.

    ``closes_at`` at or before ``opens_at`` means the interval runs past midnight into
    the next day (a late shift 18:00-02:00).
    """

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")
        SATURDAY = 5, _("Saturday")
        SUNDAY = 6, _("Sunday")

    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="opening_hours")
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    opens_at = models.TimeField(_("opens at"))
    closes_at = models.TimeField(_("closes at"))

    class Meta:
        ordering = ["weekday", "opens_at"]
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        constraints = [
            models.UniqueConstraint(
                fields=["centre", "weekday", "opens_at"], name="opening_hours_unique_start"
            ),
            models.CheckConstraint(
                condition=Q(weekday__gte=0, weekday__lte=6), name="opening_hours_weekday_valid"
            ),
            models.CheckConstraint(
                condition=~Q(opens_at=models.F("closes_at")), name="opening_hours_not_empty"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens_at:%H:%M}-{self.closes_at:%H:%M}"


class Closure(models.Model):
    """A dated closure (a holiday, Eid): the centre takes no bookings that day."""

    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="closures")
    date = models.DateField(_("date"))
    reason = models.CharField(_("reason"), max_length=200, blank=True, validators=[validate_plain_text])

    class Meta:
        ordering = ["date"]
        verbose_name = _("closure")
        verbose_name_plural = _("closures")
        constraints = [models.UniqueConstraint(fields=["centre", "date"], name="closure_unique_per_day")]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.reason}".strip()


class DurationRule(models.Model):
    """Minimum and maximum booking length for one kind of space at one centre.

    A centre without a row for a kind uses ``DEFAULT_DURATION_MINUTES``.
    """

    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="duration_rules")
    kind = models.CharField(_("space kind"), max_length=20, choices=SpaceKind.choices)
    min_minutes = models.PositiveIntegerField(_("minimum (minutes)"), default=30)
    max_minutes = models.PositiveIntegerField(_("maximum (minutes)"), default=8 * 60)

    class Meta:
        verbose_name = _("duration rule")
        verbose_name_plural = _("duration rules")
        constraints = [
            models.UniqueConstraint(fields=["centre", "kind"], name="duration_rule_unique_kind"),
            models.CheckConstraint(condition=Q(min_minutes__gte=30), name="duration_rule_min_30"),
            models.CheckConstraint(
                condition=Q(max_minutes__gte=models.F("min_minutes")), name="duration_rule_max_ge_min"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.min_minutes}-{self.max_minutes} min"


DEFAULT_DURATION_MINUTES: dict[str, tuple[int, int]] = {
    SpaceKind.WORKSTATION: (60, 12 * 60),
    SpaceKind.CABIN: (60, 12 * 60),
    SpaceKind.MEETING_ROOM: (30, 4 * 60),
    SpaceKind.STARTUP_OFFICE: (60, 12 * 60),
    SpaceKind.TRAINING_ROOM: (60, 8 * 60),
}


class Space(models.Model):
    """One bookable thing: a workstation, a cabin, a meeting room, an office or a training room."""

    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="spaces")
    kind = models.CharField(_("kind"), max_length=20, choices=SpaceKind.choices, db_index=True)
    label = models.CharField(_("label"), max_length=50, validators=[validate_plain_text])
    floor = models.CharField(_("floor"), max_length=20, blank=True)
    capacity = models.PositiveSmallIntegerField(_("head count"), default=1, validators=[MinValueValidator(1)])
    in_service = models.BooleanField(_("in service"), default=True)
    rate_hourly_pkr = models.PositiveIntegerField(_("hourly rate (PKR)"), null=True, blank=True)
    rate_daily_pkr = models.PositiveIntegerField(_("daily rate (PKR)"), null=True, blank=True)
    rate_monthly_pkr = models.PositiveIntegerField(_("monthly rate (PKR)"), null=True, blank=True)

    class Meta:
        ordering = ["centre", "kind", "label"]
        verbose_name = _("space")
        verbose_name_plural = _("spaces")
        constraints = [
            models.UniqueConstraint(fields=["centre", "label"], name="space_unique_label_per_centre"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="space_capacity_positive"),
            models.CheckConstraint(condition=Q(kind__in=SpaceKind.values), name="space_kind_valid"),
            models.CheckConstraint(
                condition=Q(rate_hourly_pkr__isnull=True) | Q(rate_hourly_pkr__gte=0),
                name="space_rate_hourly_nonneg",
            ),
            models.CheckConstraint(
                condition=Q(rate_daily_pkr__isnull=True) | Q(rate_daily_pkr__gte=0),
                name="space_rate_daily_nonneg",
            ),
            models.CheckConstraint(
                condition=Q(rate_monthly_pkr__isnull=True) | Q(rate_monthly_pkr__gte=0),
                name="space_rate_monthly_nonneg",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.get_kind_display()})"

    @property
    def is_seat(self) -> bool:
        return self.kind in SEAT_KINDS


class StaffMembership(models.Model):
    """Who works where. Every staff page and API checks this, never `is_staff`."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="centre_memberships"
    )
    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="staff_memberships")
    role = models.CharField(_("role"), max_length=10, choices=StaffRole.choices, default=StaffRole.DESK)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("staff membership")
        verbose_name_plural = _("staff memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "centre"], name="staff_membership_unique"),
            models.CheckConstraint(condition=Q(role__in=StaffRole.values), name="staff_role_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.user} - {self.centre} ({self.get_role_display()})"
