"""Reminders: sent at the chosen local time only when the diary lacks that night or day, once however many devices
and workers, signed and encrypted for a real (test) push service, by email through a real SMTP server with one-click
unsubscribe, and answered "No cramps" from the notification."""

import socket
import threading
import time as clock_time
import uuid
from contextlib import contextmanager
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests import push_service
from tests.conftest import confirmed, cramp, drink
from tracker.models import (
    NightCheckIn,
    PushSubscription,
    ReminderSent,
    ReminderSettings,
    VapidKey,
)
from tracker.reminders import push, sending
from tracker.reminders.forms import ReminderSettingsForm
from tracker.reminders.mail import email_off_url
from tracker.reminders.sending import send_due
from tracker.reminders.tasks import send_sample
from tracker.reminders.tokens import email_off_token, no_cramps_token, read_email_off

pytestmark = pytest.mark.django_db
LONDON, LA = ZoneInfo("Europe/London"), ZoneInfo("America/Los_Angeles")
VALID_KEY = push.new_key_pair()[1]  # a browser's public key: a point on the P-256 curve


@pytest.fixture
def push_receiver(settings):
    service, server = push_service.start()
    settings.PUSH_SERVICES = ["127.0.0.1"]
    yield service
    server.shutdown()
    server.server_close()


def add_device(user, service) -> PushSubscription:
    subscription = service.subscribe()
    return PushSubscription.objects.create(
        user=user, endpoint=subscription.endpoint, p256dh=subscription.p256dh,
        auth=push_service.b64encode(subscription.auth), device="Chrome on Android",
    )  # fmt: skip


def remind(user, **fields) -> ReminderSettings:
    values = {
        "morning_on": True,
        "morning_at": time(8, 0),
        "changed_at": datetime(2026, 1, 1, tzinfo=UTC),
        **fields,
    }
    prefs, _ = ReminderSettings.objects.update_or_create(user=user, defaults=values)
    return prefs


def at(zone: ZoneInfo, *args) -> datetime:
    return datetime(*args, tzinfo=zone)


@pytest.fixture
def recorded(monkeypatch):
    """Pushes recorded instead of sent over HTTP, for the tests about timing (the push service test sends real ones)."""
    sent: list[tuple[int, dict]] = []

    def fake_deliver(device, data, private_key):
        sent.append((device.pk, data))
        return push.SENT

    monkeypatch.setattr(push, "deliver", fake_deliver)
    return sent


def sends_between(start: datetime, end: datetime) -> list[datetime]:
    """Tick once a minute from `start` to `end` (UTC) and list the minutes at which something was sent."""
    moments = []
    now = start.astimezone(UTC)  # real time: minutes added to a local time would walk the wall clock
    while now <= end:
        if send_due(now):
            moments.append(now)
        now += timedelta(minutes=1)
    return moments


# The push service ------------------------------------------------------------------------------------------------


def test_it_pushes_the_reminder_signed_and_encrypted_to_the_push_service(alice, push_receiver):
    remind(alice)
    device = add_device(alice, push_receiver)
    assert send_due(at(LONDON, 2026, 5, 12, 8, 0)) == 1
    assert push_receiver.refused == []
    [message] = push_receiver.received
    assert message.signer == push.public_key()  # signed with this installation's key
    assert message.claims["aud"] == push_receiver.origin
    reminder = push_receiver.payloads()[0]
    assert reminder["title"] == "How was last night?"
    assert "No cramps?" in reminder["body"]
    assert reminder["night"] == "2026-05-11" and reminder["url"] == "/#last-night"
    assert reminder["checkin"]["url"] == reverse("reminders_no_cramps")
    assert int(message.headers["ttl"]) == push.TIME_TO_LIVE
    assert ReminderSent.objects.get(user=alice).pushed == 1
    assert PushSubscription.objects.filter(pk=device.pk).exists()


def test_a_push_with_a_forged_signature_is_refused_by_the_test_service(alice, push_receiver, settings):
    """The receiver's checks can fail: a key other than the one the header names signs nothing it accepts."""
    remind(alice)
    add_device(alice, push_receiver)
    other_private, _ = push.new_key_pair()
    real_sign = push_service.verify_vapid

    def swap_key(authorization, audience):
        scheme, _, params = authorization.partition(" ")
        parts = dict(item.split("=", 1) for item in params.split(","))
        _, other_public = push.new_key_pair()
        return real_sign(f"{scheme} t={parts['t']},k={other_public}", audience)

    push_service.verify_vapid = swap_key
    try:
        send_due(at(LONDON, 2026, 5, 12, 8, 0))
    finally:
        push_service.verify_vapid = real_sign
    assert push_receiver.received == [] and push_receiver.refused
    assert "InvalidSignature" in push_receiver.refused[0]


