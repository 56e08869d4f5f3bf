"""A period of local days that a person asks for (Trends' custom range, a summary, a share link, an export)."""

from datetime import date

from django import forms
from django.utils.translation import gettext, gettext_lazy

from tracker.entries.limits import limits
from tracker.models import CrampEpisode

EARLIEST_DAY: date = limits(CrampEpisode, "at").low.date()  # no entry is older, so no period starts sooner
LONGEST_DAYS = 366 * 20


class PeriodFields(forms.Form):
    """A first and last local day, offered by the phone's date picker between the earliest day and today."""

    start = forms.DateField(
        label=gettext_lazy("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    end = forms.DateField(
        label=gettext_lazy("To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        for name in ("start", "end"):
            self.fields[name].widget.attrs.update(min=EARLIEST_DAY.isoformat(), max=today.isoformat())


def check_period(form: forms.Form, start: date | None, end: date | None, today: date) -> None:
    """Add to `form` what is wrong with a period of local days from `start` to `end`, if anything."""
    if not start or not end:
        if not form.has_error("start") and not form.has_error("end"):
            form.add_error(None, gettext("Choose both a first and a last day."))
        return
    if end > today:
        form.add_error("end", gettext("The last day can't be after today."))
    if start < EARLIEST_DAY:
        form.add_error(
            "start", gettext("The first day can't be before %(year)s.") % {"year": EARLIEST_DAY.year}
        )
    if start > end:
        form.add_error("start", gettext("The first day must come before the last day."))
    elif (end - start).days >= LONGEST_DAYS:
        form.add_error("start", gettext("A period can cover at most 20 years."))
