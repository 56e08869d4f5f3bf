"""Finding the reminders that are due and sending each once, in batches that several workers share.

Every tick (tracker/reminders/tasks.py) claims what is due and queues the claims in batches of BATCH; each batch is
a task of its own, so every worker takes a share, and a batch pushes to at most PUSH_THREADS devices at a time, at
most PER_SERVICE to any one push service, so one slow push service holds only its own share. `send_due(now)` does
the same in one process (the tests, and a tick run by hand).

For each person with a reminder on, a reminder is due when its time has come on their clock (schedule.py) and they
have somewhere to get it (a device, a confirmed address). The claim is a ReminderSent row, unique per person, kind
and night or day, inserted before anything is sent: a second tick, on this server or another, loses on the
constraint and sends nothing, so a reminder goes out at most once, to every device and the email address together.
The batch then checks that the diary still lacks what it asks about (`needed`): if not, the claim is removed, so a
later tick decides again, as if it had never been claimed.
"""

import logging
from collections import defaultdict
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime
from threading import BoundedSemaphore, Lock

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from tracker.app import l10n
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

# What each reminder says, in the notification and the email (written in the person's language when sent).
# `path` is where a tap leads: the morning one opens Today with the cramp sheet open at "3 a.m. last night"
# (static/js/app.js reads #last-night).
WORDS = {
    ReminderKind.MORNING: {
        "title": gettext_lazy("How was last night?"),
        "body": gettext_lazy(
            "Nothing is in your diary for last night yet. No cramps? Answer here. Had cramps? Tap to log them."
        ),
        "path": "/#last-night",
    },
    ReminderKind.EVENING: {
        "title": gettext_lazy("Time for a drink of water?"),
        "body": gettext_lazy("No drinks are in your diary today yet. Tap to log one."),
        "path": "/#water-title",
    },
}


def payload(user, kind: str, for_date: date) -> dict:
    """What the service worker gets (encrypted by the push service's keys) and shows, in the person's language:
    the worker has no page to take words from. The morning one carries its two answers' words (`actions`, as
    showNotification takes them) and the outbox's name for the answer (`checkin.label`)."""
    words = WORDS[ReminderKind(kind)]
    with l10n.in_language(l10n.person_language(user.profile)):
        data: dict[str, object] = {
            "title": str(words["title"]),
            "body": str(words["body"]),
            "url": words["path"],
            "kind": kind,
            "tag": f"{kind}-{for_date.isoformat()}",
            "user": str(user.pk),
        }
        if kind == ReminderKind.MORNING:
            data["night"] = for_date.isoformat()
            data["checkin"] = {
                "url": reverse("reminders_no_cramps"),
                "token": no_cramps_token(user.pk, for_date),
                "label": gettext("No cramps last night"),
            }
            data["cramps_url"] = cramp_form_path(for_date)
            data["actions"] = [
                {"action": "no-cramps", "title": gettext("No cramps")},
                {"action": "cramps", "title": gettext("I had cramps")},
            ]
    return data


def email_address(user, prefs: ReminderSettings) -> str:
    profile = user.profile
    return user.email if prefs.by_email and user.email and profile.email_confirmed_at else ""


BATCH = 250  # reminders per task
LOOKUP = 1000  # people per query when claiming
PUSH_THREADS = 16  # pushes in flight at once in one batch
PER_SERVICE = 6  # of which to any one push service (a host)
# Pushes to one service that failed in a row (no connection, a timeout) after which the rest of the batch's are
# not tried.
GIVE_UP_AFTER = 3


