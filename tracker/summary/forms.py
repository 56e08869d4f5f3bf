from datetime import date

from django import forms
from django.utils import timezone

from tracker.entries.limits import is_database_id, limits
from tracker.entries.periods import PeriodFields, check_period
from tracker.models import Profile
from tracker.summary.report import default_period

EXPIRY_DAYS = [(1, "1 day"), (7, "7 days"), (14, "14 days"), (30, "30 days")]
DEFAULT_EXPIRY = 14
MAX_NOTES = 100
BORN = limits(Profile, "summary_birth_date")


class NoteIdsField(forms.Field):
    """The cramps whose notes go on the summary, by id; ids that aren't the person's are dropped later."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value) -> list[int]:
        values = value if isinstance(value, list | tuple) else [value] if value else []
        if not all(is_database_id(v) for v in values):
            raise forms.ValidationError("This form was damaged or out of date. Choose the notes again.")
        return [int(v) for v in values][:MAX_NOTES]


class PeriodForm(PeriodFields):
    note = NoteIdsField(required=False)

    def clean(self):
        data = super().clean()
        assert data is not None  # Django's clean() returns self.cleaned_data
        if data.get("start") is None and data.get("end") is None and not self.errors:
            data["start"], data["end"] = default_period(self.today)
        check_period(self, data.get("start"), data.get("end"), self.today)
        return data

    def period(self) -> tuple[date, date, list[int]]:
        """The period asked for, or the last 4 weeks when the form is empty or wrong."""
        if self.is_valid():
            return self.cleaned_data["start"], self.cleaned_data["end"], self.cleaned_data["note"]
        return (*default_period(self.today), [])


class ShareLinkForm(PeriodForm):
    expires_in = forms.TypedChoiceField(
        label="Link works for", choices=EXPIRY_DAYS, coerce=int, initial=DEFAULT_EXPIRY
    )


class SummaryDetailsForm(forms.ModelForm):
    class Meta:
        model = Profile
        fields = ["summary_name", "summary_birth_date"]
        labels = {"summary_name": "Name (optional)", "summary_birth_date": "Date of birth (optional)"}
        widgets = {"summary_birth_date": forms.DateInput(attrs={"type": "date", "min": BORN.low.isoformat()})}

    def clean_summary_birth_date(self):
        born = self.cleaned_data.get("summary_birth_date")
        if born and not BORN.low <= born <= timezone.localdate():
            raise forms.ValidationError(f"Enter a date of birth between {BORN.low.year} and today.")
        return born