@pytest.mark.parametrize("status", [404, 410])
def test_a_subscription_the_push_service_calls_gone_is_removed(alice, push_receiver, status):
    remind(alice)
    gone = add_device(alice, push_receiver)
    kept = add_device(alice, push_receiver)
    push_receiver.answers[gone.endpoint.removeprefix(push_receiver.origin)] = status
    send_due(at(LONDON, 2026, 5, 12, 8, 0))
    assert not PushSubscription.objects.filter(pk=gone.pk).exists()
    assert PushSubscription.objects.filter(pk=kept.pk).exists()
    assert len(push_receiver.received) == 1
    assert ReminderSent.objects.get(user=alice).pushed == 1


def test_a_push_service_error_keeps_the_subscription(alice, push_receiver):
    remind(alice)
    device = add_device(alice, push_receiver)
    push_receiver.answers[device.endpoint.removeprefix(push_receiver.origin)] = 503
    send_due(at(LONDON, 2026, 5, 12, 8, 0))
    assert PushSubscription.objects.filter(pk=device.pk).exists()


def test_the_key_pair_is_made_once_and_kept(db):
    assert VapidKey.objects.count() == 0
    first = push.keys()
    assert push.keys() == first and VapidKey.objects.count() == 1
    assert len(push_service.b64decode(first[1])) == 65  # an uncompressed P-256 point


def test_a_key_from_the_environment_wins(db, settings, alice, push_receiver):
    private, public = push.new_key_pair()
    settings.VAPID_PRIVATE_KEY = private
    assert push.keys() == (private, public)
    remind(alice)
    add_device(alice, push_receiver)
    send_due(at(LONDON, 2026, 5, 12, 8, 0))
    assert push_receiver.received[0].signer == public
    assert VapidKey.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_two_servers_making_the_key_at_once_share_one(db):
    barrier = threading.Barrier(2)
    made = push.new_key_pair
    found = []

    def slow_new_key_pair():
        pair = made()
        barrier.wait(timeout=10)  # both have decided to make a key before either stores it
        return pair

    def server():
        try:
            found.append(push.keys())
        finally:
            connection.close()

    push.new_key_pair = slow_new_key_pair
    try:
        threads = [threading.Thread(target=server) for _ in range(2)]
        [thread.start() for thread in threads]
        [thread.join(20) for thread in threads]
    finally:
        push.new_key_pair = made
    assert len(found) == 2 and found[0] == found[1]
    assert VapidKey.objects.count() == 1


# Only when needed --------------------------------------------------------------------------------------------------

MORNING_CASES = [
    # (what the diary holds, sent?)
    ("nothing", True),
    ("a check-in for last night", False),
    ("a cramp at 03:00 last night", False),
    ("a cramp at 21:00 yesterday evening", False),  # the night runs from noon
    ("a cramp at 10:00 yesterday morning", True),  # the night before last
    ("a check-in for the night before", True),
    ("a drink yesterday evening", True),  # the morning reminder asks about cramps only
]


@pytest.mark.parametrize(("diary", "sent"), MORNING_CASES)
def test_the_morning_reminder_comes_only_when_last_night_is_missing(alice, recorded, diary, sent):
    remind(alice)
    add = {
        "a check-in for last night": lambda: NightCheckIn.objects.create(
            user=alice, at=at(LONDON, 2026, 5, 12, 7, 0), night=date(2026, 5, 11)
        ),
        "a cramp at 03:00 last night": lambda: cramp(alice, at(LONDON, 2026, 5, 12, 3, 0)),
        "a cramp at 21:00 yesterday evening": lambda: cramp(alice, at(LONDON, 2026, 5, 11, 21, 0)),
        "a cramp at 10:00 yesterday morning": lambda: cramp(alice, at(LONDON, 2026, 5, 11, 10, 0)),
        "a check-in for the night before": lambda: NightCheckIn.objects.create(
            user=alice, at=at(LONDON, 2026, 5, 11, 7, 0), night=date(2026, 5, 10)
        ),
        "a drink yesterday evening": lambda: drink(alice, at(LONDON, 2026, 5, 11, 20, 0)),
    }
    PushSubscription.objects.create(user=alice, endpoint="https://fcm.googleapis.com/x", p256dh="p", auth="a")
    if diary in add:
        add[diary]()
    assert send_due(at(LONDON, 2026, 5, 12, 8, 0)) == int(sent)
    assert len(recorded) == int(sent)
    assert ReminderSent.objects.filter(user=alice).count() == int(sent)


EVENING_CASES = [
    ("nothing", True),
    ("a drink at 07:00 today", False),
    ("a drink at 00:10 today", False),
    ("a drink at 23:50 yesterday", True),
    ("a cramp today", True),  # the evening reminder asks about drinks only
]


