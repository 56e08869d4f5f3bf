import math
import uuid
from datetime import UTC, date, datetime, timedelta
from zoneinfo import available_timezones

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm
from django.core.validators import MaxLengthValidator
from django.utils import timezone

from knowledge.models import Food
from tracker.models import (
    MAX_CRAMP_SECONDS,
    MAX_DRINK_ML,
    CrampEpisode,
    Drink,
    Exercise,
    Meal,
    Medication,
    NightCheckIn,
    Profile,
    Relief,
    VolumeUnit,
    WarningSign,
)
from tracker.nights import last_night, night_bounds

FUTURE_GRACE = timedelta(minutes=5)
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
EARLIEST_MEDICATION = date(1950, 1, 1)
TIME_ZONES = sorted(available_timezones() - {"localtime", "Factory"})


MAX_ID = 2**63 - 1  # the largest id a database's bigint column holds


def is_database_id(value) -> bool:
    """Whether `value` can be an id at all: a whole number from 1 to MAX_ID. Out-of-range numbers would make
    an `__in` lookup fail on SQLite instead of simply matching nothing."""
    try:
        return 1 <= int(str(value)) <= MAX_ID
    except ValueError:
        return False


def too_long(limit: int) -> str:
    return f"Keep this under {limit} characters."


class LocalDateTimeInput(forms.DateTimeInput):
    """A phone's native date and time picker; values are read and shown in the person's time zone."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class EntryForm(forms.ModelForm):
    """Fields every entry form shares: the client's UUID, which makes a repeated submission harmless."""

    uuid = forms.UUIDField(
        widget=forms.HiddenInput,
        error_messages={"invalid": "This form was damaged or out of date. Please try again."},
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

    at = forms.DateTimeField(
        label="When",
        required=False,
        widget=LocalDateTimeInput,
        help_text="Leave empty for now.",
        error_messages={"invalid": "Enter a date and time, for example 2026-03-01 03:00."},
    )

    def clean_at(self) -> datetime:
        at = self.cleaned_data.get("at")
        now = timezone.now()
        if at is None:
            return self.instance.at if self.instance.pk else now
        if at > now + FUTURE_GRACE:
            raise forms.ValidationError("That time is in the future. Choose a time up to now.")
        if at < EARLIEST:
            raise forms.ValidationError("That date is too long ago. Choose a date from 2000 on.")
        return at


class CrampForm(TimedEntryForm):
    duration_minutes = forms.FloatField(
        label="How long (minutes)",
        initial=3,
        widget=forms.NumberInput(attrs={"step": "any", "min": "0.1", "max": "180", "inputmode": "decimal"}),
        error_messages={
            "required": "Enter how long it lasted, in minutes.",
            "invalid": "Enter a number of minutes.",
        },
    )
    intensity = forms.IntegerField(
        label="How strong (0 = none, 10 = worst)",
        initial=5,
        min_value=0,
        max_value=10,
        widget=forms.NumberInput(attrs={"type": "range", "min": 0, "max": 10, "step": 1}),
        error_messages={
            "min_value": "Intensity goes from 0 to 10.",
            "max_value": "Intensity goes from 0 to 10.",
            "required": "Choose an intensity from 0 to 10.",
        },
    )
    sleep_disturbance = forms.IntegerField(
        label="How much it disturbed your sleep (0-10, optional)",
        required=False,
        min_value=0,
        max_value=10,
        widget=forms.NumberInput(attrs={"min": 0, "max": 10, "inputmode": "numeric"}),
        error_messages={"min_value": "Use a number from 0 to 10.", "max_value": "Use a number from 0 to 10."},
    )
    relief = forms.MultipleChoiceField(
        label="What helped", choices=Relief.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    warning_signs = forms.MultipleChoiceField(
        label="Warning signs",
        choices=WarningSign.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    triggers = forms.CharField(
        label="Possible triggers",
        required=False,
        max_length=200,
        error_messages={"max_length": too_long(200)},
    )
    notes = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": too_long(2000)},
    )

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
        widgets = {"muscle": forms.RadioSelect, "side": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["duration_minutes"] = round(self.instance.duration_seconds / 60, 2)

    def clean_duration_minutes(self) -> float:
        minutes = self.cleaned_data["duration_minutes"]
        if not math.isfinite(minutes) or minutes <= 0:
            raise forms.ValidationError("Enter how long it lasted: more than 0 minutes.")
        if minutes * 60 > MAX_CRAMP_SECONDS:
            raise forms.ValidationError(
                "Enter at most 180 minutes. For a longer cramp, please seek medical advice."
            )
        return minutes

    def save(self, commit=True):
        self.instance.duration_seconds = max(1, round(self.cleaned_data["duration_minutes"] * 60))
        return super().save(commit)


class DrinkForm(TimedEntryForm):
    amount = forms.FloatField(
        label="Amount",
        widget=forms.NumberInput(attrs={"step": "any", "min": "1", "inputmode": "decimal"}),
        error_messages={"required": "Enter how much you drank.", "invalid": "Enter an amount as a number."},
    )

    class Meta:
        model = Drink
        fields = ["at", "amount", "kind"]
        widgets = {"kind": forms.RadioSelect}

    def __init__(self, *args, profile: Profile, **kwargs):
        self.profile = profile
        super().__init__(*args, **kwargs)
        unit = "fl oz" if profile.volume_unit == VolumeUnit.FL_OZ else "ml"
        self.fields["amount"].label = f"Amount ({unit})"
        if self.instance.pk:
            self.initial["amount"] = profile.from_ml(self.instance.amount_ml)
        else:
            self.initial["amount"] = profile.from_ml(250)

    def clean_amount(self) -> int:
        amount = self.cleaned_data["amount"]
        ml = self.profile.to_ml(amount) if math.isfinite(amount) else -1
        if ml <= 0:
            raise forms.ValidationError("Enter an amount greater than 0.")
        if ml > MAX_DRINK_ML:
            top = self.profile.format_volume(MAX_DRINK_ML)
            raise forms.ValidationError(f"That is more than one drink. Enter at most {top}.")
        return ml

    def save(self, commit=True):
        self.instance.amount_ml = self.cleaned_data["amount"]
        return super().save(commit)


class QuickDrinkForm(TimedEntryForm):
    """The one-tap water buttons on Today. `at` is empty (now) unless the phone kept the drink while offline
    and sends it later with the time it was logged."""

    amount_ml = forms.IntegerField(
        min_value=1, max_value=MAX_DRINK_ML, error_messages={"invalid": "Choose an amount."}
    )

    class Meta:
        model = Drink
        fields = ["at", "amount_ml"]


class ExerciseForm(TimedEntryForm):
    activity = forms.CharField(
        max_length=80,
        error_messages={"max_length": too_long(80), "required": "Say what you did, e.g. walking."},
    )
    minutes = forms.IntegerField(
        min_value=1,
        max_value=1440,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "min_value": "Enter at least 1 minute.",
            "max_value": "Enter at most 1440 minutes (a day).",
            "required": "Enter how many minutes.",
        },
    )

    class Meta:
        model = Exercise
        fields = ["at", "activity", "minutes", "effort", "heavy_sweating"]
        widgets = {"effort": forms.RadioSelect}


class FoodChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Food) -> str:
        return obj.name

    def _check_values(self, value):
        if not all(is_database_id(pk) for pk in value):
            raise forms.ValidationError(self.error_messages["invalid_pk_value"], code="invalid_pk_value")
        return super()._check_values(value)


class MealForm(TimedEntryForm):
    description = forms.CharField(
        label="What you ate",
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"max_length": too_long(300)},
    )
    foods = FoodChoiceField(
        queryset=Food.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": "Choose foods from the list.",
            "invalid_pk_value": "Choose foods from the list.",
        },
    )

    class Meta:
        model = Meal
        fields = ["at", "kind", "description", "foods"]
        widgets = {"kind": forms.RadioSelect}

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("description") and not cleaned.get("foods") and not self.errors:
            raise forms.ValidationError("Describe the meal or pick at least one food.")
        return cleaned


