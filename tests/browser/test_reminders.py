"""Reminders in Chromium: the settings page subscribes this phone (the push service is the test's own), a push
delivered to the service worker (DevTools' ServiceWorker.deliverPushMessage) shows the notification, and its
"No cramps" action stores exactly one check-in for last night through the outbox, with the page open or closed.

Headless Chromium has no connection to a browser vendor's push service, so `PushManager.prototype.subscribe` is
replaced by an init script that returns a subscription at the test's push service (tests/push_service.py), with
keys made by the test, and records the applicationServerKey it was given. Everything after that is the app's own:
the page posts the subscription, the server signs and encrypts the push, the test service checks and decrypts it,
and DevTools hands the decrypted text to the real service worker.
"""

import json
import re
from datetime import UTC, datetime, time

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from tests import push_service
from tests.browser.conftest import log_in, same_clock, wait_until
from tests.conftest import PASSWORD
from tracker.entries.nights import last_night
from tracker.models import NightCheckIn, PushSubscription, ReminderSettings
from tracker.reminders import push, sending

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STUB = """
(() => {
  const subscription = %s;
  const b64 = (buffer) => btoa(String.fromCharCode(...new Uint8Array(buffer)))
    .replace(/\\+/g, "-").replace(/\\//g, "_").replace(/=+$/, "");
  const made = () => ({
    endpoint: subscription.endpoint, expirationTime: null, options: { userVisibleOnly: true },
    toJSON: () => subscription, unsubscribe: async () => true,
  });
  PushManager.prototype.subscribe = async function (options) {
    localStorage.setItem("stub-key", b64(options.applicationServerKey));
    localStorage.setItem("stub-subscribed", "yes");
    return made();
  };
  PushManager.prototype.getSubscription = async function () {
    return localStorage.getItem("stub-subscribed") ? made() : null;
  };
})();
"""
NOTIFICATIONS = "navigator.serviceWorker.ready.then(r => r.getNotifications())"


@pytest.fixture
def push_receiver(settings):
    service, server = push_service.start()
    settings.PUSH_SERVICES = ["127.0.0.1"]
    yield service
    server.shutdown()
    server.server_close()


def controlled(page) -> None:
    page.evaluate("navigator.serviceWorker.ready")
    if not page.evaluate("!!navigator.serviceWorker.controller"):
        page.reload()
    assert page.evaluate("!!navigator.serviceWorker.controller")


def deliver(page, live_server, text: str) -> None:
    """What the browser vendor's push service would do: hand the (decrypted) message to the service worker."""
    session = page.context.new_cdp_session(page)
    registrations = []
    session.on(
        "ServiceWorker.workerRegistrationUpdated", lambda event: registrations.extend(event["registrations"])
    )
    session.send("ServiceWorker.enable")
    for _ in range(50):
        if registrations:
            break
        page.wait_for_timeout(100)
    [registration] = [
        r for r in registrations if r["scopeURL"] == live_server.url + "/" and not r["isDeleted"]
    ]
    session.send(
        "ServiceWorker.deliverPushMessage",
        {"origin": live_server.url, "registrationId": registration["registrationId"], "data": text},
    )


def deliver_until_shown(page, live_server, text: str, shown: str) -> None:
    """Deliver, and deliver again once if the notification is not shown within 10 s: DevTools' push delivery can
    be dropped while a busy machine is still starting the worker, and a real push service retries too."""
    deliver(page, live_server, text)
    try:
        wait_until(page, shown)
    except AssertionError:
        deliver(page, live_server, text)
        wait_until(page, shown)


def click_action(worker, tag: str, action: str) -> None:
    """A tap on a notification's button, made inside the service worker (DevTools has no notification click)."""
    worker.evaluate(
        """async ([tag, action]) => {
             const [notification] = await self.registration.getNotifications({ tag: tag });
             const click = new NotificationEvent("notificationclick", { notification: notification, action: action });
             self.dispatchEvent(click);
           }""",
        [tag, action],
    )


def check_ins(person, night) -> int:
    return NightCheckIn.objects.filter(user=person, night=night).count()


def wait_for_check_in(person, night, page) -> None:
    for _ in range(100):
        if check_ins(person, night):
            return
        page.wait_for_timeout(100)
    raise AssertionError("no check-in arrived")