@pytest.mark.parametrize(("diary", "sent"), EVENING_CASES)
def test_the_evening_reminder_comes_only_when_no_drink_was_logged_that_day(alice, recorded, diary, sent):
    remind(alice, morning_on=False, evening_on=True, evening_at=time(18, 0))
    add = {
        "a drink at 07:00 today": lambda: drink(alice, at(LONDON, 2026, 5, 12, 7, 0)),
        "a drink at 00:10 today": lambda: drink(alice, at(LONDON, 2026, 5, 12, 0, 10)),
        "a drink at 23:50 yesterday": lambda: drink(alice, at(LONDON, 2026, 5, 11, 23, 50)),
        "a cramp today": lambda: cramp(alice, at(LONDON, 2026, 5, 12, 9, 0)),
    }
    PushSubscription.objects.create(user=alice, endpoint="https://fcm.googleapis.com/x", p256dh="p", auth="a")
    if diary in add:
        add[diary]()
    assert send_due(at(LONDON, 2026, 5, 12, 18, 0)) == int(sent)
    assert [data["title"] for _, data in recorded] == ["Time for a drink of water?"] * int(sent)


def test_nothing_is_sent_before_the_time_or_when_reminders_are_off(alice, recorded):
    remind(alice, morning_on=False)
    PushSubscription.objects.create(user=alice, endpoint="https://fcm.googleapis.com/x", p256dh="p", auth="a")
    assert send_due(at(LONDON, 2026, 5, 12, 9, 0)) == 0
    remind(alice)
    assert send_due(at(LONDON, 2026, 5, 12, 7, 59)) == 0
    assert recorded == [] and ReminderSent.objects.count() == 0


def test_with_nowhere_to_send_nothing_is_claimed_and_a_device_added_later_still_gets_it(alice, recorded):
    remind(alice)
    assert send_due(at(LONDON, 2026, 5, 12, 8, 0)) == 0
    assert ReminderSent.objects.count() == 0
    PushSubscription.objects.create(user=alice, endpoint="https://fcm.googleapis.com/x", p256dh="p", auth="a")
    assert send_due(at(LONDON, 2026, 5, 12, 9, 30)) == 1  # catches up the same morning


def test_a_reminder_switched_on_after_its_time_starts_the_next_day(alice, recorded):
    remind(alice, changed_at=at(LONDON, 2026, 5, 12, 10, 0))
    PushSubscription.objects.create(user=alice, endpoint="https://fcm.googleapis.com/x", p256dh="p", auth="a")
    assert sends_between(at(LONDON, 2026, 5, 12, 10, 0), at(LONDON, 2026, 5, 12, 23, 59)) == []
    assert send_due(at(LONDON, 2026, 5, 13, 8, 0)) == 1


# Never twice -------------------------------------------------------------------------------------------------------


def test_a_tick_after_everyones_reminder_was_sent_costs_the_same_few_queries(recorded):
    """After its time a reminder stays due until the day ends; what was sent is read for everyone at once."""
    from django.test.utils import CaptureQueriesContext

    from tests.conftest import make_person

    def tick_queries(people: int) -> int:
        for n in range(people):
            person = make_person(f"p{people}x{n}", "Europe/London")
            remind(person)
            PushSubscription.objects.create(
                user=person, endpoint=f"https://fcm.googleapis.com/{person.username}", p256dh="p", auth="a"
            )
            ReminderSent.objects.create(
                user=person, kind="morning", for_date=date(2026, 5, 11), sent_at=at(LONDON, 2026, 5, 12, 8)
            )
        with CaptureQueriesContext(connection) as captured:
            assert send_due(at(LONDON, 2026, 5, 12, 9, 0)) == 0
        return len(captured)

    assert tick_queries(2) == tick_queries(8) == 2
    assert recorded == []


def test_never_twice_for_the_same_night_on_any_number_of_devices(alice, push_receiver):
    remind(alice, evening_on=True, evening_at=time(18, 0))
    devices = [add_device(alice, push_receiver) for _ in range(3)]
    for hour, minute in ((8, 0), (8, 1), (9, 0), (11, 59), (18, 0), (18, 5), (23, 59)):
        send_due(at(LONDON, 2026, 5, 12, hour, minute))
    paths = sorted(message.path for message in push_receiver.received)
    assert len(paths) == 6  # each of 3 devices: one morning, one evening
    assert paths == sorted(d.endpoint.removeprefix(push_receiver.origin) for d in devices for _ in range(2))
    assert ReminderSent.objects.filter(user=alice).count() == 2
    send_due(at(LONDON, 2026, 5, 13, 8, 0))  # the next night is a new reminder
    assert len(push_receiver.received) == 9


@pytest.mark.django_db(transaction=True)
def test_two_workers_racing_send_one_reminder(alice, recorded, monkeypatch):
    """Both workers find the reminder due before either claims it; the unique claim lets one through."""
    remind(alice)
    PushSubscription.objects.create(user=alice, endpoint="https://fcm.googleapis.com/x", p256dh="p", auth="a")
    barrier = threading.Barrier(2)
    real_due = sending.due

    def due_then_wait(*args):
        answer = real_due(*args)
        barrier.wait(timeout=10)  # both have found it due; neither has read what was claimed
        return answer

    monkeypatch.setattr(sending, "due", due_then_wait)
    counts = []

    def worker():
        try:
            counts.append(send_due(at(LONDON, 2026, 5, 12, 8, 0)))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    [thread.start() for thread in threads]
    [thread.join(30) for thread in threads]
    assert sorted(counts) == [0, 1]
    assert len(recorded) == 1
    assert ReminderSent.objects.filter(user=alice).count() == 1


