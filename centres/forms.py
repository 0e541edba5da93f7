"""Forms: the directory filters (shared by the page and the API) and the manager's edit forms."""

from __future__ import annotations

from datetime import time
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from centres.models import OpeningHours, Province, Space, SpaceKind, Tier
from centres.selectors import DirectoryFilters, duration_limits
from centres.services import HoursInput

SHIFTS_PER_DAY = 2


class DirectoryFilterForm(forms.Form):
    """The search box and filters of /centres/ and GET /api/v1/centres/ (one copy of the rules)."""

    q = forms.CharField(
        label=_("Search"), required=False, max_length=100, help_text=_("Name, city or address")
    )
    province = forms.ChoiceField(label=_("Province"), required=False, choices=[("", _("All provinces"))])
    city = forms.CharField(label=_("City"), required=False, max_length=100)
    tier = forms.TypedChoiceField(label=_("Tier"), required=False, coerce=int, empty_value=None, choices=[])
    facility = forms.ChoiceField(label=_("Facility"), required=False, choices=[])
    kind = forms.ChoiceField(label=_("Space"), required=False, choices=[])
    open_now = forms.BooleanField(label=_("Open now"), required=False)

    def __init__(self, *args: Any, facilities: list[tuple[str, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices: dict[str, list[tuple[Any, Any]]] = {
            "province": [("", _("All provinces")), *Province.choices],
            "tier": [("", _("All tiers")), *Tier.choices],
            "kind": [("", _("Any kind of space")), *SpaceKind.choices],
            "facility": [("", _("Any facility")), *(facilities or [])],
        }
        for name, options in choices.items():
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = options

    def filters(self) -> DirectoryFilters:
        data = self.cleaned_data
        return DirectoryFilters(
            q=data.get("q") or "",
            province=data.get("province") or "",
            city=(data.get("city") or "").strip(),
            tier=data.get("tier"),
            facility=data.get("facility") or "",
            kind=data.get("kind") or "",
            open_now=bool(data.get("open_now")),
        )


class WeeklyHoursForm(forms.Form):
    """Two shifts per weekday; leave a shift blank to skip it, both blank to close the day."""

    def __init__(self, *args: Any, initial_rows: list[OpeningHours] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        by_day: dict[int, list[OpeningHours]] = {}
        for existing in initial_rows or []:
            by_day.setdefault(existing.weekday, []).append(existing)
        for weekday, day_label in OpeningHours.Weekday.choices:
            rows = sorted(by_day.get(weekday, []), key=lambda r: r.opens_at)
            for shift in range(1, SHIFTS_PER_DAY + 1):
                row: OpeningHours | None = rows[shift - 1] if len(rows) >= shift else None
                self.fields[f"d{weekday}_open{shift}"] = forms.TimeField(
                    label=_("%(day)s, shift %(n)s opens") % {"day": day_label, "n": shift},
                    required=False,
                    initial=row.opens_at if row else None,
                    widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
                )
                self.fields[f"d{weekday}_close{shift}"] = forms.TimeField(
                    label=_("%(day)s, shift %(n)s closes") % {"day": day_label, "n": shift},
                    required=False,
                    initial=row.closes_at if row else None,
                    widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
                )

    def days(self) -> list[dict[str, Any]]:
        return [
            {
                "label": label,
                "shifts": [
                    (self[f"d{weekday}_open{shift}"], self[f"d{weekday}_close{shift}"])
                    for shift in range(1, SHIFTS_PER_DAY + 1)
                ],
            }
            for weekday, label in OpeningHours.Weekday.choices
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for weekday, _label in OpeningHours.Weekday.choices:
            for shift in range(1, SHIFTS_PER_DAY + 1):
                opens, closes = data.get(f"d{weekday}_open{shift}"), data.get(f"d{weekday}_close{shift}")
                if (opens is None) != (closes is None):
                    missing = f"d{weekday}_close{shift}" if closes is None else f"d{weekday}_open{shift}"
                    self.add_error(missing, _("Give both the opening and the closing time, or neither."))
        return data

    def rows(self) -> list[HoursInput]:
        result = []
        for weekday, _label in OpeningHours.Weekday.choices:
            for shift in range(1, SHIFTS_PER_DAY + 1):
                opens: time | None = self.cleaned_data.get(f"d{weekday}_open{shift}")
                closes: time | None = self.cleaned_data.get(f"d{weekday}_close{shift}")
                if opens is not None and closes is not None:
                    result.append(HoursInput(weekday=weekday, opens_at=opens, closes_at=closes))
        return result


class ClosureForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("Reason (shown to visitors)"), required=False, max_length=200)


class SpaceForm(forms.ModelForm):
    class Meta:
        model = Space
        fields = [
            "kind",
            "label",
            "floor",
            "capacity",
            "in_service",
            "rate_hourly_pkr",
            "rate_daily_pkr",
            "rate_monthly_pkr",
        ]
        help_texts = {
            "rate_hourly_pkr": _("Whole rupees; leave blank when not offered by the hour."),
            "rate_daily_pkr": _("Whole rupees; leave blank when not offered by the day."),
            "rate_monthly_pkr": _("Whole rupees; leave blank when not offered by the month."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # An existing space keeps its kind (bookings depend on it).
            self.fields["kind"].disabled = True

    def _post_clean(self) -> None:
        # Model validation runs in the service (one copy of the rules); nothing to do here.
        pass


class RateCardForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of space"), choices=SpaceKind.choices)
    rate_hourly_pkr = forms.IntegerField(label=_("Hourly rate (PKR)"), required=False, min_value=0)
    rate_daily_pkr = forms.IntegerField(label=_("Daily rate (PKR)"), required=False, min_value=0)
    rate_monthly_pkr = forms.IntegerField(label=_("Monthly rate (PKR)"), required=False, min_value=0)


class BookingRulesForm(forms.Form):
    """The centre's booking rules and, per kind of space, the shortest and longest booking."""

    booking_horizon_days = forms.IntegerField(
        label=_("Bookings open this many days ahead"), min_value=1, max_value=366
    )
    cancellation_cutoff_minutes = forms.IntegerField(
        label=_("Cancellation allowed until this many minutes before the start"), min_value=0, max_value=10080
    )
    checkin_grace_minutes = forms.IntegerField(
        label=_("Check-in grace period (minutes); later, the booking is released as a no-show"),
        min_value=5,
        max_value=240,
    )
    max_active_bookings = forms.IntegerField(
        label=_("Most active bookings one person may hold"), min_value=1, max_value=50
    )

    def __init__(self, *args: Any, centre: Any, **kwargs: Any) -> None:
        initial = {
            "booking_horizon_days": centre.booking_horizon_days,
            "cancellation_cutoff_minutes": centre.cancellation_cutoff_minutes,
            "checkin_grace_minutes": centre.checkin_grace_minutes,
            "max_active_bookings": centre.max_active_bookings,
        }
        for kind in SpaceKind:
            low, high = duration_limits(centre, kind.value)
            initial[f"{kind.value}_min"], initial[f"{kind.value}_max"] = low, high
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        for kind in SpaceKind:
            self.fields[f"{kind.value}_min"] = forms.IntegerField(
                label=_("%(kind)s: shortest booking (minutes)") % {"kind": kind.label},
                min_value=30,
                max_value=1440,
            )
            self.fields[f"{kind.value}_max"] = forms.IntegerField(
                label=_("%(kind)s: longest booking (minutes)") % {"kind": kind.label},
                min_value=30,
                max_value=1440,
            )

    def rule_fields(self) -> list[Any]:
        return [
            self[name]
            for name in (
                "booking_horizon_days",
                "cancellation_cutoff_minutes",
                "checkin_grace_minutes",
                "max_active_bookings",
            )
        ]

    def duration_rows(self) -> list[tuple[str, Any, Any]]:
        return [(str(kind.label), self[f"{kind.value}_min"], self[f"{kind.value}_max"]) for kind in SpaceKind]

    def durations(self) -> dict[str, tuple[int, int] | None]:
        return {
            kind.value: (self.cleaned_data[f"{kind.value}_min"], self.cleaned_data[f"{kind.value}_max"])
            for kind in SpaceKind
        }


class CsvImportForm(forms.Form):
    file = forms.FileField(label=_("CSV file"), help_text=_("UTF-8, one row per centre, with a header row."))
    dry_run = forms.BooleanField(
        label=_("Dry run: check every row and report problems without saving anything"),
        required=False,
        initial=True,
    )