def test_it_subscribes_shows_the_reminder_and_answers_no_cramps_with_the_page_open(
    phone, live_server, push_receiver, artifacts
):
    person = User.objects.create_user("earlybird", password=PASSWORD)
    subscription = push_receiver.subscribe()
    page = phone
    page.context.add_init_script(STUB % json.dumps(subscription.as_json()))
    page.context.grant_permissions(["notifications"], origin=live_server.url)
    log_in(page, "earlybird")
    page.goto("/more/")
    page.get_by_role("link", name="Reminders at a time you choose").tap()
    page.wait_for_url("**/reminders/")
    controlled(page)

    # Settings: the morning reminder on, then this phone subscribed by a tap.
    page.get_by_label("Each morning, ask me how last night was").check()
    page.get_by_role("button", name="Save reminders").tap()
    page.locator(".flash", has_text="no reminder will arrive yet").wait_for()  # no phone set up yet
    page.get_by_role("button", name="Remind me on this phone").tap()
    page.locator(".flash", has_text="will get your reminders").wait_for()
    page.locator("[data-push-on]").wait_for()
    device = PushSubscription.objects.get(user=person)
    assert device.endpoint == subscription.endpoint and device.p256dh == subscription.p256dh
    assert page.evaluate("localStorage.getItem('stub-key')") == push.public_key()
    assert "Remove" in page.locator(".reminders-devices").inner_text()
    page.emulate_media(color_scheme="dark")
    page.screenshot(path=str(artifacts / "reminders-dark.png"), full_page=True)
    page.emulate_media(color_scheme="light")

    # The server sends the reminder; the test service verifies and decrypts it; the service worker shows it.
    ReminderSettings.objects.filter(user=person).update(
        morning_at=time(0, 0), changed_at=datetime(2020, 1, 1, tzinfo=UTC), quiet_from=None, quiet_until=None
    )
    now = timezone.now()
    night = last_night(now, person.profile.zone)
    assert sending.send_due(now) == 1
    assert push_receiver.refused == []
    [text] = push_receiver.texts()
    deliver_until_shown(page, live_server, text, f"{NOTIFICATIONS}.then(n => n.length === 1)")
    shown = page.evaluate(
        f"{NOTIFICATIONS}.then(n => n.map(x => [x.title, x.body, x.actions.map(a => a.title)]))"
    )
    assert shown[0][0] == "How was last night?"
    assert shown[0][2] == ["No cramps", "I had cramps"]

    # "No cramps", with Today open: one check-in for last night, and Today shows it.
    page.goto("/")
    [worker] = page.context.service_workers
    click_action(worker, f"morning-{night.isoformat()}", "no-cramps")
    wait_for_check_in(person, night, page)
    page.locator(".night-note", has_text="no cramps").wait_for()
    assert page.locator("[data-pending]").is_hidden()
    wait_until(page, f"{NOTIFICATIONS}.then(n => n.length === 1 && n[0].body.startsWith('Noted'))")
    assert check_ins(person, night) == 1
    assert page.problems == []


def test_no_cramps_from_the_notification_is_stored_once_with_no_page_open(phone, live_server, settings):
    person = User.objects.create_user("sleeper", password=PASSWORD)
    page = phone
    context = page.context
    context.grant_permissions(["notifications"], origin=live_server.url)
    log_in(page, "sleeper")
    controlled(page)
    night = last_night(timezone.now(), person.profile.zone)
    reminder = sending.payload(person, "morning", night)  # what the server puts in the push
    deliver_until_shown(page, live_server, json.dumps(reminder), f"{NOTIFICATIONS}.then(n => n.length === 1)")
    [worker] = context.service_workers

    page.close()  # no page of the diary is open
    assert context.pages == []
    click_action(worker, reminder["tag"], "no-cramps")
    for _ in range(100):
        if check_ins(person, night):
            break
        worker.evaluate("new Promise(r => setTimeout(r, 100))")
    assert check_ins(person, night) == 1
    for _ in range(50):  # the worker shows its answer once the server has said the night is noted
        said = worker.evaluate("self.registration.getNotifications().then(n => n.map(x => x.body))")
        if said:
            break
        worker.evaluate("new Promise(r => setTimeout(r, 100))")
    assert said == ["Noted: no cramps last night."]
    assert (
        worker.evaluate(
            """new Promise(resolve => { const o = indexedDB.open("cramp-diary", 1);
             o.onsuccess = () => { const r = o.result.transaction("outbox").objectStore("outbox").count();
                                   r.onsuccess = () => resolve(r.result); }; })"""
        )
        == 0
    )  # sent, so no longer kept

    # Later, the diary opened: last night is marked, nothing waits, and the same answer again stores nothing more.
    page = context.new_page()
    page.goto("/")
    page.locator(".night-note", has_text="no cramps").wait_for()
    assert page.locator("[data-pending]").is_hidden()
    deliver_until_shown(
        page,
        live_server,
        json.dumps(reminder),
        f"{NOTIFICATIONS}.then(n => n.some(x => x.title === 'How was last night?'))",
    )
    click_action(worker, reminder["tag"], "no-cramps")
    page.wait_for_timeout(1000)
    assert check_ins(person, night) == 1


def test_i_had_cramps_opens_today_with_the_sheet_at_3_am_last_night(phone, live_server, clock):
    page = phone
    same_clock(
        page, clock, "2026-12-05T07:30", "UTC"
    )  # a morning reminder's time; before 03:00 there is no chip
    User.objects.create_user("owl", password=PASSWORD)
    log_in(page, "owl")
    page.goto("/#last-night")
    sheet = page.locator("details.sheet")
    assert sheet.get_attribute("open") is not None
    at = page.locator("form.cramp-form input[name=at]").input_value()
    assert (
        at == "2026-12-05T03:00"
    )  # the chip Today offers: 03:00 after the night of Fri 4 Dec, Today's last night
    assert "Last night, about 3\u00a0a.m." in page.locator("[data-cramp-summary]").inner_text()  # in words
    assert "a.m.." not in page.locator("[data-cramp-summary]").inner_text()  # one full stop