def test_a_claim_already_taken_sends_nothing(alice, recorded):
    """What the losing worker meets: the row exists, so its insert is skipped and nothing goes out."""
    remind(alice)
    PushSubscription.objects.create(user=alice, endpoint="https://fcm.googleapis.com/x", p256dh="p", auth="a")
    ReminderSent.objects.create(
        user=alice, kind="morning", for_date=date(2026, 5, 11), sent_at=timezone.now()
    )
    assert send_due(at(LONDON, 2026, 5, 12, 8, 0)) == 0 and recorded == []


# Daylight saving ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("zone", "night", "expected_utc"),
    [
        # London springs forward at 01:00 GMT on 29 March 2026 (01:00 -> 02:00): 02:30 BST exists, 01:30 UTC.
        ("Europe/London", date(2026, 3, 28), datetime(2026, 3, 29, 1, 30, tzinfo=UTC)),
        # Los Angeles springs forward at 02:00 PST on 8 March 2026 (02:00 -> 03:00): 02:30 never shows; the clock
        # first passes it at 03:00 PDT, 10:00 UTC.
        ("America/Los_Angeles", date(2026, 3, 7), datetime(2026, 3, 8, 10, 0, tzinfo=UTC)),
    ],
)
def test_0230_on_a_spring_forward_night_is_sent_once_at_the_right_instant(
    alice, recorded, zone, night, expected_utc
):
    alice.profile.time_zone = zone
    alice.profile.save()
    remind(alice, morning_at=time(2, 30))
    PushSubscription.objects.create(user=alice, endpoint="https://fcm.googleapis.com/x", p256dh="p", auth="a")
    start = datetime.combine(night + timedelta(days=1), time(0, 0), tzinfo=ZoneInfo(zone))  # local midnight
    assert sends_between(start, start + timedelta(hours=12)) == [expected_utc]
    assert [data["night"] for _, data in recorded] == [night.isoformat()]


def test_a_time_the_clock_shows_twice_in_autumn_is_sent_the_first_time(alice, recorded):
    remind(alice, morning_at=time(1, 30))  # London, 25 October 2026: 02:00 BST goes back to 01:00 GMT
    PushSubscription.objects.create(user=alice, endpoint="https://fcm.googleapis.com/x", p256dh="p", auth="a")
    start = datetime(2026, 10, 25, 0, 0, tzinfo=UTC)
    assert sends_between(start, start + timedelta(hours=12)) == [datetime(2026, 10, 25, 0, 30, tzinfo=UTC)]


# Quiet hours -------------------------------------------------------------------------------------------------------


def test_a_reminder_inside_quiet_hours_waits_for_their_end(alice, recorded):
    remind(alice, morning_at=time(6, 30), quiet_from=time(22, 0), quiet_until=time(7, 15))
    PushSubscription.objects.create(user=alice, endpoint="https://fcm.googleapis.com/x", p256dh="p", auth="a")
    start = at(LONDON, 2026, 5, 12, 0, 0)
    assert sends_between(start, start + timedelta(hours=12)) == [at(LONDON, 2026, 5, 12, 7, 15)]


def test_a_late_tick_inside_quiet_hours_sends_nothing(alice, recorded):
    """The worker was down at 21:00 and back at 22:05, in quiet hours that run past midnight: no evening reminder."""
    remind(
        alice,
        morning_on=False,
        evening_on=True,
        evening_at=time(21, 0),
        quiet_from=time(22, 0),
        quiet_until=time(7, 0),
    )
    PushSubscription.objects.create(user=alice, endpoint="https://fcm.googleapis.com/x", p256dh="p", auth="a")
    assert sends_between(at(LONDON, 2026, 5, 12, 22, 5), at(LONDON, 2026, 5, 13, 6, 59)) == []
    assert send_due(at(LONDON, 2026, 5, 13, 21, 30)) == 1  # the next evening, on time


def test_the_form_refuses_a_reminder_that_quiet_hours_would_swallow():
    form = ReminderSettingsForm(
        {"evening_on": "on", "evening_at": "23:00", "morning_at": "08:00", "quiet_from": "22:00",
         "quiet_until": "07:00", "by_push": "on"},
        email="",
    )  # fmt: skip
    assert not form.is_valid()
    assert "would never come" in form.errors["evening_at"][0]
    form = ReminderSettingsForm(
        {"morning_on": "on", "morning_at": "06:00", "evening_at": "18:00", "quiet_from": "22:00",
         "quiet_until": "07:00", "by_push": "on"},
        email="",
    )  # fmt: skip
    assert form.is_valid(), form.errors  # held until 07:00 the same morning


