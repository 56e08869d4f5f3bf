"""'Send a sample reminder now' goes to every channel the person chose (phones and computers, email), greeting them
by the name they gave; it is queued: one waits at a time per person, asks come at least a minute apart and at most
five an hour, and a refusal says why and when to try again."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import confirmed
from tracker.models import PushSubscription, RateLimitHit, ReminderSettings
from tracker.reminders import push, samples
from tracker.reminders.tasks import send_sample

pytestmark = pytest.mark.django_db
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture(autouse=True)
def pushes(monkeypatch) -> list:
    """Pushes recorded, never sent over the network."""
    sent: list = []
    monkeypatch.setattr(push, "push", lambda device, data: sent.append((device.pk, data)) or True)
    return sent


def with_device(user) -> None:
    PushSubscription.objects.create(
        user=user, endpoint=f"https://fcm.googleapis.com/fcm/send/{user.pk}", p256dh="p", auth="a"
    )


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def ask(client: Client) -> str:
    return client.post(reverse("reminder_test"), follow=True).content.decode()


def waiting_samples():
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(task_path=send_sample.module_path).ready()


def test_it_queues_one_sample_at_a_time_per_person(settings, clock, alice, bob):
    settings.TASKS = DATABASE_TASKS
    clock.at("2026-12-04T21:30")
    with_device(alice)
    with_device(bob)
    alices, bobs = logged_in(alice), logged_in(bob)
    assert "Sending a sample now" in ask(alices)
    clock.shift(minutes=5)  # the worker is slow or down: the first is still waiting
    page = ask(alices)
    assert "A sample reminder is already on its way" in page and "Sending a sample now" not in page
    assert waiting_samples().count() == 1
    assert "Sending a sample now" in ask(bobs)  # someone else's is not held up
    assert waiting_samples().count() == 2

    [alices_sample] = [result for result in waiting_samples() if result.args_kwargs["args"] == [alice.pk]]
    alices_sample.status = "SUCCESSFUL"
    alices_sample.save()
    assert "Sending a sample now" in ask(alices)  # once sent, another may be asked for


def test_asks_come_a_minute_apart_and_five_an_hour_at_most(clock, alice):
    clock.at("2026-12-04T21:00", tick=False)
    with_device(alice)
    client = logged_in(alice)
    assert "Sending a sample now" in ask(client)
    clock.shift(seconds=30)
    assert "Wait a minute for it to arrive" in ask(client)
    for _ in range(4):
        clock.shift(minutes=2)
        assert "Sending a sample now" in ask(client)
    clock.shift(minutes=2)  # 21:10, a sixth in the hour
    page = ask(client)
    assert f"You have asked for {samples.SAMPLES_PER_HOUR} samples in the last hour" in page
    assert "You can ask again from 22:00." in page  # the first ask, an hour on, on alice's clock
    assert RateLimitHit.objects.filter(scope=samples.SCOPE).count() == samples.SAMPLES_PER_HOUR
    clock.at("2026-12-04T22:00:01", tick=False)
    assert "Sending a sample now" in ask(client)


def test_a_refusal_is_a_message_on_the_page_never_an_error(clock, alice):
    clock.at("2026-12-04T21:00", tick=False)
    with_device(alice)
    client = logged_in(alice)
    ask(client)
    response = client.post(reverse("reminder_test"))
    assert response.status_code == 302 and response.url == reverse("reminders")


# Every channel ----------------------------------------------------------------------------------------------------


def test_an_email_only_person_sees_the_button_and_gets_a_sample_email(alice, smtp, pushes):
    confirmed(alice)
    alice.profile.display_name = "Alice Smith"
    alice.profile.save()
    ReminderSettings.objects.create(user=alice, morning_on=True, by_push=False, by_email=True)
    client = logged_in(alice)
    page = client.get(reverse("reminders")).content.decode()
    assert "Send a sample reminder now" in page and "A sample goes to alice@example.org" in page
    assert "Sending a sample now" in ask(client)
    [message] = smtp.messages
    assert message["To"] == "alice@example.org"
    assert message["Subject"] == "A sample reminder: How was last night?"
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert text.startswith("Hello Alice Smith,") and "This is a sample you asked for" in text
    assert "Hello alice" not in message.get_body(preferencelist=("html",)).get_content()
    assert pushes == []


def test_a_sample_goes_to_every_channel_chosen_and_only_those(alice, smtp, pushes):
    confirmed(alice)
    with_device(alice)
    prefs = ReminderSettings.objects.create(user=alice, morning_on=True, by_push=True, by_email=True)
    client = logged_in(alice)
    page = client.get(reverse("reminders")).content.decode()
    assert "A sample goes to A device and alice@example.org" in page
    ask(client)
    assert len(pushes) == 1 and len(smtp.messages) == 1
    assert "checkin" not in pushes[0][1]  # a sample answers for no night

    prefs.by_email = False
    prefs.save()
    RateLimitHit.objects.all().delete()
    ask(client)
    assert len(pushes) == 2 and len(smtp.messages) == 1


def test_with_nowhere_to_send_it_the_page_says_what_to_do(alice, pushes):
    client = logged_in(alice)
    page = client.get(reverse("reminders")).content.decode()
    assert "Send a sample reminder now" not in page
    assert "Once you choose how to be reminded" in page
    refused = ask(client)
    assert "There is nowhere to send a sample yet" in refused
    assert RateLimitHit.objects.count() == 0
