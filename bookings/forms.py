"""Forms of the booking pages. They parse input; the rules live in services.booking_create."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from centres.hours import LOCAL_TZ, local_today
from centres.models import SpaceKind


class DayForm(forms.Form):
    """Which day and kind of space the availability grid shows."""

    date = forms.DateField(label=_("Day"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    kind = forms.ChoiceField(
        label=_("Kind of space"), required=False, choices=[("", _("All kinds")), *SpaceKind.choices]
    )

    def day(self) -> dt.date:
        if self.is_valid() and self.cleaned_data.get("date"):
            return self.cleaned_data["date"]
        return local_today()

    def kind_value(self) -> str:
        return self.cleaned_data.get("kind", "") if self.is_valid() else ""


def duration_label(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    if hours and rest:
        return ngettext("%(h)s hour %(m)s minutes", "%(h)s hours %(m)s minutes", hours) % {
            "h": hours,
            "m": rest,
        }
    if hours:
        return ngettext("%(h)s hour", "%(h)s hours", hours) % {"h": hours}
    return _("%(m)s minutes") % {"m": rest}


class ReviewForm(forms.Form):
    """The chosen slot: a space, a start, and one of the options offered from there (length or product)."""

    space = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    start = forms.DateTimeField(widget=forms.HiddenInput)
    option = forms.ChoiceField(label=_("What to book"))

    def __init__(self, *args: Any, options: list[Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.options = {o.key: o for o in options or []}
        option_field = self.fields["option"]
        assert isinstance(option_field, forms.ChoiceField)
        option_field.choices = [(o.key, o.label) for o in options or []]

    def clean_start(self) -> datetime:
        start: datetime = self.cleaned_data["start"]
        if timezone.is_naive(start):
            start = start.replace(tzinfo=LOCAL_TZ)
        return start

    def chosen(self) -> Any:
        return self.options.get(self.cleaned_data.get("option", ""))


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason (optional)"), required=False, max_length=300)


class FinderForm(forms.Form):
    """The time-first search: which day, from when ("now" or a half hour), and for how long."""

    day = forms.ChoiceField(label=_("Day"), widget=forms.RadioSelect)
    start = forms.ChoiceField(label=_("Starting at"))
    length = forms.TypedChoiceField(label=_("For how long"), coerce=int, widget=forms.RadioSelect)

    def __init__(
        self, *args: Any, days: list[dt.date], starts: list[dt.time], lengths: Iterable[int], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        today = local_today()

        def day_label(day: dt.date) -> str:
            if day == today:
                return str(_("Today"))
            if day == today + dt.timedelta(days=1):
                return str(_("Tomorrow"))
            return date_format(day, "D j M")

        self._set_choices("day", [(d.isoformat(), day_label(d)) for d in days])
        self._set_choices(
            "start", [("now", _("Now")), *((t.strftime("%H:%M"), t.strftime("%H:%M")) for t in starts)]
        )
        self._set_choices("length", [(str(m), duration_label(m)) for m in lengths])

    def _set_choices(self, name: str, choices: list[Any]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices

    def chosen_day(self) -> dt.date:
        return dt.date.fromisoformat(self.cleaned_data["day"])
