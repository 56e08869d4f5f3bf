from django import forms

from tracker.entries.periods import PeriodFields, check_period

RANGES = {"4w": ("4 weeks", 4), "12w": ("12 weeks", 12), "26w": ("6 months", 26), "52w": ("1 year", 52)}
DEFAULT_RANGE = "12w"


class RangeForm(PeriodFields):
    range = forms.ChoiceField(
        choices=[*((key, label) for key, (label, _) in RANGES.items()), ("all", "All"), ("custom", "Custom")],
        required=False,
        widget=forms.HiddenInput,
    )
    field_order = ["range", "start", "end"]

    def clean(self):
        data = super().clean()
        assert data is not None  # Django's clean() returns self.cleaned_data
        if data.get("range") != "custom":
            return data
        check_period(self, data.get("start"), data.get("end"), self.today)
        return data
