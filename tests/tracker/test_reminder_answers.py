"""The morning reminder answered where it is read: the email holds "No cramps last night" as its own link, signed for
that person and night, whose page has one button that records the check-in, logged in or not. Opening the link (a
mail scanner does) records nothing; a second press says it is already recorded; an old or changed link says so and
changes nothing. "I had cramps" opens the cramp form for that night, from the email and from the notification."""

import re
import uuid
from datetime import UTC, date, datetime, time
from urllib.parse import urlsplit

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse

from tests.conftest import confirmed, cramp
from tracker.models import NightCheckIn, PushSubscription, ReminderSettings
from tracker.reminders import push
from tracker.reminders.sending import payload, send_due
from tracker.reminders.tokens import NO_CRAMPS_SALT, email_off_token, no_cramps_token

pytestmark = pytest.mark.django_db
SITE = "https://diary.example.org"
NIGHT = date(2026, 12, 3)  # the night before 4 December


@pytest.fixture
def inbox(smtp, settings):
    settings.SITE_URL = SITE
    return smtp


def morning_email(user, inbox, clock):
    """The reminder email as the SMTP server got it, sent at 08:00 on 4 December on alice's clock."""
    confirmed(user)
    ReminderSettings.objects.create(
        user=user, morning_on=True, morning_at=time(8, 0), by_push=False, by_email=True,
        changed_at=datetime(2026, 1, 1, tzinfo=UTC),
    )  # fmt: skip
    clock.at("2026-12-04T08:00", tick=False)
    assert send_due(clock.now) == 1
    [message] = inbox.messages
    return message


def links(message) -> dict[str, str]:
    html = message.get_body(preferencelist=("html",)).get_content()
    return {text.strip(): href for href, text in re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', html)}


def path_of(link: str) -> str:
    assert link.startswith(SITE + "/")
    parts = urlsplit(link)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def test_the_email_holds_both_answers_as_links(alice, inbox, clock):
    message = morning_email(alice, inbox, clock)
    found = links(message)
    assert set(found) >= {"No cramps last night", "I had cramps", "Stop email reminders"}
    assert "Open my diary" not in found  # the morning email's links are its answers
    assert path_of(found["I had cramps"]) == "/log/cramp/?night=2026-12-03"
    assert path_of(found["No cramps last night"]).startswith("/reminders/answer/")
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert found["No cramps last night"] in text and found["I had cramps"] in text


def test_a_logged_out_browser_records_the_check_in_with_one_button_and_a_scanners_get_records_nothing(
    alice, inbox, clock
):
    answer = path_of(links(morning_email(alice, inbox, clock))["No cramps last night"])
    clock.at("2026-12-04T08:20", tick=False)

    scanner = Client()
    for _ in range(3):
        assert scanner.get(answer).status_code == 200
        assert scanner.head(answer).status_code == 200
    assert not NightCheckIn.objects.exists()  # opening the link changes nothing

    browser = Client(
        enforce_csrf_checks=True
    )  # logged out, no cookie, no form token: the signed link is enough
    page = browser.get(answer).content.decode()
    assert page.count("<button") == 1 and "No cramps last night" in page
    entry_uuid = re.search(r'name="uuid" value="([^"]+)"', page)[1]
    done = browser.post(answer, {"uuid": entry_uuid})
    assert done.status_code == 200 and "Noted: no cramps last night." in done.content.decode()
    [checkin] = NightCheckIn.objects.filter(user=alice)
    assert checkin.night == NIGHT

    again = browser.post(answer, {"uuid": entry_uuid})  # a second press (or Back, then the button)
    assert "Already recorded: no cramps last night" in again.content.decode()
    other = browser.post(answer, {"uuid": str(uuid.uuid4())})  # another device, its own page
    assert "Already recorded" in other.content.decode()
    reopened = browser.get(answer).content.decode()
    assert "Already recorded" in reopened and "<button" not in reopened
    assert NightCheckIn.objects.filter(user=alice).count() == 1


def test_an_old_email_names_its_night(alice, inbox, clock):
    answer = path_of(links(morning_email(alice, inbox, clock))["No cramps last night"])
    clock.at("2026-12-06T09:00", tick=False)
    page = Client().get(answer).content.decode()
    assert "No cramps on the night of Thursday 3 December" in page
    Client().post(answer, {"uuid": str(uuid.uuid4())})
    assert NightCheckIn.objects.get(user=alice).night == NIGHT


def tampered(token: str) -> str:
    return token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")


def test_an_expired_or_tampered_link_says_so_and_changes_nothing(alice, bob, inbox, clock):
    clock.at("2026-12-04T08:00", tick=False)
    token = no_cramps_token(alice.pk, NIGHT)
    forged_for_bob = signing.dumps({"u": bob.pk, "n": NIGHT.isoformat()}, salt="another purpose")
    bad = [
        tampered(token),
        "nonsense",
        email_off_token(alice.pk),  # another token's signature is no answer
        forged_for_bob,
        signing.dumps({"u": 99999, "n": NIGHT.isoformat()}, salt=NO_CRAMPS_SALT),  # no such person
    ]
    for each in bad:
        url = reverse("reminders_answer", args=[each])
        for response in (Client().get(url), Client().post(url, {"uuid": str(uuid.uuid4())})):
            assert response.status_code == 404
            assert "This link no longer works" in response.content.decode()
    clock.at("2026-12-08T08:01", tick=False)  # more than three days after it was made
    expired = Client().post(reverse("reminders_answer", args=[token]), {"uuid": str(uuid.uuid4())})
    assert expired.status_code == 404 and "more than three days old" in expired.content.decode()
    assert not NightCheckIn.objects.exists()


def test_a_night_with_a_cramp_is_not_marked_cramp_free(alice, clock):
    clock.at("2026-12-04T08:00", tick=False)
    cramp(alice, datetime(2026, 12, 4, 3, 0, tzinfo=alice.profile.zone))
    url = reverse("reminders_answer", args=[no_cramps_token(alice.pk, NIGHT)])
    response = Client().post(url, {"uuid": str(uuid.uuid4())})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Not recorded" in page and "You logged a cramp that night" in page
    assert not NightCheckIn.objects.exists()


def test_i_had_cramps_leads_a_logged_out_person_through_log_in_to_the_form_for_that_night(
    alice, inbox, clock
):
    cramps = path_of(links(morning_email(alice, inbox, clock))["I had cramps"])
    response = Client().get(cramps)
    assert response.status_code == 302
    assert urlsplit(response.url).path == reverse("login")
    assert "next=/log/cramp/%3Fnight%3D2026-12-03" in response.url  # the night survives the log-in
    logged_in = Client()
    logged_in.force_login(alice)
    assert logged_in.get(cramps).status_code == 200


def test_the_notification_offers_the_same_two_answers(alice, clock, monkeypatch):
    clock.at("2026-12-04T08:00", tick=False)
    data = payload(alice, "morning", NIGHT)
    assert data["cramps_url"] == "/log/cramp/?night=2026-12-03"
    assert data["checkin"]["token"] and data["night"] == "2026-12-03"

    sent = []
    monkeypatch.setattr(push, "push", lambda device, data: sent.append(data) or True)
    PushSubscription.objects.create(user=alice, endpoint="https://fcm.googleapis.com/x", p256dh="p", auth="a")
    ReminderSettings.objects.create(user=alice)
    from tracker.reminders.sending import send_test

    send_test(alice)
    assert "cramps_url" not in sent[0] and "checkin" not in sent[0]  # a sample answers for no night
