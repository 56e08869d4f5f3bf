from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy, ngettext_lazy

from tracker.entries import logged_nights
from tracker.entries.limits import filled_in, is_database_id, limits
from tracker.entries.periods import PeriodFields, check_period
from tracker.models import Profile
from tracker.summary.report import default_period

EXPIRY_DAYS = [
    (days, filled_in(ngettext_lazy("%(days)s day", "%(days)s days", days), days=days))
    for days in (1, 7, 14, 30)
]
DEFAULT_EXPIRY = 14
MAX_NOTES = 100
BORN = limits(Profile, "summary_birth_date")


class NoteIdsField(forms.Field):
    """The cramps whose notes go on the summary, by id; ids that aren't the person's are dropped later."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value) -> list[int]:
        values = value if isinstance(value, list | tuple) else [value] if value else []
        if not all(is_database_id(v) for v in values):
            raise forms.ValidationError(
                gettext("This form was damaged or out of date. Choose the notes again.")
            )
        return [int(v) for v in values][:MAX_NOTES]


class PeriodForm(PeriodFields):
    note = NoteIdsField(required=False)
    baseline = forms.BooleanField(
        label=gettext_lazy("Include how I started, to compare"),
        required=False,
        help_text=gettext_lazy(
            "How I started: my diary's first 4 weeks, as on Trends (the first 2 while it is under 8 weeks old). "
            "Without it, the summary shows only the dates above."
        ),
    )

    @property
    def tonight(self) -> date:
        """The night going on now, left out of the default period: it is not over until noon."""
        return logged_nights.tonight(timezone.now(), timezone.get_current_timezone())

    def clean(self):
        data = super().clean()
        assert data is not None  # Django's clean() returns self.cleaned_data
        if data.get("start") is None and data.get("end") is None and not self.errors:
            data["start"], data["end"] = default_period(self.tonight)
        check_period(self, data.get("start"), data.get("end"), self.today)
        return data

    def period(self) -> tuple[date, date, list[int]]:
        """The period asked for, or the last 4 weeks when the form is empty or wrong."""
        if self.is_valid():
            return self.cleaned_data["start"], self.cleaned_data["end"], self.cleaned_data["note"]
        return (*default_period(self.tonight), [])

    def with_baseline(self) -> bool:
        return self.is_valid() and self.cleaned_data["baseline"]


class WhoForm(PeriodForm):
    """The period as chosen, and the name and date of birth to print on a PDF or a share link; both may be blank.
    They are kept on the profile for next time."""

    name = forms.CharField(
        label=gettext_lazy("Name on the summary"),
        required=False,
        max_length=80,
        help_text=gettext_lazy("Leave blank to leave it off."),
    )
    birth_date = forms.DateField(
        label=gettext_lazy("Date of birth on the summary"),
        required=False,
        help_text=gettext_lazy("Leave blank to leave it off."),
        # The date picker reads and writes ISO dates whatever the page's language (it shows them localised).
        widget=forms.DateInput(attrs={"type": "date", "min": BORN.low.isoformat()}, format="%Y-%m-%d"),
    )

    paper = forms.ChoiceField(
        label=gettext_lazy("Paper size for the PDF"),
        # Translators: paper sizes; "A4" is the same everywhere, "US Letter" the North American size.
        choices=[("A4", "A4"), ("Letter", gettext_lazy("US Letter"))],
        initial="A4",
        required=False,
    )

    def clean_name(self) -> str:
        return " ".join(self.cleaned_data.get("name", "").split())

    def clean_birth_date(self):
        born = self.cleaned_data.get("birth_date")
        if born and not BORN.low <= born <= self.today:
            raise forms.ValidationError(
                gettext("Enter a date of birth between %(year)s and today.") % {"year": BORN.low.year}
            )
        return born

    def save_to(self, profile: Profile) -> None:
        profile.summary_name = self.cleaned_data["name"]
        profile.summary_birth_date = self.cleaned_data["birth_date"]
        profile.save(update_fields=["summary_name", "summary_birth_date"])


class ShareLinkForm(WhoForm):
    expires_in = forms.TypedChoiceField(
        label=gettext_lazy("Link works for"), choices=EXPIRY_DAYS, coerce=int, initial=DEFAULT_EXPIRY
    )
