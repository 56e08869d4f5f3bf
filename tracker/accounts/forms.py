"""Sign-up, log-in, profile and account-deletion forms."""

import math
from typing import cast
from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
    UserCreationForm,
)
from django.core.validators import MaxLengthValidator
from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy, pgettext_lazy

from tracker.accounts import mail
from tracker.entries.limits import TOO_LONG, LocalNumberField, limits
from tracker.models import TIME_ZONES, Profile

FLUID_TARGET = limits(Profile, "fluid_target_ml")


def zone_choices() -> list:
    """Time zones grouped by region, each shown by its city ("Europe" then "London"), with UTC first. Only the
    region/city names people pick from; the old aliases (US/..., Etc/...) are left out."""
    regions: dict[str, list[tuple[str, str]]] = {}
    for zone in TIME_ZONES:
        region, _, city = zone.partition("/")
        if region in ZONE_REGIONS and city:
            regions.setdefault(region, []).append((zone, city.replace("_", " ").replace("/", ", ")))
    return [
        ("UTC", gettext("UTC (no time zone)")),
        *(
            (str(ZONE_REGIONS[region]), sorted(cities, key=lambda c: c[1]))
            for region, cities in sorted(regions.items())
        ),
    ]


# The first part of a time zone's name, and how the list heads its group. Cities keep the time zone database's names.
ZONE_REGIONS = {
    # Translators: a heading in the list of time zones, as the time zone database names regions.
    "Africa": pgettext_lazy("time zone region", "Africa"),
    "America": pgettext_lazy("time zone region", "America"),
    "Antarctica": pgettext_lazy("time zone region", "Antarctica"),
    "Arctic": pgettext_lazy("time zone region", "Arctic"),
    "Asia": pgettext_lazy("time zone region", "Asia"),
    "Atlantic": pgettext_lazy("time zone region", "Atlantic"),
    "Australia": pgettext_lazy("time zone region", "Australia"),
    "Europe": pgettext_lazy("time zone region", "Europe"),
    # Translators: the Indian Ocean's islands (Maldives, Mauritius ...), as the time zone database names them.
    "Indian": pgettext_lazy("time zone region", "Indian"),
    "Pacific": pgettext_lazy("time zone region", "Pacific"),
}


class EmailField(forms.EmailField):
    def __init__(self, **kwargs):
        super().__init__(
            label=gettext_lazy("Email address (optional)"),
            required=False,
            max_length=254,
            help_text=gettext_lazy(
                "Only to reset a forgotten password and, if you ask for them, reminders. We send you a link to "
                "confirm it first."
            ),
            error_messages={
                "invalid": gettext_lazy(
                    "That doesn't look like an email address. Check it, or leave it empty."
                )
            },
            **kwargs,
        )


