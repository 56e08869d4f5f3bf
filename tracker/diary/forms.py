"""The diary's entry forms: each validates and converts what a person typed, reading its limits from the model."""

import math
import uuid
from datetime import datetime, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy, ngettext_lazy, pgettext_lazy

from knowledge.food_search import search_words
from knowledge.models import Food
from tracker.diary.words import scale_key
from tracker.entries.limits import TOO_LONG, LocalNumberField, filled_in, is_database_id, limits
from tracker.entries.local_time import FUTURE_GRACE, LocalMomentField
from tracker.entries.nights import last_night, night_bounds
from tracker.models import (
    CrampEpisode,
    Drink,
    Exercise,
    Meal,
    MealKind,
    Medication,
    Muscle,
    NightCheckIn,
    Profile,
    Relief,
    Side,
    WarningSign,
)

AT = limits(CrampEpisode, "at")  # every timed entry's: from 2000
DURATION = limits(CrampEpisode, "duration_seconds")
INTENSITY = limits(CrampEpisode, "intensity")
SLEEP = limits(CrampEpisode, "sleep_disturbance")
DRINK = limits(Drink, "amount_ml")
MINUTES = limits(Exercise, "minutes")
MEDICATION_DAY = limits(Medication, "started")


class LocalDateTimeInput(forms.DateTimeInput):
    """A phone's native date and time picker; values are read and shown in the person's time zone."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class EntryForm(forms.ModelForm):
    """Fields every entry form shares: the client's UUID, which makes a repeated submission harmless."""

    uuid = forms.UUIDField(
        widget=forms.HiddenInput(attrs={"id": False}),  # no id: Today holds several of these forms at once
        error_messages={"invalid": gettext_lazy("This form was damaged or out of date. Please try again.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["uuid"].initial = self.instance.uuid
            self.fields["uuid"].disabled = True
        else:
            self.fields["uuid"].initial = uuid.uuid4()


class TimedEntryForm(EntryForm):
    """An entry at a moment: empty means now; never more than five minutes ahead, never before 2000."""

    at = LocalMomentField(
        label=gettext_lazy("When"),
        required=False,
        widget=LocalDateTimeInput,
        help_text=gettext_lazy("Leave it empty to use the time now."),
        error_messages={"invalid": gettext_lazy("Enter a date and time, for example 2026-03-01 03:00.")},
    )

    def clean_at(self) -> datetime:
        at = self.cleaned_data.get("at")
        now = timezone.now()
        if at is None:
            return self.instance.at if self.instance.pk else now
        if at > now + FUTURE_GRACE:
            raise forms.ValidationError(gettext("That time is in the future. Choose a time up to now."))
        if at < AT.low:
            raise forms.ValidationError(
                gettext("That date is too long ago. Choose a date from %(year)s on.") % {"year": AT.low.year}
            )
        return at


INTENSITY_CHOICES = [(value, str(value)) for value in range(INTENSITY.low, INTENSITY.high + 1)]
MINUTE_CHIPS = (1, 2, 3, 4, 5, 10, 15)  # 15 stands for "15 or more"


class NotRecordedChoiceField(forms.TypedChoiceField):
    """A choice the person may leave unmade: empty is None (not recorded), never a default."""

    def __init__(self, *, choices, **kwargs):
        super().__init__(
            choices=choices, required=False, empty_value=None, widget=forms.RadioSelect, **kwargs
        )


class CrampForm(TimedEntryForm):
    """A cramp: when it happened is all that is needed. Every other detail is None unless the person chose it."""

    duration_minutes = LocalNumberField(
        label=gettext_lazy("How long (minutes)"),
        required=False,
        widget=forms.NumberInput(
            attrs={"step": "any", "min": "0.1", "max": DURATION.high // 60, "inputmode": "decimal"}
        ),
        error_messages={"invalid": gettext_lazy("Enter a number of minutes.")},
    )
    intensity = forms.IntegerField(
        label=gettext_lazy("How bad?"),
        help_text=scale_key(),
        required=False,
        min_value=INTENSITY.low,
        max_value=INTENSITY.high,
        widget=forms.RadioSelect(choices=INTENSITY_CHOICES),
        error_messages={
            "min_value": filled_in(
                gettext_lazy("Intensity goes from %(low)s to %(high)s."),
                low=INTENSITY.low,
                high=INTENSITY.high,
            ),
            "max_value": filled_in(
                gettext_lazy("Intensity goes from %(low)s to %(high)s."),
                low=INTENSITY.low,
                high=INTENSITY.high,
            ),
            "required": filled_in(
                gettext_lazy("Choose an intensity from %(low)s to %(high)s."),
                low=INTENSITY.low,
                high=INTENSITY.high,
            ),
        },
    )
    sleep_disturbance = forms.IntegerField(
        label=filled_in(
            gettext_lazy("How much it disturbed your sleep (%(low)s-%(high)s, optional)"),
            low=SLEEP.low,
            high=SLEEP.high,
        ),
        required=False,
        min_value=SLEEP.low,
        max_value=SLEEP.high,
        widget=forms.NumberInput(attrs={"min": SLEEP.low, "max": SLEEP.high, "inputmode": "numeric"}),
        error_messages={
            "min_value": filled_in(
                gettext_lazy("Use a number from %(low)s to %(high)s."), low=SLEEP.low, high=SLEEP.high
            ),
            "max_value": filled_in(
                gettext_lazy("Use a number from %(low)s to %(high)s."), low=SLEEP.low, high=SLEEP.high
            ),
        },
    )
    relief = forms.MultipleChoiceField(
        label=gettext_lazy("What helped"),
        choices=Relief.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    warning_signs = forms.MultipleChoiceField(
        label=gettext_lazy("Warning signs"),
        choices=WarningSign.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    triggers = forms.CharField(
        label=gettext_lazy("Possible triggers"),
        required=False,
        max_length=limits(CrampEpisode, "triggers").max_length,
        error_messages={"max_length": TOO_LONG},
    )
    notes = forms.CharField(
        label=gettext_lazy("Notes"),
        required=False,
        max_length=limits(CrampEpisode, "notes").max_length,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": TOO_LONG},
    )

    muscle = NotRecordedChoiceField(label=gettext_lazy("Which muscle"), choices=Muscle.choices)
    side = NotRecordedChoiceField(label=gettext_lazy("Which leg"), choices=Side.choices)

    class Meta:
        model = CrampEpisode
        fields = [
            "at",
            "duration_minutes",
            "intensity",
            "muscle",
            "side",
            "woke_from_sleep",
            "sleep_disturbance",
            "relief",
            "warning_signs",
            "triggers",
            "notes",
        ]
        labels = {"woke_from_sleep": gettext_lazy("It woke me")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.duration_seconds is not None:
            self.initial["duration_minutes"] = f"{self.instance.duration_seconds / 60:g}"

    def clean_duration_minutes(self) -> float | None:
        minutes = self.cleaned_data["duration_minutes"]
        if minutes is None:
            return None
        if not math.isfinite(minutes) or minutes <= 0:
            raise forms.ValidationError(gettext("Enter how long it lasted: more than 0 minutes."))
        if minutes * 60 > DURATION.high:
            raise forms.ValidationError(
                gettext("Enter at most %(minutes)s minutes. For a longer cramp, please seek medical advice.")
                % {"minutes": DURATION.high // 60}
            )
        return minutes

    def save(self, commit=True):
        minutes = self.cleaned_data["duration_minutes"]
        self.instance.duration_seconds = None if minutes is None else max(1, round(minutes * 60))
        if minutes is not None:
            self.instance.ongoing = False
        return super().save(commit)


class CrampDetailForm(forms.Form):
    """One tap after saving: one detail of a saved cramp, set (never toggled), so sending it twice, as an offline
    phone may, changes nothing more. Only the fields sent are changed."""

    intensity = forms.TypedChoiceField(choices=INTENSITY_CHOICES, coerce=int, required=False)
    side = forms.ChoiceField(choices=Side.choices, required=False)
    muscle = forms.ChoiceField(choices=Muscle.choices, required=False)
    minutes = forms.TypedChoiceField(choices=[(m, str(m)) for m in MINUTE_CHIPS], coerce=int, required=False)
    woke = forms.ChoiceField(
        choices=[("yes", "yes"), ("no", "no")], required=False
    )  # sent by buttons, never shown
    relief_add = forms.ChoiceField(choices=Relief.choices, required=False)
    relief_remove = forms.ChoiceField(choices=Relief.choices, required=False)

    def clean(self):
        cleaned = super().clean()
        assert cleaned is not None
        if not any(name in self.data for name in self.fields) and not self.errors:
            raise forms.ValidationError(gettext("Choose a detail to add."))
        return cleaned

    def apply_to(self, cramp: CrampEpisode) -> list[str]:
        """Change `cramp` as chosen (unsaved); the names of the fields that changed."""
        data, changed = self.cleaned_data, []
        sent = {name for name in self.fields if name in self.data}
        if "intensity" in sent:
            cramp.intensity = data["intensity"]
            changed.append("intensity")
        for name in ("side", "muscle"):
            if name in sent:
                setattr(cramp, name, data[name] or None)
                changed.append(name)
        if "minutes" in sent:
            cramp.duration_seconds = data["minutes"] * 60
            cramp.ongoing = False
            changed += ["duration_seconds", "ongoing"]
        if "woke" in sent:
            cramp.woke_from_sleep = data["woke"] == "yes"
            changed.append("woke_from_sleep")
        relief = list(cramp.relief)
        if data.get("relief_add") and data["relief_add"] not in relief:
            relief.append(data["relief_add"])
        if data.get("relief_remove") in relief:
            relief.remove(data["relief_remove"])
        if relief != cramp.relief:
            cramp.relief = relief
            changed.append("relief")
        return changed


class DrinkForm(TimedEntryForm):
    amount = LocalNumberField(
        label=gettext_lazy("Amount"),
        widget=forms.NumberInput(attrs={"step": "any", "min": "1", "inputmode": "decimal"}),
        error_messages={
            "required": gettext_lazy("Enter how much you drank."),
            "invalid": gettext_lazy("Enter an amount as a number."),
        },
    )

    class Meta:
        model = Drink
        fields = ["at", "amount", "kind"]
        widgets = {"kind": forms.RadioSelect}
        labels = {"kind": pgettext_lazy("kind of drink", "Kind")}

    def __init__(self, *args, profile: Profile, **kwargs):
        self.profile = profile
        super().__init__(*args, **kwargs)
        # Translators: the label of a drink's amount, with the person's unit ("Amount (ml)").
        self.fields["amount"].label = gettext("Amount (%(unit)s)") % {"unit": profile.volume_symbol}
        if self.instance.pk:
            self.initial["amount"] = profile.from_ml(self.instance.amount_ml)
        else:
            self.initial["amount"] = profile.from_ml(250)

    def clean_amount(self) -> int:
        amount = self.cleaned_data["amount"]
        ml = self.profile.to_ml(amount) if math.isfinite(amount) else -1
        if ml <= 0:
            raise forms.ValidationError(gettext("Enter an amount greater than 0."))
        if ml > DRINK.high:
            top = self.profile.format_volume(DRINK.high)
            raise forms.ValidationError(
                gettext("That is more than one drink. Enter at most %(amount)s.") % {"amount": top}
            )
        return ml

    def save(self, commit=True):
        self.instance.amount_ml = self.cleaned_data["amount"]
        return super().save(commit)


class QuickDrinkForm(TimedEntryForm):
    """The one-tap water buttons on Today. `at` is empty (now) unless the phone kept the drink while offline
    and sends it later with the time it was logged."""

    amount_ml = forms.IntegerField(
        min_value=DRINK.low,
        max_value=DRINK.high,
        error_messages={"invalid": gettext_lazy("Choose an amount.")},
    )

    class Meta:
        model = Drink
        fields = ["at", "amount_ml"]


class ExerciseForm(TimedEntryForm):
    activity = forms.CharField(
        label=gettext_lazy("Activity"),
        max_length=limits(Exercise, "activity").max_length,
        error_messages={
            "max_length": TOO_LONG,
            "required": gettext_lazy("Say what you did, e.g. walking."),
        },
    )
    minutes = forms.IntegerField(
        label=gettext_lazy("Minutes"),
        min_value=MINUTES.low,
        max_value=MINUTES.high,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        # Django fills in the field's limit (`limit_value`) when it shows the message.
        error_messages={
            "min_value": ngettext_lazy(
                "Enter at least %(limit_value)s minute.",
                "Enter at least %(limit_value)s minutes.",
                "limit_value",
            ),
            "max_value": gettext_lazy("Enter at most %(limit_value)s minutes (a day)."),
            "required": gettext_lazy("Enter how many minutes."),
        },
    )

    class Meta:
        model = Exercise
        fields = ["at", "activity", "minutes", "effort", "heavy_sweating"]
        widgets = {"effort": forms.RadioSelect}
        labels = {"effort": gettext_lazy("Effort"), "heavy_sweating": gettext_lazy("Heavy sweating")}


class FoodChoiceField(forms.ModelMultipleChoiceField):
    """Foods as checkbox chips, each carrying the words that find it (data-words, for the "Find a food" filter)."""

    # Named as Django's: a widget's class name is its widget_type, which _field.html reads to draw chips.
    class CheckboxSelectMultiple(forms.CheckboxSelectMultiple):
        def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
            option = super().create_option(name, value, label, selected, index, subindex, attrs)
            food = getattr(value, "instance", None)
            if isinstance(food, Food):
                option["attrs"]["data-words"] = search_words(food.name, food.nutrients)
            return option

    widget = CheckboxSelectMultiple

    def label_from_instance(self, obj: Food) -> str:
        return obj.translated_name

    def _check_values(self, value):
        if not all(is_database_id(pk) for pk in value):
            raise forms.ValidationError(self.error_messages["invalid_pk_value"], code="invalid_pk_value")
        return super()._check_values(value)  # type: ignore[misc]  # Django's private method, not in the stubs


class MealForm(TimedEntryForm):
    description = forms.CharField(
        label=gettext_lazy("What you ate"),
        required=False,
        max_length=limits(Meal, "description").max_length,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"max_length": TOO_LONG},
    )
    foods = FoodChoiceField(
        label=gettext_lazy("Foods"),
        queryset=Food.objects.all(),
        required=False,
        error_messages={
            "invalid_choice": gettext_lazy("Choose foods from the list."),
            "invalid_pk_value": gettext_lazy("Choose foods from the list."),
        },
    )

    class Meta:
        model = Meal
        fields = ["at", "kind", "description", "foods"]
        widgets = {"kind": forms.RadioSelect}
        labels = {"kind": pgettext_lazy("kind of meal", "Kind")}

    def __init__(self, *args, now: datetime | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk and "kind" not in (kwargs.get("initial") or {}):
            self.initial["kind"] = self.kind_at(timezone.localtime(now or timezone.now()))

    @staticmethod
    def kind_at(moment: datetime) -> MealKind:
        """A new meal's kind by the person's local clock; editing keeps the stored kind. Bands, start included:

        - breakfast 05:00 to 10:59;
        - lunch 11:00 to 15:59;
        - dinner 16:00 to 21:59;
        - snack 22:00 to 04:59 (late evening and the night: a banana at 3 a.m. after a cramp is not breakfast).
        """
        hour = moment.hour
        if 5 <= hour < 11:
            return MealKind.BREAKFAST
        if 11 <= hour < 16:
            return MealKind.LUNCH
        if 16 <= hour < 22:
            return MealKind.DINNER
        return MealKind.SNACK

    def clean(self):
        cleaned = super().clean()
        assert cleaned is not None  # Django's clean() returns self.cleaned_data
        if not cleaned.get("description") and not cleaned.get("foods") and not self.errors:
            raise forms.ValidationError(gettext("Describe the meal or pick at least one food."))
        return cleaned


class MedicationForm(EntryForm):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=limits(Medication, "name").max_length,
        error_messages={
            "max_length": TOO_LONG,
            "required": gettext_lazy("Enter the name on the pack."),
        },
    )
    dose = forms.CharField(
        label=gettext_lazy("Dose as written on the pack"),
        required=False,
        max_length=limits(Medication, "dose").max_length,
        error_messages={"max_length": TOO_LONG},
    )

    class Meta:
        model = Medication
        fields = ["name", "dose", "kind", "started", "stopped", "as_needed"]
        # The date picker reads and writes ISO dates whatever the page's language (it shows them localised).
        widgets = {
            "kind": forms.RadioSelect,
            "started": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "stopped": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        labels = {
            "kind": pgettext_lazy("medicine or supplement", "Kind"),
            "started": pgettext_lazy("a medicine", "Started"),
            "stopped": pgettext_lazy("a medicine", "Stopped"),
            "as_needed": gettext_lazy("Taken as needed"),
        }

    def clean(self):
        cleaned = super().clean()
        assert cleaned is not None  # Django's clean() returns self.cleaned_data
        started, stopped = cleaned.get("started"), cleaned.get("stopped")
        today = timezone.localdate()
        for field in ("started", "stopped"):
            day = cleaned.get(field)
            if day and (day > today + timedelta(days=366) or day < MEDICATION_DAY.low):
                self.add_error(
                    field,
                    gettext("Choose a date between %(year)s and next year.")
                    % {"year": MEDICATION_DAY.low.year},
                )
        if started and stopped and stopped < started:
            self.add_error("stopped", gettext("The stop date is before the start date."))
        return cleaned


class NightCheckInForm(EntryForm):
    night = forms.DateField(
        widget=forms.HiddenInput, error_messages={"invalid": gettext_lazy("That night could not be read.")}
    )

    class Meta:
        model = NightCheckIn
        fields = ["night"]

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_night(self):
        night = self.cleaned_data["night"]
        zone = timezone.get_current_timezone()
        if night > last_night(timezone.now(), zone):
            raise forms.ValidationError(gettext("You can only check in for a night that has ended."))
        if night < AT.low.date():
            raise forms.ValidationError(gettext("That night is too long ago."))
        if CrampEpisode.objects.for_user(self.user).between(*night_bounds(night, zone)).exists():
            raise forms.ValidationError(
                gettext("You logged a cramp that night, so it can't be marked cramp-free.")
            )
        return night

    def save(self, commit=True):
        self.instance.at = timezone.now()
        return super().save(commit)
