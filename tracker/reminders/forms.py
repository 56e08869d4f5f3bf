from datetime import time

from django import forms
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from tracker.models import PushSubscription, ReminderSettings
from tracker.reminders.push import allowed_endpoint, is_curve_point
from tracker.reminders.schedule import never_sent

TIMING_FIELDS = {"morning_on", "morning_at", "evening_on", "evening_at"}
MAX_DEVICES = 10


class TimeInput(forms.TimeInput):
    """The phone's own clock picker."""

    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%H:%M")


class ReminderSettingsForm(forms.ModelForm):
    class Meta:
        model = ReminderSettings
        fields = [
            "morning_on",
            "morning_at",
            "evening_on",
            "evening_at",
            "quiet_from",
            "quiet_until",
            "by_push",
            "by_email",
        ]
        labels = {
            "morning_on": gettext_lazy("Each morning, ask me how last night was"),
            "morning_at": gettext_lazy("Morning reminder at"),
            "evening_on": gettext_lazy(
                "In the evening, remind me to drink if I have logged no drinks that day"
            ),
            "evening_at": gettext_lazy("Evening reminder at"),
            "quiet_from": gettext_lazy("Quiet from"),
            "quiet_until": gettext_lazy("Quiet until"),
            "by_push": gettext_lazy("On this phone (and any other phone or computer listed below)"),
            "by_email": gettext_lazy("By email"),
        }
        help_texts = {
            "morning_on": gettext_lazy(
                "Only if you have logged nothing for last night yet. Never twice for the same night."
            ),
        }
        widgets = {name: TimeInput for name in ("morning_at", "evening_at", "quiet_from", "quiet_until")}
        error_messages = {
            name: {
                "invalid": gettext_lazy("Enter a time, for example 08:00."),
                "required": gettext_lazy("Enter a time, for example 08:00."),
            }
            for name in ("morning_at", "evening_at", "quiet_from", "quiet_until")
        }

    def __init__(self, *args, email: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email  # the confirmed address, or ""
        if email:
            self.fields["by_email"].label = gettext("By email to %(address)s") % {"address": email}
        else:
            self.fields["by_email"].help_text = gettext(
                "To get reminders by email, add your email address in your profile and confirm it."
            )

    def clean_by_email(self) -> bool:
        wanted = self.cleaned_data["by_email"]
        if wanted and not self.email:
            raise forms.ValidationError(
                gettext("Add your email address in your profile and confirm it first.")
            )
        return wanted

    def clean(self) -> dict:
        data = super().clean() or {}
        if (data.get("quiet_from") is None) != (data.get("quiet_until") is None):
            self.add_error("quiet_until", gettext("Choose both times for quiet hours, or leave both empty."))
        if (data.get("morning_on") or data.get("evening_on")) and not (
            data.get("by_push") or data.get("by_email")
        ):
            self.add_error("by_push", gettext("Choose how to be reminded: on this phone, by email, or both."))
        probe = ReminderSettings(quiet_from=data.get("quiet_from"), quiet_until=data.get("quiet_until"))
        for on, at in (("morning_on", "morning_at"), ("evening_on", "evening_at")):
            chosen: time | None = data.get(at)
            if data.get(on) and chosen is not None and never_sent(probe, chosen):
                self.add_error(
                    at,
                    gettext(
                        "%(time)s is in your quiet hours, which last until midnight, so this reminder would never "
                        "come. Choose an earlier time or change the quiet hours."
                    )
                    % {"time": f"{chosen:%H:%M}"},
                )
        return data

    def save(self, commit=True):
        if TIMING_FIELDS & set(self.changed_data):
            self.instance.changed_at = timezone.now()
        return super().save(commit)


class SubscriptionForm(forms.Form):
    """What pushManager.subscribe() gave the page, as subscription.toJSON() spells it, for `user`."""

    endpoint = forms.URLField(max_length=1000, assume_scheme="https")
    p256dh = forms.RegexField(regex=r"^[A-Za-z0-9_-]{80,100}={0,2}$", max_length=100)
    auth = forms.RegexField(regex=r"^[A-Za-z0-9_-]{16,30}={0,2}$", max_length=40)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_endpoint(self) -> str:
        endpoint = self.cleaned_data["endpoint"]
        if not allowed_endpoint(endpoint):
            raise forms.ValidationError(gettext("This browser's push service is not one we send to."))
        others = PushSubscription.objects.for_user(self.user).exclude(endpoint=endpoint)
        if others.count() >= MAX_DEVICES:  # each reminder goes to every device: a few phones and computers
            raise forms.ValidationError(
                gettext(
                    "You already have %(count)s devices getting reminders, the most there can be. Remove one you "
                    "no longer use from the list on this page, then try again."
                )
                % {"count": MAX_DEVICES}
            )
        return endpoint

    def clean_p256dh(self) -> str:
        key = self.cleaned_data["p256dh"]
        if not is_curve_point(key):
            raise forms.ValidationError(
                gettext(
                    "This browser's reminder key could not be read. Turn reminders on again, or try another browser."
                )
            )
        return key

    def save(self, device: str) -> tuple[PushSubscription, bool]:
        """The same browser subscribing again (or for another person on a shared phone) keeps one row; True when
        it is new."""
        return PushSubscription.objects.update_or_create(
            endpoint=self.cleaned_data["endpoint"],
            defaults={
                "user": self.user,
                "p256dh": self.cleaned_data["p256dh"],
                "auth": self.cleaned_data["auth"],
                "device": device,
            },
        )


class NoCrampsForm(forms.Form):
    """The "No cramps" answer a notification sends through the outbox: the signed token is the permission."""

    token = forms.CharField(max_length=300)
    uuid = forms.UUIDField()
    night = forms.DateField()


class AnswerForm(forms.Form):
    """The one button of the emailed "No cramps" page: its UUID makes a second press harmless."""

    uuid = forms.UUIDField()
