"""Words written away from the person's own request (emails, reminders, an import's problems) are in the person's
language, and sign-up keeps the language the person was using. Until the catalogues exist, the language is seen
while the words are written: by the template_rendered signal, by a lazy word that writes out the active language,
and by the month names Django itself ships in German."""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.test.signals import template_rendered
from django.urls import reverse
from django.utils import translation
from django.utils.functional import lazy

from tests.conftest import confirmed
from tracker.accounts import mail
from tracker.data import import_jobs, imports
from tracker.data.problems import Rejected
from tracker.models import ImportJob, Profile, PushSubscription, ReminderKind, ReminderSettings
from tracker.reminders import push, sending
from tracker.reminders.answers import no_cramps_noted
from tracker.reminders.sending import payload, send_due

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
# A word whose "translation" is the language active when it is written out.
the_language = lazy(translation.get_language, str)


@pytest.fixture
def rendered():
    """(template name, active language) for every template rendered during the test."""
    seen: list[tuple[str, str]] = []

    def note(sender, template, context, **kwargs):
        seen.append((template.name, translation.get_language()))

    template_rendered.connect(note)
    yield seen
    template_rendered.disconnect(note)


def speaks(user, language: str):
    Profile.objects.filter(user=user).update(language=language)
    user.refresh_from_db()
    return user


def remind_by_email(user) -> None:
    ReminderSettings.objects.update_or_create(
        user=user,
        defaults={
            "morning_on": True,
            "morning_at": time(8, 0),
            "by_push": False,
            "by_email": True,
            "changed_at": datetime(2026, 1, 1, tzinfo=UTC),
        },
    )


def languages_of(rendered, prefix: str) -> set[str]:
    return {language for name, language in rendered if name.startswith(prefix)}


def test_the_reminder_email_is_written_in_the_persons_language(alice, mailoutbox, rendered, monkeypatch):
    speaks(confirmed(alice), "de")
    remind_by_email(alice)
    words = {**sending.WORDS[ReminderKind.MORNING], "title": the_language()}
    monkeypatch.setitem(sending.WORDS, ReminderKind.MORNING, words)
    with translation.override("en"):  # the worker's own language is not the person's
        assert send_due(datetime(2026, 12, 4, 8, 0, tzinfo=LONDON)) == 1
    [message] = mailoutbox
    assert message.subject == "de"
    assert languages_of(rendered, "tracker/reminders/email/") == {"de"}
    assert message.alternatives[0][0].startswith('<!doctype html>\n<html lang="de">')


def test_the_push_is_worded_in_the_persons_language_with_its_answers(alice, monkeypatch):
    speaks(alice, "es")
    words = {**sending.WORDS[ReminderKind.MORNING], "title": the_language(), "body": the_language()}
    monkeypatch.setitem(sending.WORDS, ReminderKind.MORNING, words)
    with translation.override("en"):
        data = payload(alice, ReminderKind.MORNING, date(2026, 12, 3))
    assert data["title"] == data["body"] == "es"
    assert [action["action"] for action in data["actions"]] == ["no-cramps", "cramps"]
    assert [action["title"] for action in data["actions"]] == ["Sin calambres", "Tuve calambres"]
    assert data["checkin"]["label"] == "Sin calambres anoche"


def test_a_sample_push_is_worded_in_the_persons_language(alice, monkeypatch):
    speaks(alice, "de")
    ReminderSettings.objects.create(user=alice)
    PushSubscription.objects.create(user=alice, endpoint="https://fcm.googleapis.com/x", p256dh="p", auth="a")
    monkeypatch.setattr(sending, "SAMPLE_BODY", the_language())
    sent = []
    monkeypatch.setattr(push, "push", lambda device, data: sent.append(data) or True)
    with translation.override("en"):
        sending.send_test(alice)
    assert sent[0]["body"] == "de" and "actions" not in sent[0]


def test_the_confirmation_email_is_written_in_the_persons_language(alice, mailoutbox, rendered):
    alice.email = "alice@example.org"
    alice.save()
    speaks(alice, "de")
    with translation.override("en"):
        assert mail.send_confirmation(alice)
    [message] = mailoutbox
    assert languages_of(rendered, "registration/email/confirm") == {"de"}
    assert '<html lang="de">' in message.alternatives[0][0]


def test_the_password_reset_email_is_written_in_the_persons_language(alice, mailoutbox, rendered):
    speaks(confirmed(alice), "es")
    with translation.override("en"):
        mail.send_password_reset.call("alice@example.org")  # the worker's half
    [message] = mailoutbox
    assert languages_of(rendered, "registration/email/reset") == {"es"}
    assert '<html lang="es">' in message.alternatives[0][0]


def test_a_person_without_a_language_is_written_to_in_the_sites(alice, mailoutbox, rendered):
    alice.email = "alice@example.org"
    alice.save()
    with translation.override("de"):
        mail.send_confirmation(alice)
    assert languages_of(rendered, "registration/email/confirm") == {"en"}


def test_an_older_night_is_named_with_the_languages_own_month(alice):
    now = datetime(2026, 12, 7, 8, 0, tzinfo=LONDON)
    with translation.override("de"):
        words = no_cramps_noted(date(2026, 12, 3), now, LONDON, before=False)
    assert words == "Eingetragen: keine Krämpfe in der Nacht vom Donnerstag, 3. Dezember."
    assert no_cramps_noted(date(2026, 12, 3), now, LONDON, before=False) == (
        "Noted: no cramps on the night of Thursday 3 December."
    )
    assert no_cramps_noted(date(2026, 12, 6), now, LONDON, before=True) == (
        "Already recorded: no cramps last night. Nothing more to do."
    )


def test_an_imports_problems_are_written_in_the_language_of_the_page_that_started_it(alice, monkeypatch):
    def refuse(raw, now, progress=None):
        raise Rejected([the_language()])

    monkeypatch.setattr(imports, "check", refuse)
    speaks(alice, "de")
    job = ImportJob.objects.create(user=alice, upload=b"{}", size=2)
    assert import_jobs.run_import.call(job.pk, "es") == ImportJob.State.REFUSED
    assert ImportJob.objects.get(pk=job.pk).problems == ["es"]
    again = ImportJob.objects.create(user=alice, upload=b"{}", size=2)
    import_jobs.run_import.call(again.pk)  # queued before languages: the person's own
    assert ImportJob.objects.get(pk=again.pk).problems == ["de"]


# Sign-up ---------------------------------------------------------------------------------------------------------


def sign_up(client, username: str, **headers):
    data = {
        "username": username,
        "password1": "a-long-secret-42",
        "password2": "a-long-secret-42",
        "time_zone": "Europe/London",
        "email": f"{username}@example.org",
    }
    return client.post(reverse("signup"), data, **headers)


def test_sign_up_keeps_the_language_the_person_was_using(client, mailoutbox, rendered):
    response = sign_up(client, "rosa", HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 302
    assert Profile.objects.get(user__username="rosa").language == "es"
    assert languages_of(rendered, "registration/email/confirm") == {"es"}  # the confirmation email too
    assert len(mailoutbox) == 1


def test_sign_up_with_a_forged_accept_language_keeps_the_sites(client):
    forged = ("xx-YY;q=abc," * 500)[:5000]
    response = sign_up(client, "mallory", HTTP_ACCEPT_LANGUAGE=forged)
    assert response.status_code == 302
    assert Profile.objects.get(user__username="mallory").language in ("", "en")
