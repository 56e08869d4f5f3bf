"""Sign-up, log-in, profile and account-deletion forms."""

import math
from typing import cast

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm
from django.core.validators import MaxLengthValidator

from tracker.entries.limits import limits, too_long
from tracker.models import TIME_ZONES, Profile

FLUID_TARGET = limits(Profile, "fluid_target_ml")


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
        label="Display name",
        required=False,
        max_length=limits(Profile, "display_name").max_length,
        error_messages={"max_length": too_long(limits(Profile, "display_name").max_length)},
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
        assert cleaned is not None  # Django's clean() returns self.cleaned_data
        target, unit = cleaned.get("fluid_target"), cleaned.get("volume_unit")
        if target is not None and unit:
            probe = Profile(volume_unit=unit)
            ml = probe.to_ml(target) if math.isfinite(target) else -1
            if not FLUID_TARGET.low <= ml <= FLUID_TARGET.high:
                low, high = probe.format_volume(FLUID_TARGET.low), probe.format_volume(FLUID_TARGET.high)
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
        limit = cast(forms.CharField, self.fields["username"]).max_length  # Django's UsernameField
        self.fields["username"].validators.append(
            MaxLengthValidator(limit, message=f"No username is longer than {limit} characters.")
        )


class SignUpForm(UserCreationForm):
    time_zone = forms.CharField(initial="UTC", required=False, max_length=64, widget=forms.HiddenInput)

    class Meta(UserCreationForm.Meta):  # type: ignore[name-defined]  # Django has it; the stubs leave it out
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
