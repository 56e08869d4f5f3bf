"""Finding the reminders that are due and sending each once.

Every tick (tracker/reminders/tasks.py) calls send_due(now). For each person with a reminder on, a reminder is sent
when its time has come on their clock (schedule.py), the diary still lacks what it asks about (`needed`), and this
worker wins the claim: a ReminderSent row, unique per person, kind and night or day, inserted in its own
transaction before anything is sent. A second worker, on this server or another, loses on the constraint and
sends nothing, so a reminder goes out at most once, to every device and the email address together.
"""

import logging
from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse

from tracker.entries.nights import day_bounds, night_bounds
from tracker.models import (
    CrampEpisode,
    Drink,
    NightCheckIn,
    PushSubscription,
    ReminderKind,
    ReminderSent,
    ReminderSettings,
)
from tracker.reminders import push
from tracker.reminders.answers import cramp_form_path
from tracker.reminders.mail import send_reminder_email
from tracker.reminders.schedule import due
from tracker.reminders.tokens import no_cramps_token

log = logging.getLogger(__name__)

# What each reminder says, in the notification and the email. `path` is where a tap leads: the morning one opens
# Today with the cramp sheet open at "3 a.m. last night" (static/js/app.js reads #last-night).
WORDS = {
    ReminderKind.MORNING: {
        "title": "How was last night?",
        "body": "Nothing is in your diary for last night yet. No cramps? Answer here. Had cramps? Tap to log them.",
        "path": "/#last-night",
    },
    ReminderKind.EVENING: {
        "title": "Time for a drink of water?",
        "body": "No drinks are in your diary today yet. Tap to log one.",
        "path": "/#water-title",
    },
}


def needed(user, kind: str, for_date: date, zone) -> bool:
    """Morning: last night has no cramp and no check-in. Evening: no drink logged today."""
    if kind == ReminderKind.MORNING:
        if NightCheckIn.objects.for_user(user).filter(night=for_date).exists():
            return False
        return not CrampEpisode.objects.for_user(user).between(*night_bounds(for_date, zone)).exists()
    return not Drink.objects.for_user(user).between(*day_bounds(for_date, zone)).exists()


def claim(user, kind: str, for_date: date, now: datetime) -> ReminderSent | None:
    """The claim row if this caller won it, None if another already holds it."""
    try:
        with transaction.atomic():
            return ReminderSent.objects.create(user=user, kind=kind, for_date=for_date, sent_at=now)
    except IntegrityError:
        return None


def payload(user, kind: str, for_date: date) -> dict:
    """What the service worker gets (encrypted by the push service's keys) and shows."""
    words = WORDS[ReminderKind(kind)]
    data: dict[str, object] = {
        "title": words["title"],
        "body": words["body"],
        "url": words["path"],
        "kind": kind,
        "tag": f"{kind}-{for_date.isoformat()}",
        "user": str(user.pk),
    }
    if kind == ReminderKind.MORNING:
        data["night"] = for_date.isoformat()
        data["checkin"] = {"url": reverse("reminders_no_cramps"), "token": no_cramps_token(user.pk, for_date)}
        data["cramps_url"] = cramp_form_path(for_date)
    return data


def email_address(user, prefs: ReminderSettings) -> str:
    profile = user.profile
    return user.email if prefs.by_email and user.email and profile.email_confirmed_at else ""


def send_due(now: datetime) -> int:
    """Send every reminder due at `now`; the number sent."""
    sent = 0
    wanted = ReminderSettings.objects.filter(Q(morning_on=True) | Q(evening_on=True)).select_related(
        "user__profile"
    )
    candidates = [
        (prefs, reminder) for prefs in wanted for reminder in due(prefs, now, prefs.user.profile.zone)
    ]
    # What was already sent, for every candidate at once: after its time a reminder stays due (catch-up) until the
    # day ends, so one query a person a minute would grow with everyone who has reminders on.
    already = set(
        ReminderSent.objects.filter(
            user_id__in={prefs.user_id for prefs, _ in candidates},
            for_date__in={reminder.for_date for _, reminder in candidates},
        ).values_list("user_id", "kind", "for_date")
    )
    for prefs, reminder in candidates:
        user = prefs.user
        zone = user.profile.zone
        if (user.pk, reminder.kind, reminder.for_date) in already:
            continue
        devices = list(PushSubscription.objects.for_user(user)) if prefs.by_push else []
        email = email_address(user, prefs)
        if not devices and not email:
            continue  # nowhere to send it: nothing is claimed, so a device added later today still gets it
        if not needed(user, reminder.kind, reminder.for_date, zone):
            continue
        record = claim(user, reminder.kind, reminder.for_date, now)
        if record is None:
            continue
        data = payload(user, reminder.kind, reminder.for_date)
        record.pushed = sum(push.push(device, data) for device in devices)
        if email:
            send_reminder_email(user, reminder.kind, reminder.for_date, WORDS[ReminderKind(reminder.kind)])
            record.emailed = True
        record.save(update_fields=["pushed", "emailed"])
        log.info(
            "reminder %s sent to user %s (%s devices, email %s)",
            record.pk,
            user.pk,
            record.pushed,
            bool(email),
        )
        sent += 1
    return sent


SAMPLE_BODY = "This is how a reminder looks. They come only when your diary is missing something."


def sample_channels(user, prefs: ReminderSettings) -> tuple[list[PushSubscription], str]:
    """Where a sample goes: every device when reminders on the phone are chosen, and the confirmed address when
    reminders by email are chosen."""
    devices = list(PushSubscription.objects.for_user(user)) if prefs.by_push else []
    return devices, email_address(user, prefs)


def send_test(user) -> int:
    """A sample morning reminder to every channel the person chose, now, claiming nothing: "this is how it looks".
    The number of devices that took it (an email is queued for the mail task)."""
    prefs = ReminderSettings.objects.filter(user=user).first() or ReminderSettings(user=user)
    devices, email = sample_channels(user, prefs)
    data = payload(user, ReminderKind.MORNING, date.today())
    del data["checkin"], data["night"], data["cramps_url"]
    data["tag"] = "test"
    data["body"] = SAMPLE_BODY
    pushed = sum(push.push(device, data) for device in devices)
    if email:
        words = {**WORDS[ReminderKind.MORNING], "body": SAMPLE_BODY}
        send_reminder_email(user, ReminderKind.MORNING, date.today(), words, sample=True)
    return pushed
