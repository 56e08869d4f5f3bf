from datetime import datetime

from django import forms
from django.utils import timezone

from tracker.entries.local_time import FUTURE_GRACE, LocalMomentField
from tracker.experiments import schedule
from tracker.experiments.offered_changes import BY_KEY, CLINICIAN, OFFERED
from tracker.models import Experiment

OWN_CHANGE_MAX = Experiment._meta.get_field("change").max_length


class StartForm(forms.Form):
    """What to try, and for how long. `clean` gives the change's words, the block length in nights and the pairs."""

    change_key = forms.ChoiceField(
        label="What would you like to try?",
        choices=[(change.key, change.label.capitalize()) for change in OFFERED]
        + [(CLINICIAN, "A change agreed with my clinician")],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose one change to try.",
            "invalid_choice": "Choose one change to try.",
        },
    )
    own_change = forms.CharField(
        label="The change agreed with your clinician, in your own words",
        max_length=OWN_CHANGE_MAX,
        required=False,
        help_text="For example: “walk for ten minutes after dinner”. Only if you chose the last option.",
    )
    block_weeks = forms.TypedChoiceField(
        label="How long is each block?",
        choices=[
            (days // 7, f"{days // 7} week{'s' if days > 7 else ''}") for days in schedule.BLOCK_DAYS_CHOICES
        ],
        coerce=int,
        initial=schedule.DEFAULT_BLOCK_DAYS // 7,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choose 1, 2, 3 or 4 weeks."},
    )
    pairs = forms.TypedChoiceField(
        label="How many pairs of blocks?",
        choices=[
            (
                n,
                f"{n} pairs"
                + (": a surer answer, if you have the time" if n > schedule.DEFAULT_PAIRS else ""),
            )
            for n in schedule.PAIRS_CHOICES
        ],
        coerce=int,
        initial=schedule.DEFAULT_PAIRS,
        widget=forms.RadioSelect,
        help_text=(
            "Each pair is one block with the change and one with your usual routine, in an order picked at random. "
            f"With {max(schedule.PAIRS_CHOICES)} pairs that order can come out {2 ** max(schedule.PAIRS_CHOICES)} "
            f"ways instead of {2**schedule.DEFAULT_PAIRS}, so a good or bad spell is less likely to line up with the "
            "change and fool you."
        ),
        error_messages={"invalid_choice": "Choose 2 or 3 pairs."},
    )

    def clean(self) -> dict:
        data = super().clean() or {}
        key = data.get("change_key")
        if key == CLINICIAN:
            own = " ".join((data.get("own_change") or "").split())
            if not own:
                self.add_error(
                    "own_change", "Write the change you agreed with your clinician, in a few words."
                )
            data["change"] = own
        elif key in BY_KEY:
            data["change"] = BY_KEY[key].label
        if "block_weeks" in data:
            data["block_days"] = data["block_weeks"] * 7
        return data


MAX_DAYS_KEPT = 4 * 7 * 2 * 3  # the longest experiment: no tap kept on a phone can be older and still count


class DoneForm(forms.Form):
    """ "Did it today". `at` is when it was tapped, sent by the phone's outbox when the tap was kept offline (a local
    date and time); empty means now. The night it marks is the one named by that moment's local date."""

    at = LocalMomentField(
        required=False, error_messages={"invalid": "That time could not be read. Tap “Did it today” again."}
    )

    def clean_at(self) -> datetime:
        at = self.cleaned_data.get("at")
        now = timezone.now()
        if at is None:
            return now
        if at > now + FUTURE_GRACE:
            raise forms.ValidationError("That time is in the future. Tap “Did it today” again.")
        if (now - at).days > MAX_DAYS_KEPT:
            raise forms.ValidationError("That was too long ago to count in your experiment.")
        return min(at, now)