class MedicationForm(EntryForm):
    name = forms.CharField(
        max_length=100,
        error_messages={"max_length": too_long(100), "required": "Enter the name on the pack."},
    )
    dose = forms.CharField(
        label="Dose as written on the pack",
        required=False,
        max_length=100,
        error_messages={"max_length": too_long(100)},
    )

    class Meta:
        model = Medication
        fields = ["name", "dose", "kind", "started", "stopped", "as_needed"]
        widgets = {
            "kind": forms.RadioSelect,
            "started": forms.DateInput(attrs={"type": "date"}),
            "stopped": forms.DateInput(attrs={"type": "date"}),
        }

    def clean(self):
        cleaned = super().clean()
        started, stopped = cleaned.get("started"), cleaned.get("stopped")
        today = timezone.localdate()
        for field in ("started", "stopped"):
            day = cleaned.get(field)
            if day and (day > today + timedelta(days=366) or day < EARLIEST_MEDICATION):
                self.add_error(field, "Choose a date between 1950 and next year.")
        if started and stopped and stopped < started:
            self.add_error("stopped", "The stop date is before the start date.")
        return cleaned


class NightCheckInForm(EntryForm):
    night = forms.DateField(
        widget=forms.HiddenInput, error_messages={"invalid": "That night could not be read."}
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
            raise forms.ValidationError("You can only check in for a night that has ended.")
        if night < EARLIEST.date():
            raise forms.ValidationError("That night is too long ago.")
        if CrampEpisode.objects.for_user(self.user).between(*night_bounds(night, zone)).exists():
            raise forms.ValidationError("You logged a cramp that night, so it can't be marked cramp-free.")
        return night

    def save(self, commit=True):
        self.instance.at = timezone.now()
        return super().save(commit)


class ProfileForm(forms.ModelForm):
    time_zone = forms.ChoiceField(
        choices=[(z, z) for z in TIME_ZONES],
        error_messages={"invalid_choice": "Choose a time zone from the list."},
    )
    fluid_target = forms.FloatField(
        label="Daily fluid target",
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
        error_messages={
            "invalid": "Enter the target as a number.",
            "required": "Enter a daily fluid target.",
        },
    )
    display_name = forms.CharField(
        label="Display name", required=False, max_length=60, error_messages={"max_length": too_long(60)}
    )

    class Meta:
        model = Profile
        fields = ["display_name", "time_zone", "volume_unit", "fluid_target"]
        widgets = {"volume_unit": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("fluid_target", self.instance.from_ml(self.instance.fluid_target_ml))

    def clean(self):
        cleaned = super().clean()
        target, unit = cleaned.get("fluid_target"), cleaned.get("volume_unit")
        if target is not None and unit:
            probe = Profile(volume_unit=unit)
            ml = probe.to_ml(target) if math.isfinite(target) else -1
            if not 500 <= ml <= 6000:
                low, high = probe.format_volume(500), probe.format_volume(6000)
                self.add_error("fluid_target", f"Choose a target between {low} and {high} a day.")
            else:
                cleaned["fluid_target_ml"] = ml
        return cleaned

    def save(self, commit=True):
        self.instance.fluid_target_ml = self.cleaned_data["fluid_target_ml"]
        return super().save(commit)


class LoginForm(AuthenticationForm):
    """Django's login form with the username's length checked before anything looks it up. Django sets the
    field's max_length only for the browser; a longer name can't be anyone's, and the login throttle would try to
    store it in a 255-character column."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit = self.fields["username"].max_length
        self.fields["username"].validators.append(
            MaxLengthValidator(limit, message=f"No username is longer than {limit} characters.")
        )


class SignUpForm(UserCreationForm):
    time_zone = forms.CharField(initial="UTC", required=False, max_length=64, widget=forms.HiddenInput)

    class Meta(UserCreationForm.Meta):
        model = get_user_model()
        fields = ["username"]

    def clean_time_zone(self) -> str:
        """Filled by the browser; an unknown zone falls back to UTC and can be changed in the profile."""
        zone = self.cleaned_data.get("time_zone") or ""
        return zone if zone in TIME_ZONES else "UTC"


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="Type your password to confirm.",
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        if not self.user.check_password(self.cleaned_data["password"]):
            raise forms.ValidationError("That password is not right.")
        return ""
