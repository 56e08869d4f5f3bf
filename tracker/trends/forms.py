from django import forms
from django.utils.translation import gettext_lazy, pgettext_lazy

from tracker.entries.periods import PeriodFields, check_period

RANGES = {
    # Translators: the spans of time Trends offers, on buttons.
    "4w": (gettext_lazy("4 weeks"), 4),
    "12w": (gettext_lazy("12 weeks"), 12),
    "26w": (gettext_lazy("6 months"), 26),
    "52w": (gettext_lazy("1 year"), 52),
}
DEFAULT_RANGE = "12w"


class RangeForm(PeriodFields):
    range = forms.ChoiceField(
        choices=[
            *((key, label) for key, (label, _) in RANGES.items()),
            ("all", pgettext_lazy("range of dates", "All")),
            ("custom", pgettext_lazy("range of dates", "Custom")),
        ],
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
