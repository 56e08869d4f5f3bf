from datetime import datetime

from django import forms
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext, gettext_lazy, ngettext

from tracker.entries.limits import filled_in
from tracker.entries.local_time import FUTURE_GRACE, LocalMomentField
from tracker.experiments import schedule
from tracker.experiments.offered_changes import BY_KEY, CLINICIAN, OFFERED
from tracker.models import Experiment

OWN_CHANGE_MAX = Experiment._meta.get_field("change").max_length


# The choices are made for each form, in the language of its request.
def change_choices() -> list[tuple[str, str]]:
    return [(change.key, capfirst(change.said)) for change in OFFERED] + [
        (CLINICIAN, gettext("A change agreed with my clinician"))
    ]


def block_choices() -> list[tuple[int, str]]:
    return [
        (days // 7, ngettext("%(weeks)s week", "%(weeks)s weeks", days // 7) % {"weeks": days // 7})
        for days in schedule.BLOCK_DAYS_CHOICES
    ]


def pairs_choices() -> list[tuple[int, str]]:
    return [
        (
            n,
            ngettext(
                "%(count)s pair: a surer answer, if you have the time",
                "%(count)s pairs: a surer answer, if you have the time",
                n,
            )
            % {"count": n}
            if n > schedule.DEFAULT_PAIRS
            else ngettext("%(count)s pair", "%(count)s pairs", n) % {"count": n},
        )
        for n in schedule.PAIRS_CHOICES
    ]


class StartForm(forms.Form):
    """What to try, and for how long. `clean` gives the change's words, the block length in nights and the pairs."""

    change_key = forms.ChoiceField(
        label=gettext_lazy("What would you like to try?"),
        choices=change_choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy("Choose one change to try."),
            "invalid_choice": gettext_lazy("Choose one change to try."),
        },
    )
    own_change = forms.CharField(
        label=gettext_lazy("The change agreed with your clinician, in your own words"),
        max_length=OWN_CHANGE_MAX,
        required=False,
        help_text=gettext_lazy(
            "For example: “walk for ten minutes after dinner”. Only if you chose the last option."
        ),
    )
    block_weeks = forms.TypedChoiceField(
        label=gettext_lazy("How long is each block?"),
        choices=block_choices,
        coerce=int,
        initial=schedule.DEFAULT_BLOCK_DAYS // 7,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": gettext_lazy("Choose 1, 2, 3 or 4 weeks.")},
    )
    pairs = forms.TypedChoiceField(
        label=gettext_lazy("How many pairs of blocks?"),
        choices=pairs_choices,
        coerce=int,
        initial=schedule.DEFAULT_PAIRS,
        widget=forms.RadioSelect,
        help_text=filled_in(
            gettext_lazy(
                "Each pair is one block with the change and one with your usual routine, in an order picked at "
                "random. With %(most)s pairs that order can come out %(most_ways)s ways instead of %(fewest_ways)s, "
                "so a good or bad spell is less likely to line up with the change and fool you."
            ),
            most=max(schedule.PAIRS_CHOICES),
            most_ways=2 ** max(schedule.PAIRS_CHOICES),
            fewest_ways=2**schedule.DEFAULT_PAIRS,
        ),
        error_messages={"invalid_choice": gettext_lazy("Choose 2 or 3 pairs.")},
    )

    def clean(self) -> dict:
        data = super().clean() or {}
        key = data.get("change_key")
        if key == CLINICIAN:
            own = " ".join((data.get("own_change") or "").split())
            if not own:
                self.add_error(
                    "own_change", gettext("Write the change you agreed with your clinician, in a few words.")
                )
            data["change"] = own
        elif key in BY_KEY:
            data["change"] = BY_KEY[key].label  # stored in English (OfferedChange.label); shown as its `said`
        if "block_weeks" in data:
            data["block_days"] = data["block_weeks"] * 7
        return data


MAX_DAYS_KEPT = 4 * 7 * 2 * 3  # the longest experiment: no tap kept on a phone can be older and still count


class DoneForm(forms.Form):
    """ "Did it today". `at` is when it was tapped, sent by the phone's outbox when the tap was kept offline (a local
    date and time); empty means now. The night it marks is the one named by that moment's local date."""

    at = LocalMomentField(
        required=False,
        error_messages={"invalid": gettext_lazy("That time could not be read. Tap “Did it today” again.")},
    )

    def clean_at(self) -> datetime:
        at = self.cleaned_data.get("at")
        now = timezone.now()
        if at is None:
            return now
        if at > now + FUTURE_GRACE:
            raise forms.ValidationError(gettext("That time is in the future. Tap “Did it today” again."))
        if (now - at).days > MAX_DAYS_KEPT:
            raise forms.ValidationError(gettext("That was too long ago to count in your experiment."))
        return min(at, now)