# Email -------------------------------------------------------------------------------------------------------------


@pytest.fixture
def smtp(smtp, settings):
    """The shared SMTP server (tests/conftest.py), with the address reminder emails link to."""
    settings.SITE_URL = "https://diary.example.org"
    return smtp


def test_the_email_reminder_arrives_with_one_click_unsubscribe(alice, smtp):
    confirmed(alice)
    cramp(alice, at(LONDON, 2026, 5, 10, 3, 0), notes="Zyxomagnol secret note")
    remind(alice, by_push=False, by_email=True)
    assert send_due(at(LONDON, 2026, 5, 12, 8, 0)) == 1
    [message] = smtp.messages
    assert message["To"] == "alice@example.org" and message["Subject"] == "How was last night?"
    # The address signed when the message was made (the signature carries the second it was made in).
    off = message["List-Unsubscribe"].strip().removeprefix("<").removesuffix(">")  # folded: a long address
    assert off.startswith("https://diary.example.org/reminders/email-off/")
    assert read_email_off(off.rstrip("/").rsplit("/", 1)[1]) == alice.pk
    assert len(off) == len(email_off_url(alice.pk))
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert "https://diary.example.org/log/cramp/?night=2026-05-11" in text and off in text
    assert off in message.get_body(preferencelist=("html",)).get_content()  # the footer link
    assert "zyxomagnol" not in message.as_string().lower()
    assert ReminderSent.objects.get(user=alice).emailed

    # The mail app's one-click: a POST with no login, no cookie and no CSRF token (RFC 8058).
    mail_app = Client(enforce_csrf_checks=True)
    answer = mail_app.post(off.removeprefix("https://diary.example.org"), {"List-Unsubscribe": "One-Click"})
    assert answer.status_code == 200 and b"Email reminders are off" in answer.content
    assert ReminderSettings.objects.get(user=alice).by_email is False
    assert send_due(at(LONDON, 2026, 5, 13, 8, 0)) == 0
    assert len(smtp.messages) == 1


def test_an_unconfirmed_address_gets_no_reminder(alice, smtp):
    alice.email = "alice@example.org"
    alice.save()
    remind(alice, by_push=False, by_email=True)
    assert send_due(at(LONDON, 2026, 5, 12, 8, 0)) == 0
    assert smtp.messages == []


def test_the_footer_link_asks_first_and_a_bad_token_changes_nothing(alice, bob):
    remind(alice, by_push=False, by_email=True)
    remind(bob, by_push=False, by_email=True)
    client = Client(enforce_csrf_checks=True)
    url = reverse("reminders_email_off", args=[email_off_token(alice.pk)])
    page = client.get(url)
    assert page.status_code == 200 and b"Stop email reminders" in page.content
    assert ReminderSettings.objects.get(user=alice).by_email  # a link checker's GET changes nothing
    for token in (
        "nonsense",
        email_off_token(alice.pk)[:-2] + "xx",
        no_cramps_token(alice.pk, date(2026, 5, 11)),
    ):
        response = client.post(reverse("reminders_email_off", args=[token]))
        assert response.status_code == 404
    assert ReminderSettings.objects.get(user=alice).by_email
    assert b"Email reminders are off" in client.post(url).content
    assert ReminderSettings.objects.get(user=alice).by_email is False
    assert ReminderSettings.objects.get(user=bob).by_email  # only the token's owner


# "No cramps" from the notification ----------------------------------------------------------------------------------


def answer(client, user, for_night: date, **overrides):
    data = {
        "token": no_cramps_token(user.pk, for_night),
        "uuid": str(uuid.uuid4()),
        "night": for_night.isoformat(),
        **overrides,
    }
    return client.post(reverse("reminders_no_cramps"), data, headers={"Accept": "application/json"})


def test_no_cramps_from_the_notification_stores_one_check_in(alice, bob):
    client = Client(
        enforce_csrf_checks=True
    )  # the service worker sends no form token and may have no session
    night = timezone.localdate(timezone.now(), alice.profile.zone) - timedelta(days=1)
    first = answer(client, alice, night)
    assert first.status_code == 200 and first.json()["saved"]
    again = answer(client, alice, night)  # a second tap, another device: still one
    assert again.status_code == 200
    assert NightCheckIn.objects.filter(user=alice, night=night).count() == 1
    assert not NightCheckIn.objects.filter(user=bob).exists()


def test_no_cramps_refuses_a_bad_token_another_night_or_a_night_with_a_cramp(alice):
    client = Client(enforce_csrf_checks=True)
    night = timezone.localdate(timezone.now(), alice.profile.zone) - timedelta(days=1)
    assert answer(client, alice, night, token="forged").status_code == 400
    assert answer(client, alice, night, night=(night - timedelta(days=1)).isoformat()).status_code == 400
    assert answer(client, alice, night, token=email_off_token(alice.pk)).status_code == 400
    cramp(alice, datetime.combine(night + timedelta(days=1), time(3, 0), tzinfo=alice.profile.zone))
    refused = answer(client, alice, night)
    assert refused.status_code == 400 and "cramp" in refused.json()["message"]
    assert NightCheckIn.objects.filter(user=alice).count() == 0