def claim_due(now: datetime) -> list[int]:
    """Claim every reminder due at `now` for someone with somewhere to get it; the ids of the claims made here.

    One query for the settings (with whether each person has a device), then a few per thousand people due: what
    was already sent, the claims inserted in bulk (a claim another tick holds already is skipped by the unique
    constraint), and which are this call's (the ones carrying its own moment). Each reads the claims by the unique
    constraint's index, person first, so the table's age costs nothing."""
    wanted = (
        ReminderSettings.objects.filter(Q(morning_on=True) | Q(evening_on=True))
        .select_related("user__profile")
        .only(
            *("morning_on", "morning_at", "evening_on", "evening_at", "quiet_from", "quiet_until"),
            *("by_push", "by_email", "changed_at", "user__email", "user__profile__time_zone"),
            "user__profile__email_confirmed_at",
        )
        .annotate(has_device=Exists(PushSubscription.objects.filter(user_id=OuterRef("user_id"))))
    )
    candidates = [
        (prefs.user_id, reminder.kind, reminder.for_date)
        for prefs in wanted.iterator(chunk_size=2000)
        if (prefs.by_push and prefs.has_device) or email_address(prefs.user, prefs)
        for reminder in due(prefs, now, prefs.user.profile.zone)
    ]
    if not candidates:
        return []
    # What was already sent: after its time a reminder stays due (catch-up) until the day ends, so this is read for
    # every candidate, by the unique claim's index (person first), a thousand people a query.
    dates = {for_date for _, _, for_date in candidates}
    people = sorted({user_id for user_id, _, _ in candidates})
    already = set()
    for group in groups_of(people, LOOKUP):
        already |= set(
            ReminderSent.objects.filter(user_id__in=group, for_date__in=dates).values_list(
                "user_id", "kind", "for_date"
            )
        )
    new = [candidate for candidate in candidates if candidate not in already]
    if not new:
        return []
    claimed_at = timezone.now()  # to the microsecond: what tells this call's claims from another tick's
    ReminderSent.objects.bulk_create(
        [
            ReminderSent(user_id=user_id, kind=kind, for_date=for_date, sent_at=claimed_at)
            for user_id, kind, for_date in new
        ],
        batch_size=LOOKUP,
        ignore_conflicts=True,
    )
    mine: list[int] = []
    for group in groups_of(sorted({user_id for user_id, _, _ in new}), LOOKUP):
        mine += ReminderSent.objects.filter(
            user_id__in=group, for_date__in=dates, sent_at=claimed_at
        ).values_list("pk", flat=True)
    return sorted(mine)


def groups_of(items: list, size: int) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def batches(claims: list[int]) -> Iterable[list[int]]:
    return groups_of(claims, BATCH)


def still_needed(claims: list[ReminderSent]) -> set[int]:
    """The claims whose night or day the diary still lacks (`needed`, for a whole batch in three queries)."""
    users = {claim.user_id for claim in claims}
    nights = {claim.for_date for claim in claims if claim.kind == ReminderKind.MORNING}
    checked_in = set(
        NightCheckIn.objects.filter(user_id__in=users, night__in=nights).values_list("user_id", "night")
    )
    spans = {
        claim.pk: (night_bounds if claim.kind == ReminderKind.MORNING else day_bounds)(
            claim.for_date, claim.user.profile.zone
        )
        for claim in claims
    }
    earliest = min(start for start, _ in spans.values())
    latest = max(end for _, end in spans.values())
    logged: dict[tuple[int, str], list[datetime]] = defaultdict(list)
    for kind, model in ((ReminderKind.MORNING, CrampEpisode), (ReminderKind.EVENING, Drink)):
        if any(claim.kind == kind for claim in claims):
            for user_id, moment in model.objects.filter(
                user_id__in=users, at__gte=earliest, at__lt=latest
            ).values_list("user_id", "at"):
                logged[(user_id, kind)].append(moment)
    found = set()
    for claim in claims:
        if claim.kind == ReminderKind.MORNING and (claim.user_id, claim.for_date) in checked_in:
            continue
        start, end = spans[claim.pk]
        if any(start <= moment < end for moment in logged[(claim.user_id, claim.kind)]):
            continue
        found.add(claim.pk)
    return found