FAILING_SUBSCRIBE = """
PushManager.prototype.getSubscription = async function () { return null; };
PushManager.prototype.subscribe = async function () {
  throw new DOMException("Registration failed - permission denied", "NotAllowedError");
};
"""


def test_a_failed_registration_says_in_plain_words_what_happened_and_what_to_do(phone, live_server):
    User.objects.create_user("nophone", password=PASSWORD)
    page = phone
    page.context.add_init_script(FAILING_SUBSCRIBE)
    page.context.grant_permissions(["notifications"], origin=live_server.url)
    log_in(page, "nophone")
    page.goto("/reminders/")
    controlled(page)
    page.get_by_role("button", name="Remind me on this phone").tap()
    status = page.locator("[data-push-status]")
    status.filter(has_text="nothing was set up").wait_for()
    said = status.inner_text()
    assert "did not let the diary show notifications" in said and "allow notifications" in said
    assert "Registration failed" not in said and "permission denied" not in said
    assert page.get_by_role("button", name="Remind me on this phone").is_enabled()
    assert not PushSubscription.objects.exists()


def test_the_emailed_no_cramps_link_records_the_night_for_a_logged_out_phone_in_one_tap(
    phone, live_server, smtp, settings, artifacts
):
    """The reminder email from a real SMTP server; its link opened on a phone that is not logged in."""
    settings.SITE_URL = live_server.url
    person = User.objects.create_user("mailreader", password=PASSWORD, email="reader@example.org")
    person.profile.display_name = "Maud"
    person.profile.email_confirmed_at = timezone.now()
    person.profile.save()
    ReminderSettings.objects.create(
        user=person, morning_on=True, morning_at=time(0, 0), by_push=False, by_email=True,
        changed_at=datetime(2020, 1, 1, tzinfo=UTC),
    )  # fmt: skip
    now = timezone.now()
    night = last_night(now, person.profile.zone)
    assert sending.send_due(now) == 1
    [message] = smtp.messages
    html = message.get_body(preferencelist=("html",)).get_content()
    assert html.startswith("<!doctype html>") and "Hello Maud," in html
    [link] = re.findall(r'<a href="([^"]+)"[^>]*>No cramps last night</a>', html)

    page = phone
    page.goto(link)
    assert check_ins(person, night) == 0  # opening the link records nothing
    earlier = page.context.new_page()  # the same email opened a second time, before the first was answered
    earlier.goto(link)
    button = page.get_by_role("button", name="No cramps last night")
    assert page.get_by_role("button").count() == 1
    box = button.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 44
    page.screenshot(path=str(artifacts / "reminder-answer.png"), full_page=True)
    button.tap()
    page.get_by_role("heading", name="Noted: no cramps last night.").wait_for()
    assert check_ins(person, night) == 1
    page.screenshot(path=str(artifacts / "reminder-answered.png"), full_page=True)

    earlier.get_by_role("button", name="No cramps last night").tap()  # a second press
    earlier.get_by_role(
        "heading", name="Already recorded: no cramps last night. Nothing more to do."
    ).wait_for()
    page.go_back()  # the link's page again: nothing left to press
    page.get_by_role("heading", name="Already recorded: no cramps last night. Nothing more to do.").wait_for()
    assert page.get_by_role("button", name="No cramps last night").count() == 0
    assert check_ins(person, night) == 1
    assert page.problems == []


def test_i_had_cramps_on_the_notification_opens_the_cramp_form_for_that_night(phone, live_server):
    person = User.objects.create_user("nightowl", password=PASSWORD)
    page = phone
    page.context.grant_permissions(["notifications"], origin=live_server.url)
    log_in(page, "nightowl")
    controlled(page)
    night = last_night(timezone.now(), person.profile.zone)
    reminder = sending.payload(person, "morning", night)
    deliver_until_shown(page, live_server, json.dumps(reminder), f"{NOTIFICATIONS}.then(n => n.length === 1)")
    [worker] = page.context.service_workers
    # A click made by a script may not focus or open a window (a real tap may): the worker's window opener is
    # replaced by one that notes where it was asked to go.
    worker.evaluate(
        """self.clients.matchAll = async () => [];
           self.clients.openWindow = async (url) => { self.openedFor = url; return null; };"""
    )
    click_action(worker, reminder["tag"], "cramps")
    for _ in range(50):
        opened = worker.evaluate("self.openedFor || ''")
        if opened:
            break
        page.wait_for_timeout(100)
    assert opened == f"{live_server.url}/log/cramp/?night={night.isoformat()}"
    page.goto(opened)
    assert page.locator("form input[name=at]").count() == 1  # the cramp form
    assert check_ins(person, night) == 0
