"""The PSEB filter form: a date range, where, which kind of space, and how to group."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from centres.hours import local_today
from centres.models import Province, SpaceKind, Tier

MAX_DAYS = 366
DEFAULT_DAYS = 14
MAX_RECOMPUTE_DAYS = 31

GROUP_CHOICES = [
    ("province", _("Province")),
    ("city", _("City")),
    ("tier", _("Tier")),
    ("centre", _("Centre")),
    ("kind", _("Space kind")),
    ("day", _("Day")),
    ("hour", _("Hour of the day")),
]


class OccupancyFilterForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))
    province = forms.ChoiceField(
        label=_("Province"), required=False, choices=[("", _("All provinces")), *Province.choices]
    )
    city = forms.CharField(label=_("City"), required=False, max_length=100)
    tier = forms.TypedChoiceField(
        label=_("Tier"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("All tiers")), *Tier.choices],
    )
    kind = forms.ChoiceField(
        label=_("Space kind"), required=False, choices=[("", _("All kinds")), *SpaceKind.choices]
    )
    group_by = forms.ChoiceField(label=_("Group by"), choices=GROUP_CHOICES, initial="province")

    @classmethod
    def defaults(cls, today: date | None = None) -> dict[str, Any]:
        today = today or local_today()
        return {"start": today - timedelta(days=DEFAULT_DAYS - 1), "end": today, "group_by": "province"}

    @classmethod
    def from_query(cls, data: Any) -> OccupancyFilterForm:
        """Bound to the query string, with the defaults filling what it leaves out."""
        merged = {key: str(value) for key, value in cls.defaults().items()}
        merged.update({key: value for key, value in data.items() if value != "" or key not in merged})
        return cls(merged)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                self.add_error("end", _("The end date must be on or after the start date."))
            elif (end - start).days >= MAX_DAYS:
                self.add_error("end", _("Choose at most %(days)d days at a time.") % {"days": MAX_DAYS})
        return data

    def filters(self) -> dict[str, Any]:
        """Keyword arguments for ``occupancy_summary`` (call after ``is_valid``)."""
        data = self.cleaned_data
        return {
            "start": data["start"],
            "end": data["end"],
            "province": data.get("province") or "",
            "city": (data.get("city") or "").strip(),
            "tier": data.get("tier"),
            "kind": data.get("kind") or "",
        }


class RecomputeForm(forms.Form):
    start = forms.DateField()
    end = forms.DateField()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                raise forms.ValidationError(_("The end date must be on or after the start date."))
            if (end - start).days >= MAX_RECOMPUTE_DAYS:
                raise forms.ValidationError(
                    _("Recompute at most %(days)d days at a time.") % {"days": MAX_RECOMPUTE_DAYS}
                )
        return data

    def days(self) -> list[date]:
        start, end = self.cleaned_data["start"], self.cleaned_data["end"]
        return [start + timedelta(days=n) for n in range((end - start).days + 1)]