class PushPool:
    """Pushes for one batch: at most PUSH_THREADS at once, at most PER_SERVICE to one push service, and a service
    that failed GIVE_UP_AFTER times in a row is not tried again in this batch (its devices' reminders count as not
    taken; email still goes), so a push service that takes connections and never answers holds its own devices'
    share of the threads for the timeouts, never the whole batch."""

    def __init__(self) -> None:
        self.private_key = push.signing_key(push.keys()[0])
        self.services: dict[str, BoundedSemaphore] = defaultdict(lambda: BoundedSemaphore(PER_SERVICE))
        self.failures: dict[str, int] = defaultdict(int)
        self.lock = Lock()

    def send(self, device: PushSubscription, data: dict) -> str:
        service = push.service_of(device.endpoint)
        with self.lock:
            gate = self.services[service]
            if self.failures[service] >= GIVE_UP_AFTER:
                return push.FAILED
        with gate:
            if self.failures[service] >= GIVE_UP_AFTER:
                return push.FAILED
            outcome = push.deliver(device, data, self.private_key)
        with self.lock:
            self.failures[service] = self.failures[service] + 1 if outcome == push.UNREACHABLE else 0
        return outcome

    def send_all(self, work: list[tuple[PushSubscription, dict]]) -> list[str]:
        if not work:
            return []
        with ThreadPoolExecutor(max_workers=min(PUSH_THREADS, len(work))) as pool:
            return list(pool.map(lambda job: self.send(*job), work))


def send_batch(claim_ids: list[int]) -> int:
    """Send the reminders of these claims (made by claim_due); the number sent."""
    claims = list(
        ReminderSent.objects.filter(pk__in=claim_ids, pushed=0, emailed=False).select_related("user__profile")
    )
    if not claims:
        return 0
    needed_now = still_needed(claims)
    unneeded = [claim.pk for claim in claims if claim.pk not in needed_now]
    if unneeded:
        ReminderSent.objects.filter(pk__in=unneeded).delete()  # decided again by a later tick
    claims = [claim for claim in claims if claim.pk in needed_now]
    users = {claim.user_id for claim in claims}
    prefs = {row.user_id: row for row in ReminderSettings.objects.filter(user_id__in=users)}
    devices: dict[int, list[PushSubscription]] = defaultdict(list)
    for device in PushSubscription.objects.filter(
        user_id__in=[user for user in users if user in prefs and prefs[user].by_push]
    ):
        devices[device.user_id].append(device)

    work = []
    for claim in claims:
        data = payload(claim.user, claim.kind, claim.for_date)
        work += [(claim, device, data) for device in devices[claim.user_id]]
    outcomes = PushPool().send_all([(device, data) for _, device, data in work])
    pushed: dict[int, int] = defaultdict(int)
    gone = []
    for (claim, device, _), outcome in zip(work, outcomes, strict=True):
        pushed[claim.pk] += outcome == push.SENT
        if outcome == push.GONE:
            gone.append(device.pk)
    if gone:
        log.info("%s push subscriptions gone: removed", len(gone))
        PushSubscription.objects.filter(pk__in=gone).delete()

    sent = 0
    for claim in claims:
        claim.pushed = pushed[claim.pk]
        settings_row = prefs.get(claim.user_id)
        if settings_row is not None and email_address(claim.user, settings_row):
            send_reminder_email(claim.user, claim.kind, claim.for_date, WORDS[ReminderKind(claim.kind)])
            claim.emailed = True
        sent += 1
    ReminderSent.objects.bulk_update(claims, ["pushed", "emailed"], batch_size=500)
    log.info(
        "reminders sent: %s (claims %s to %s; %s of %s pushes taken, %s emails, %s no longer needed)",
        sent,
        claim_ids[0],
        claim_ids[-1],
        sum(pushed.values()),
        len(work),
        sum(claim.emailed for claim in claims),
        len(unneeded),
    )
    return sent


def send_due(now: datetime) -> int:
    """Claim and send every reminder due at `now`, here, batch after batch; the number sent."""
    return sum(send_batch(batch) for batch in batches(claim_due(now)))


SAMPLE_BODY = gettext_lazy(
    "This is how a reminder looks. They come only when your diary is missing something."
)


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
    del data["checkin"], data["night"], data["cramps_url"], data["actions"]
    data["tag"] = "test"
    with l10n.in_language(l10n.person_language(user.profile)):
        data["body"] = str(SAMPLE_BODY)
    pushed = sum(push.push(device, data) for device in devices)
    if email:
        words = {**WORDS[ReminderKind.MORNING], "body": SAMPLE_BODY}
        send_reminder_email(user, ReminderKind.MORNING, date.today(), words, sample=True)
    return pushed
