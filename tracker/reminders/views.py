"""More -> Reminders: the settings, this device's Web Push subscription, the devices listed with Remove, a test
reminder; and the token pages that need no login: "No cramps" from a notification or from an email, and email
reminders off."""

import json
import logging
import uuid
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from tracker.app.http import AuthedHtmxRequest
from tracker.diary.forms import NightCheckInForm
from tracker.entries.saving import create_entry
from tracker.models import NightCheckIn, Profile, PushSubscription, ReminderSettings
from tracker.reminders import push
from tracker.reminders.answers import cramp_form_path, is_last_night, night_name, no_cramps_noted
from tracker.reminders.devices import device_name, is_ios
from tracker.reminders.forms import AnswerForm, NoCrampsForm, ReminderSettingsForm, SubscriptionForm
from tracker.reminders.samples import ask_for_sample
from tracker.reminders.sending import sample_channels
from tracker.reminders.tokens import read_email_off, read_no_cramps

log = logging.getLogger(__name__)


NOWHERE_FOR_A_SAMPLE = gettext_lazy(
    "There is nowhere to send a sample yet. Tap “Remind me on this phone”, or choose “By email” under "
    "“How to remind me” and save, then try again."
)


def sample_destinations(devices: list[PushSubscription], email: str) -> str:
    """Where a sample would go, in words: "Chrome on Android, Firefox on Windows and alice@example.org"."""
    places = [str(device) for device in devices] + ([email] if email else [])
    if len(places) < 2:
        return "".join(places)
    # Translators: the end of a list of phones, computers and an email address: "Chrome on Android, Firefox on
    # Windows and alice@example.org" (`items` is all but the last, separated by commas).
    return gettext("%(items)s and %(last)s") % {"items": ", ".join(places[:-1]), "last": places[-1]}


# What to do when no reminder can reach the person, as whole sentences: (the phone's step, the email's step). The
# phone's: no phone set up yet, or the phone's reminders not chosen; the email's: the address waits for its
# confirmation, there is none, or email reminders are not chosen.
TO_GET_THEM = {
    ("no phone", "unconfirmed"): gettext_lazy(
        "To get them, tap “Remind me on this phone” at the top of this page and allow notifications, or open the "
        "link in the email we sent to confirm your address."
    ),
    ("no phone", "no email"): gettext_lazy(
        "To get them, tap “Remind me on this phone” at the top of this page and allow notifications, or add your "
        "email address in your profile and confirm it."
    ),
    ("no phone", "email off"): gettext_lazy(
        "To get them, tap “Remind me on this phone” at the top of this page and allow notifications, or tick "
        "“By email” under “How to remind me” and save."
    ),
    ("phone off", "unconfirmed"): gettext_lazy(
        "To get them, tick “On this phone” under “How to remind me” and save, or open the link in the email we "
        "sent to confirm your address."
    ),
    ("phone off", "no email"): gettext_lazy(
        "To get them, tick “On this phone” under “How to remind me” and save, or add your email address in your "
        "profile and confirm it."
    ),
    ("phone off", "email off"): gettext_lazy(
        "To get them, tick “On this phone” under “How to remind me” and save, or tick “By email” under “How to "
        "remind me” and save."
    ),
}


def why_nothing_arrives(prefs: ReminderSettings, devices: list, email: str, has_email: bool) -> str:
    """What to do ("To get them, ...") when no reminder can reach the person: no phone set up for the ones chosen on
    the phone, no confirmed address for the ones by email. '' when one can."""
    if (prefs.by_push and devices) or (prefs.by_email and email):
        return ""
    # Past the test above, the phone lacks a device or is not chosen, and the email lacks an address or is not
    # chosen: one step for each.
    phone = "phone off" if devices else "no phone"
    by_email = "email off" if email else ("unconfirmed" if has_email else "no email")
    return str(TO_GET_THEM[(phone, by_email)])