# The settings page -------------------------------------------------------------------------------------------------


def test_the_settings_page_saves_in_plain_words(alice_client, alice):
    page = alice_client.get(reverse("reminders"))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Remind me on this phone" in text and "Each morning, ask me how last night was" in text
    assert 'data-public-key="' + push.public_key() + '"' in text
    assert "Add an email address in your profile" in text
    response = alice_client.post(
        reverse("reminders"),
        {"morning_on": "on", "morning_at": "07:30", "evening_at": "18:00", "by_push": "on"},
    )
    assert response.status_code == 302
    prefs = ReminderSettings.objects.get(user=alice)
    assert prefs.morning_on and prefs.morning_at == time(7, 30) and not prefs.by_email


def test_email_needs_a_confirmed_address_and_some_channel_is_needed(alice_client, alice):
    refused = alice_client.post(
        reverse("reminders"),
        {"morning_on": "on", "morning_at": "08:00", "evening_at": "18:00", "by_email": "on"},
    )
    assert refused.status_code == 400 and "confirm it first" in refused.content.decode()
    refused = alice_client.post(
        reverse("reminders"), {"morning_on": "on", "morning_at": "08:00", "evening_at": "18:00"}
    )
    assert refused.status_code == 400 and "Choose how to be reminded" in refused.content.decode()
    confirmed(alice)
    assert "By email to alice@example.org" in alice_client.get(reverse("reminders")).content.decode()
    ok = alice_client.post(
        reverse("reminders"),
        {"morning_on": "on", "morning_at": "08:00", "evening_at": "18:00", "by_email": "on"},
    )
    assert ok.status_code == 302 and ReminderSettings.objects.get(user=alice).by_email


def test_an_iphone_is_told_about_the_home_screen_and_email(alice_client):
    iphone = (
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        "Version/17.4 Mobile/15E148 Safari/604.1"
    )
    text = alice_client.get(reverse("reminders"), headers={"User-Agent": iphone}).content.decode()
    note = text[text.index("data-ios-note") - 40 : text.index("instead (below)")]
    assert "hidden" not in note.split(">")[0]
    assert "Home Screen" in note and "iOS 16.4" in note and "by email" in note
    plain = alice_client.get(reverse("reminders")).content.decode()
    assert "data-ios-note hidden" in plain


def test_a_device_is_added_whole_listed_and_removed(alice_client, alice, bob, push_receiver):
    bob_client = Client()  # not the `client` fixture, which alice_client is
    bob_client.force_login(bob)
    subscription = push_receiver.subscribe()
    android = "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Mobile Safari/537.36"
    added = alice_client.post(
        reverse("reminder_device_add"),
        subscription.as_json(),
        content_type="application/json",
        headers={"User-Agent": android},
    )
    assert added.status_code == 200 and added.json()["saved"]
    device = PushSubscription.objects.get(user=alice)
    assert device.endpoint == subscription.endpoint and device.device == "Chrome on Android"
    page = alice_client.get(reverse("reminders")).content.decode()
    assert "Chrome on Android" in page and "Remove" in page
    assert bob_client.post(reverse("reminder_device_remove", args=[device.pk])).status_code == 404
    assert alice_client.post(reverse("reminder_device_remove", args=[device.pk])).status_code == 302
    assert not PushSubscription.objects.exists()