class ProfileForm(forms.ModelForm):
    time_zone = forms.ChoiceField(
        label=gettext_lazy("Where you are (for your time zone)"),
        choices=zone_choices,
        error_messages={"invalid_choice": gettext_lazy("Choose your region and nearest city from the list.")},
    )
    fluid_target = LocalNumberField(
        label=gettext_lazy("Daily fluid target"),
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
        error_messages={
            "invalid": gettext_lazy("Enter the target as a number."),
            "required": gettext_lazy("Enter a daily fluid target."),
        },
    )
    display_name = forms.CharField(
        label=gettext_lazy("Display name"),
        required=False,
        max_length=limits(Profile, "display_name").max_length,
        error_messages={"max_length": TOO_LONG},
    )

    email = EmailField()

    class Meta:
        model = Profile
        fields = ["display_name", "email", "time_zone", "volume_unit", "fluid_target"]
        widgets = {"volume_unit": forms.RadioSelect}
        labels = {"volume_unit": gettext_lazy("Volume unit")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("fluid_target", self.instance.from_ml(self.instance.fluid_target_ml))
        self.initial.setdefault("email", self.instance.user.email)
        current = self.instance.time_zone
        choices = zone_choices()
        listed = {zone for _, group in choices[1:] for zone, _ in group}
        if current not in listed and current != "UTC":
            choices.append((gettext("Your current setting"), [(current, current.replace("_", " "))]))
        cast(forms.ChoiceField, self.fields["time_zone"]).choices = choices

    @property
    def email_changed(self) -> bool:
        return self.cleaned_data.get("email", "") != self.instance.user.email

    def clean(self):
        cleaned = super().clean()
        assert cleaned is not None  # Django's clean() returns self.cleaned_data
        target, unit = cleaned.get("fluid_target"), cleaned.get("volume_unit")
        stored = self.instance
        # A new unit with the target left as it was shown: the same amount, now in the new unit (2000 ml is shown
        # as 68 fl oz), not 2000 of the new unit.
        unchanged = target is not None and math.isfinite(target)
        unchanged = unchanged and abs(target - stored.from_ml(stored.fluid_target_ml)) < 0.05
        if unit and unit != stored.volume_unit and unchanged:
            cleaned["fluid_target_ml"] = stored.fluid_target_ml
            return cleaned
        if target is not None and unit:
            probe = Profile(volume_unit=unit)
            ml = probe.to_ml(target) if math.isfinite(target) else -1
            if not FLUID_TARGET.low <= ml <= FLUID_TARGET.high:
                low, high = probe.format_volume(FLUID_TARGET.low), probe.format_volume(FLUID_TARGET.high)
                self.add_error(
                    "fluid_target",
                    gettext("Choose a target between %(low)s and %(high)s a day.")
                    % {"low": low, "high": high},
                )
            else:
                cleaned["fluid_target_ml"] = ml
        return cleaned

    def save(self, commit=True):
        self.instance.fluid_target_ml = self.cleaned_data["fluid_target_ml"]
        if self.email_changed:  # a new address is used only once it is confirmed
            user = self.instance.user
            user.email = self.cleaned_data["email"]
            user.save(update_fields=["email"])
            self.instance.email_confirmed_at = None
        return super().save(commit)


class LoginForm(AuthenticationForm):
    """Django's login form with the username's length checked before anything looks it up. Django sets the
    field's max_length only for the browser; a longer name can't be anyone's, and the login throttle would try to
    store it in a 255-character column."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit = cast(forms.CharField, self.fields["username"]).max_length  # Django's UsernameField
        self.fields["username"].validators.append(
            MaxLengthValidator(
                limit, message=gettext("No username is longer than %(limit)s characters.") % {"limit": limit}
            )
        )


class SignUpForm(UserCreationForm):
    time_zone = forms.CharField(initial="UTC", required=False, max_length=64, widget=forms.HiddenInput)
    display_name = forms.CharField(
        label=gettext_lazy("Your name, as the diary greets you (optional)"),
        required=False,
        max_length=limits(Profile, "display_name").max_length,
        help_text=gettext_lazy("Any name you like: spaces and accents are welcome."),
        error_messages={"max_length": TOO_LONG},
    )
    email = EmailField()

    class Meta(UserCreationForm.Meta):  # type: ignore[name-defined]  # Django has it; the stubs leave it out
        model = get_user_model()
        fields = ["display_name", "username", "email"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        username = self.fields["username"]
        # The cursor starts in the first box, the name, not in the second (Django's form puts it in the username).
        username.widget.attrs.pop("autofocus", None)
        self.fields["display_name"].widget.attrs.update({"autofocus": True, "autocomplete": "name"})
        username.label = gettext("A username to log in with")
        username.help_text = gettext(
            "One word you'll remember: letters and numbers, and . _ - @ + if you like. No spaces."
        )
        username.error_messages["invalid"] = gettext(
            "A username can't have spaces or other marks: try joining the words with a dot, like mary.smith."
        )
        username.error_messages["unique"] = gettext(
            "That username is taken. Please choose another, like mary.smith2."
        )
        self.fields["password1"].label = gettext("A password")
        self.fields["password1"].help_text = RULES_FOR_A_NEW_ONE
        self.fields["password2"].label = gettext("Type the password again")
        self.fields["password2"].help_text = ""

    def clean_time_zone(self) -> str:
        """Filled by the browser; an unknown zone falls back to UTC and can be changed in the profile."""
        zone = self.cleaned_data.get("time_zone") or ""
        return zone if zone in TIME_ZONES else "UTC"


def password_is_right(request, user, password: str) -> bool:
    """Check a password typed into a signed-in form through the login's own throttle (django-axes): a wrong one
    counts toward the same lockout as a wrong log-in, and a locked-out person is refused even with the right one."""
    return authenticate(request, username=user.get_username(), password=password) is not None


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=gettext_lazy("Password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=gettext_lazy("Type your password to confirm."),
    )

    def __init__(self, *args, user, request, **kwargs):
        self.user, self.request = user, request
        super().__init__(*args, **kwargs)

    def clean_password(self):
        if not password_is_right(self.request, self.user, self.cleaned_data["password"]):
            raise forms.ValidationError(gettext("That password is not right."))
        return ""


class ThrottledPasswordChangeForm(PasswordChangeForm):
    """Django's password change, with the old password checked through the login throttle."""

    def __init__(self, user, *args, request=None, **kwargs):
        self.request = request
        super().__init__(user, *args, **kwargs)

    def clean_old_password(self):
        old = self.cleaned_data["old_password"]
        if not password_is_right(self.request, self.user, old):
            raise forms.ValidationError(self.error_messages["password_incorrect"], code="password_incorrect")
        return old


RULES_FOR_A_NEW_ONE = gettext_lazy(
    "At least 10 characters, not only numbers, not a common password, and not like your username."
)


class NewPasswordForm(SetPasswordForm):
    """Django's new-password form in plain words."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].help_text = RULES_FOR_A_NEW_ONE
        self.fields["new_password1"].label = gettext("A new password")
        self.fields["new_password2"].label = gettext("Type the new password again")
        self.fields["new_password2"].help_text = ""


class ResetForm(PasswordResetForm):
    """Django's password reset, sent only to a confirmed address. The request only queues the worker's half
    (mail.send_password_reset), for any address, so the answer takes as long for an unknown address as for a known
    one; the worker finds the accounts and sends the links, which start from settings.SITE_URL."""

    email = forms.EmailField(
        label=gettext_lazy("Your email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "invalid": gettext_lazy("That doesn't look like an email address."),
            "required": gettext_lazy("Enter your email address."),
        },
    )

    def get_users(self, email):
        return (
            user
            for user in super().get_users(email)
            if getattr(user.profile, "email_confirmed_at", None) is not None
        )

    def save(self, *args, **kwargs) -> None:
        mail.send_password_reset.enqueue(self.cleaned_data["email"])

    def send_links(self) -> None:
        """In the worker: Django's own reset, one link for each account get_users finds."""
        super().save(domain_override=urlsplit(settings.SITE_URL).netloc)

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        path = reverse("password_reset_confirm", kwargs={"uidb64": context["uid"], "token": context["token"]})
        mail.send_message.call(
            to_email, *mail.rendered("registration/email/reset", {**context, "link": mail.site_link(path)})
        )