def confirmed_email(user) -> str:
    return user.email if user.email and user.profile.email_confirmed_at else ""


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def reminders(request: AuthedHtmxRequest) -> HttpResponse:
    prefs, _ = ReminderSettings.objects.get_or_create(user=request.user)
    email = confirmed_email(request.user)
    form = ReminderSettingsForm(request.POST or None, instance=prefs, email=email)
    devices = list(PushSubscription.objects.for_user(request.user))
    has_email = bool(request.user.email)
    if request.method == "POST" and form.is_valid():
        form.save()
        nothing = why_nothing_arrives(prefs, devices, email, has_email)
        if not (prefs.morning_on or prefs.evening_on):
            messages.success(request, gettext("Reminders saved. Both are off, so none will come."))
        elif nothing:
            messages.warning(
                request,
                gettext("Your choices are saved, but no reminder will arrive yet. %(what_to_do)s")
                % {"what_to_do": nothing},
            )
        else:
            messages.success(request, gettext("Reminders saved."))
        return redirect("reminders")
    user_agent = request.headers.get("User-Agent", "")
    context = {
        "form": form,
        "devices": devices,
        "sample_to": sample_destinations(devices if prefs.by_push else [], email if prefs.by_email else ""),
        "public_key": push.public_key(),
        "email": email,
        "has_email": has_email,
        # Once a reminder is on, the "Try it" card says why none can arrive rather than "once you choose".
        "nothing_arrives": why_nothing_arrives(prefs, devices, email, has_email)
        if prefs.morning_on or prefs.evening_on
        else "",
        "ios": is_ios(user_agent),
    }
    return render(request, "tracker/reminders.html", context, status=400 if form.errors else 200)


@require_POST
@login_required
def device_add(request: AuthedHtmxRequest) -> JsonResponse:
    """This browser's subscription, posted by static/js/reminders.js as JSON after the person's tap."""
    try:
        found = json.loads(request.body or b"{}")
        keys = found.get("keys") or {}
        data = {"endpoint": found.get("endpoint"), "p256dh": keys.get("p256dh"), "auth": keys.get("auth")}
    except (ValueError, AttributeError):
        data = {}
    form = SubscriptionForm(data, user=request.user)
    if not form.is_valid():
        reason = next(iter(form.errors.values()))[0] if form.errors else gettext("That could not be read.")
        return JsonResponse({"saved": False, "message": reason}, status=400)
    device, created = form.save(device_name(request.headers.get("User-Agent", "")))
    if created:
        log.info("push subscription %s added for user %s", device.pk, request.user.pk)
        messages.success(request, gettext("Done: %(device)s will get your reminders.") % {"device": device})
    return JsonResponse(
        {"saved": True, "device": str(device), "message": gettext("This phone will get your reminders.")}
    )


@require_POST
@login_required
def device_remove(request: AuthedHtmxRequest, pk: int) -> HttpResponse:
    device = get_object_or_404(PushSubscription.objects.for_user(request.user), pk=pk)
    name = str(device)
    device.delete()
    messages.success(request, gettext("%(device)s removed: it gets no more reminders.") % {"device": name})
    return redirect("reminders")


@require_POST
@login_required
def send_test_reminder(request: AuthedHtmxRequest) -> HttpResponse:
    """Queued, never pushed here: a push service that is slow or never answers would hold this request. One waits
    at a time per person, at a pace (samples.py)."""
    prefs = ReminderSettings.objects.filter(user=request.user).first() or ReminderSettings(user=request.user)
    devices, email = sample_channels(request.user, prefs)
    if not devices and not email:
        messages.error(request, str(NOWHERE_FOR_A_SAMPLE))
        return redirect("reminders")
    refused = ask_for_sample(request.user)
    if refused:
        messages.error(request, refused)
    else:
        messages.success(request, gettext("Sending a sample now: it should arrive within a minute."))
    return redirect("reminders")