@pytest.mark.parametrize(
    "endpoint",
    [
        "https://evil.example/push",
        "http://fcm.googleapis.com/x",
        "https://fcm.googleapis.com.evil.example/x",
        "ftp://127.0.0.1/x",
        "javascript:alert(1)",
        # Read as the allowed host by urlsplit, but the HTTP client (urllib3) connects to 127.0.0.2.
        "https://127.0.0.2\\@push.services.mozilla.com/wpush/v2/x",
        "https://127.0.0.2\\@fcm.googleapis.com/x",
        "https://someone:secret@fcm.googleapis.com/x",
        "https://fcm.googleapis.com@127.0.0.2/x",
        "https://fcm.googleapis.com#@127.0.0.2/x",
        "https://fcm.googleapis.com:443/x",
        "https://fcm.googleapis.com:8443/x",
        "https://fcm.googleapis.com:99999/x",
        "https://fcm.googleapis.com./x",
    ],
)
def test_an_endpoint_outside_the_push_services_is_refused(alice_client, endpoint, settings):
    settings.PUSH_SERVICES = ["fcm.googleapis.com", "push.services.mozilla.com", "127.0.0.1"]
    body = {"endpoint": endpoint, "keys": {"p256dh": VALID_KEY, "auth": "A" * 22}}
    response = alice_client.post(reverse("reminder_device_add"), body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["message"] in (
        "This browser's push service is not one we send to.",
        "Enter a valid URL.",
    )
    assert not PushSubscription.objects.exists()


@pytest.mark.parametrize(
    "endpoint",
    [
        "https://fcm.googleapis.com/fcm/send/cX9:APA91b-_x",
        "https://updates.push.services.mozilla.com/wpush/v2/gAAAAABn-_x",
        "https://wns2-par02p.notify.windows.com/w/?token=BQYAAAB%2bx%3d",
    ],
)
def test_the_push_services_own_addresses_are_taken(alice_client, endpoint):
    body = {"endpoint": endpoint, "keys": {"p256dh": VALID_KEY, "auth": "A" * 22}}
    response = alice_client.post(reverse("reminder_device_add"), body, content_type="application/json")
    assert response.status_code == 200, response.json()
    assert PushSubscription.objects.get().endpoint == endpoint


@pytest.mark.parametrize("p256dh", ["B" + "A" * 86, "B" + "_" * 86, "A" * 87])
def test_a_key_that_is_not_a_point_on_the_curve_is_refused_in_words(alice_client, p256dh):
    body = {"endpoint": "https://fcm.googleapis.com/fcm/send/x", "keys": {"p256dh": p256dh, "auth": "A" * 22}}
    response = alice_client.post(reverse("reminder_device_add"), body, content_type="application/json")
    assert response.status_code == 400
    assert "could not be read" in response.json()["message"]
    assert not PushSubscription.objects.exists()


@pytest.mark.parametrize(
    "endpoint, p256dh",
    [("https://fcm.googleapis.com:99999/x", None), ("https://fcm.googleapis.com/x", "B" + "A" * 86)],
)
def test_a_device_saved_before_these_checks_makes_the_sample_fail_quietly_in_the_worker(
    alice_client, alice, endpoint, p256dh
):
    """The sample is queued (the tests run tasks at once): the page answers, and the task returns without raising."""
    PushSubscription.objects.create(user=alice, endpoint=endpoint, p256dh=p256dh or VALID_KEY, auth="A" * 22)
    response = alice_client.post(reverse("reminder_test"), follow=True)
    assert response.status_code == 200
    assert "Sending a sample now" in response.content.decode()
    assert send_sample.call(alice.pk) == 0


def test_an_account_has_at_most_ten_devices(alice_client, alice, push_receiver):
    for _ in range(10):
        add_device(alice, push_receiver)
    again = PushSubscription.objects.for_user(alice).first()
    assert again is not None
    extra = push_receiver.subscribe().as_json()
    response = alice_client.post(reverse("reminder_device_add"), extra, content_type="application/json")
    assert response.status_code == 400
    assert "10 devices" in response.json()["message"] and "Remove one" in response.json()["message"]
    assert PushSubscription.objects.for_user(alice).count() == 10
    # The same browser subscribing again is not one more device.
    same = {**extra, "endpoint": again.endpoint}
    response = alice_client.post(reverse("reminder_device_add"), same, content_type="application/json")
    assert response.status_code == 200


def test_the_sample_reminder_reaches_every_device(alice_client, alice, push_receiver):
    add_device(alice, push_receiver)
    add_device(alice, push_receiver)
    response = alice_client.post(reverse("reminder_test"), follow=True)
    assert "Sending a sample now: it should arrive within a minute." in response.content.decode()
    assert len(push_receiver.received) == 2
    assert "checkin" not in push_receiver.payloads()[0]  # a sample can't answer for a night
    assert ReminderSent.objects.count() == 0


@contextmanager
def silent_push_service():
    """A push service on 127.0.0.1 that takes the connection and never answers: the listening socket's backlog
    completes the handshake, and nothing ever reads or replies. Yields (listener, an endpoint there)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    listener.setblocking(False)
    try:
        yield listener, f"http://127.0.0.1:{listener.getsockname()[1]}/wpush/v2/sample"
    finally:
        listener.close()


def connections_to(listener: socket.socket) -> int:
    count = 0
    while True:
        try:
            taken, _ = listener.accept()
        except BlockingIOError:
            return count
        taken.close()
        count += 1


def test_the_sample_is_queued_so_a_push_service_that_never_answers_holds_no_request(
    alice_client, alice, settings, monkeypatch
):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.PUSH_SERVICES = ["127.0.0.1"]
    with silent_push_service() as (listener, endpoint):
        PushSubscription.objects.create(user=alice, endpoint=endpoint, p256dh=VALID_KEY, auth="A" * 22)
        started = clock_time.monotonic()
        response = alice_client.post(reverse("reminder_test"))
        assert clock_time.monotonic() - started < 2
        assert response.status_code == 302 and response.url == reverse("reminders")
        assert connections_to(listener) == 0  # nothing was pushed inside the request
        page = alice_client.get(reverse("reminders")).content.decode()
        assert "Sending a sample now: it should arrive within a minute." in page

        # The worker's turn: it waits out its read timeout (cut here from 10 s), gives up and returns.
        [queued] = DBTaskResult.objects.ready()
        monkeypatch.setattr(push, "TIMEOUT", (0.5, 0.5))
        started = clock_time.monotonic()
        took = queued.task.call(*queued.args_kwargs["args"], **queued.args_kwargs["kwargs"])
        assert 0.5 <= clock_time.monotonic() - started < 5
        assert took == 0
        assert connections_to(listener) == 1
    assert PushSubscription.objects.for_user(alice).count() == 1  # no answer is not "gone"


# The clock ---------------------------------------------------------------------------------------------------------


def test_start_reminders_queues_one_tick_however_often_it_runs(settings):
    from tracker.reminders.tasks import tick, waiting_ticks

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    call_command("start_reminders")
    call_command("start_reminders")
    [waiting] = waiting_ticks()
    assert waiting.task_path == tick.module_path
    assert waiting.run_after.second == 0 and waiting.run_after > timezone.now()


def test_a_tick_queues_the_next_minute_then_sends(settings, alice, recorded, clock):
    from django_tasks_db.models import DBTaskResult

    from tracker.reminders import tasks

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    remind(alice)
    PushSubscription.objects.create(user=alice, endpoint="https://fcm.googleapis.com/x", p256dh="p", auth="a")
    clock.at(at(LONDON, 2026, 5, 12, 8, 0, 20), tick=False)
    assert tasks.tick.call() == 1  # what db_worker runs: it claims the reminder and queues its batch
    [waiting] = tasks.waiting_ticks()
    assert waiting.run_after == at(LONDON, 2026, 5, 12, 8, 1)
    assert recorded == []
    [batch] = DBTaskResult.objects.ready().filter(task_path=tasks.send_reminders.module_path)
    assert batch.task.call(*batch.args_kwargs["args"]) == 1  # a worker's turn
    assert len(recorded) == 1
    assert tasks.tick.call() == 0  # already sent; the next tick is still the one waiting
    assert tasks.waiting_ticks().count() == 1


def test_a_push_never_reaches_an_address_that_is_not_public_whatever_the_name_resolves_to(
    alice, settings, monkeypatch
):
    """push.example is on the allow-list but resolves (in this test, as a hostile DNS answer would) to this machine:
    the connection is dropped before a byte is sent, and the device stays (a 410 from an internal service used to
    delete it, which told the person what answered there). Private networks and cloud metadata addresses are not
    public either (ipaddress's is_global)."""
    settings.PUSH_SERVICES = ["push.example"]
    real_getaddrinfo = socket.getaddrinfo

    def hostile_dns(host, *args, **kwargs):
        return real_getaddrinfo("127.0.0.2" if host == "push.example" else host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", hostile_dns)
    heard: list[bytes] = []
    with socket.socket() as listener:  # what would answer at the internal address
        listener.bind(("127.0.0.2", 443))
        listener.listen()
        listener.settimeout(3)

        def listen() -> None:
            try:
                conn, _ = listener.accept()
                conn.settimeout(1)
                with conn:
                    heard.append(conn.recv(1024))
            except OSError:
                pass

        thread = threading.Thread(target=listen)
        thread.start()
        device = PushSubscription.objects.create(
            user=alice, endpoint="https://push.example/wpush/x", p256dh=VALID_KEY, auth="A" * 22
        )
        assert push.allowed_endpoint(device.endpoint)
        assert push.push(device, {"title": "test"}) is False
        thread.join()
    assert heard in ([], [b""])  # connected, then closed unspoken: no TLS hello, no request
    assert PushSubscription.objects.filter(pk=device.pk).exists()


def test_saving_reminders_that_cannot_arrive_says_so_and_what_to_do(alice_client, alice):
    """No phone set up and no confirmed address: "Reminders saved." alone would promise reminders that never come."""
    alice.email = "alice@example.org"
    alice.save()  # given, not yet confirmed
    response = alice_client.post(
        reverse("reminders"),
        {"morning_on": "on", "morning_at": "08:00", "evening_at": "18:00", "by_push": "on"},
        follow=True,
    )
    text = " ".join(response.content.decode().split())
    assert "Reminders saved." not in text
    assert "Your choices are saved, but no reminder will arrive yet. To get them, tap “Remind me" in text
    assert "No reminder can reach you yet." in text  # the "Try it" card
    assert "tap “Remind me on this phone”" in text and "confirm your address" in text
    assert "Once you choose how to be reminded" not in text  # the "Try it" card: that was done
    assert "Send a sample reminder now" not in text


def test_saving_reminders_that_can_arrive_says_saved(alice_client, alice):
    confirmed(alice)
    response = alice_client.post(
        reverse("reminders"),
        {"morning_on": "on", "morning_at": "08:00", "evening_at": "18:00", "by_email": "on"},
        follow=True,
    )
    text = response.content.decode()
    assert "Reminders saved." in text and "no reminder will arrive" not in text
    assert "Send a sample reminder now" in text