def record_no_cramps(user, night: date, entry_uuid) -> tuple[bool, str]:
    """A "No cramps" check-in for `user`'s `night`, once per night whatever the UUID: (recorded now or before,
    what to tell the person)."""
    now, zone = timezone.now(), user.profile.zone
    with timezone.override(user.profile.zone):
        checkin = NightCheckInForm({"uuid": entry_uuid, "night": night.isoformat()}, user=user)
        if checkin.is_valid():
            _, created = create_entry(checkin, user)
            return True, no_cramps_noted(night, now, zone, before=not created)
    if NightCheckIn.objects.for_user(user).filter(night=night).exists():
        return True, no_cramps_noted(night, now, zone, before=True)
    return False, str(next(iter(checkin.errors.values()))[0])


@csrf_exempt  # sent by the service worker, which has no form token; the signed token is the permission
@require_POST
def no_cramps(request: HttpRequest) -> JsonResponse:
    """ "No cramps" from a morning notification, sent by the outbox (kept until sent, like an offline entry)."""
    form = NoCrampsForm(request.POST)
    found = read_no_cramps(form.data.get("token", "")) if form.is_valid() else None
    if found is None or found[1] != form.cleaned_data["night"]:
        return JsonResponse(
            {
                "saved": False,
                "message": gettext("This answer is too old or damaged. Open the diary to log last night."),
            },
            status=400,
        )
    user_id, night = found
    profile = get_object_or_404(Profile.objects.select_related("user"), user_id=user_id)
    saved, message = record_no_cramps(profile.user, night, form.cleaned_data["uuid"])
    return JsonResponse({"saved": saved, "message": message}, status=200 if saved else 400)


# Opened from an email, maybe in a mail app's own browser that keeps no cookies: the signed token is the permission.
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def answer_no_cramps(request: HttpRequest, token: str) -> HttpResponse:
    """The reminder email's "No cramps last night" link, for one person and night, logged in or not. GET shows one
    button and changes nothing (mail scanners open links); its POST records the check-in."""
    found = read_no_cramps(token)
    profile = None
    if found is not None:
        profile = Profile.objects.select_related("user").filter(user_id=found[0]).first()
    if found is None or profile is None:
        return render(request, "tracker/reminders/answer.html", {"bad": True}, status=404)
    night = found[1]
    context: dict[str, object] = {
        "last_night": is_last_night(night, timezone.now(), profile.zone),
        "night_name": night_name(night),
        "night": night,
        "cramps_link": cramp_form_path(night),
    }
    if request.method == "POST":
        form = AnswerForm(request.POST)
        entry_uuid = form.cleaned_data["uuid"] if form.is_valid() else uuid.uuid4()
        saved, message = record_no_cramps(profile.user, night, entry_uuid)
        if saved:
            log.info("no cramps answered from an email for user %s", profile.user_id)
        context.update(done=saved, message=message)
        return render(request, "tracker/reminders/answer.html", context, status=200 if saved else 400)
    if NightCheckIn.objects.for_user(profile.user).filter(night=night).exists():
        context.update(done=True, message=no_cramps_noted(night, timezone.now(), profile.zone, before=True))
    else:
        context["uuid"] = uuid.uuid4()
    return render(request, "tracker/reminders/answer.html", context)


@csrf_exempt  # RFC 8058: the mail provider's one-click POST carries no form token; the signed token is the permission
@require_http_methods(["GET", "HEAD", "POST"])
def email_off(request: HttpRequest, token: str) -> HttpResponse:
    """The link in every reminder email. GET shows a button (link checkers must not unsubscribe anyone); POST, from
    that button or from the mail app's one-click unsubscribe, turns email reminders off."""
    user_id = read_email_off(token)
    if user_id is None:
        return render(request, "tracker/reminders_email_off.html", {"bad": True}, status=404)
    if request.method == "POST":
        with transaction.atomic():
            ReminderSettings.objects.filter(user_id=user_id).update(by_email=False)
        log.info("email reminders turned off for user %s", user_id)
        return render(request, "tracker/reminders_email_off.html", {"done": True})
    return render(request, "tracker/reminders_email_off.html", {"token": token})
