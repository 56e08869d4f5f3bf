"""Email that can't be turned on others. Confirmation messages are limited per address and per account each day,
in counts of their own, so a stranger's claim on an address never uses up its owner's password resets. The
emailed link asks before it confirms, so a mail scanner that opens it confirms nothing. Links name the configured
site, never the Host a request came with. A reset request does the same work whatever the address."""

import re
from html import unescape

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.module_loading import import_string
from django_tasks_db.models import DBTaskResult

from tests.conftest import confirmed
from tracker.accounts.mail import confirmation_token

pytestmark = pytest.mark.django_db
VICTIM = "vera@example.org"
DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def save_profile(client, email: str, **extra):
    data = {"display_name": "", "email": email, "time_zone": "Europe/London", "volume_unit": "ml"}
    return client.post(reverse("profile"), {**data, "fluid_target": "2000"}, follow=True, **extra)


def words(page) -> str:
    return unescape(page.content.decode())


def sent_to(mailoutbox, address: str) -> list:
    return [message for message in mailoutbox if message.to == [address]]


def run_the_queue() -> None:
    """What `manage.py db_worker` does with each waiting task (the command itself closes the test's database)."""
    for row in DBTaskResult.objects.order_by("enqueued_at"):
        import_string(row.task_path).call(*row.args_kwargs["args"], **row.args_kwargs["kwargs"])


def links_in(message) -> list[str]:
    html = message.alternatives[0][0]
    return re.findall(r"https?://\S+", message.body) + re.findall(r'href="([^"]+)"', html)


# Limits ----------------------------------------------------------------------------------------------------------


def test_it_sends_one_address_at_most_3_confirmation_links_a_day(clock, client, alice, bob, mailoutbox):
    clock.at("2026-03-10T09:00")
    client.force_login(alice)
    for _ in range(5):  # switching back and forth between someone else's address and her own
        save_profile(client, VICTIM)
        last = save_profile(client, "alice@example.org")
    assert len(sent_to(mailoutbox, VICTIM)) == 3
    client.force_login(bob)  # another account asks for the same address: still no more
    refused = save_profile(client, VICTIM)
    assert "Profile saved." in words(refused)
    assert "We can't send another link today" in words(refused)
    client.post(reverse("resend_confirmation"))
    assert len(sent_to(mailoutbox, VICTIM)) == 3
    assert "Profile saved." in words(last)
    clock.shift(hours=24, minutes=1)  # a day later, one more may go
    client.post(reverse("resend_confirmation"))
    assert len(sent_to(mailoutbox, VICTIM)) == 4


def test_it_sends_one_account_at_most_5_confirmation_links_a_day(clock, client, alice, mailoutbox):
    clock.at("2026-03-10T23:30")
    client.force_login(alice)
    for n in range(8):
        page = save_profile(client, f"someone{n}@example.org")
    assert len(mailoutbox) == 5
    assert "We can't send another link today" in words(page)
    clock.shift(hours=1)  # past midnight, but not a day since the first: still none
    client.post(reverse("resend_confirmation"))
    assert len(mailoutbox) == 5
    clock.shift(hours=23, minutes=1)
    client.post(reverse("resend_confirmation"))
    assert len(mailoutbox) == 6


def test_a_strangers_claim_on_an_address_never_uses_up_its_owners_reset(client, alice, bob, smtp):
    confirmed(alice, VICTIM)
    client.force_login(bob)  # bob claims alice's address, and asks for the link again and again
    save_profile(client, VICTIM)
    for _ in range(5):
        client.post(reverse("resend_confirmation"))
    client.logout()
    client.post(reverse("password_reset"), {"email": VICTIM}, REMOTE_ADDR="198.51.100.7")
    resets = [m for m in smtp.messages if "new password" in m["Subject"]]
    assert len(resets) == 1 and resets[0]["To"] == VICTIM
    assert "/accounts/reset/" in resets[0].get_body(preferencelist=("plain",)).get_content()


# The link asks before it confirms -----------------------------------------------------------------------------


def test_opening_the_link_changes_nothing_and_the_button_confirms(alice):
    alice.email = "alice@example.org"
    alice.save()
    url = reverse("confirm_email", args=[confirmation_token(alice)])
    scanner = Client(enforce_csrf_checks=True)
    page = scanner.get(url)
    assert page.status_code == 200
    assert b"Confirm my email address" in page.content and b'method="post"' in page.content
    assert scanner.head(url).status_code == 200
    assert scanner.post(url).status_code == 403  # a POST without the page's CSRF token is refused
    alice.profile.refresh_from_db()
    assert alice.profile.email_confirmed_at is None
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())[1]
    done = scanner.post(url, {"csrfmiddlewaretoken": token})
    assert done.status_code == 200 and b"Email address confirmed" in done.content
    alice.profile.refresh_from_db()
    assert alice.profile.email_confirmed_at is not None


def test_a_bad_link_shows_no_button_and_confirms_nothing(client, alice):
    alice.email = "alice@example.org"
    alice.save()
    for token in ("not-a-token", confirmation_token(alice).replace(":", ";")):
        url = reverse("confirm_email", args=[token])
        for answer in (client.get(url), client.post(url)):
            assert answer.status_code == 404 and b"This link doesn't work" in answer.content
            assert b"Confirm my email address" not in answer.content
    alice.profile.refresh_from_db()
    assert alice.profile.email_confirmed_at is None


# Links name the site ---------------------------------------------------------------------------------------------


def test_emailed_links_lead_to_the_site_whatever_host_the_request_named(
    client, alice, bob, settings, mailoutbox
):
    settings.ALLOWED_HOSTS = ["evil.example", "testserver"]
    settings.SITE_URL = "https://diary.example.org"
    confirmed(alice, "alice@example.org")
    client.post(reverse("password_reset"), {"email": "alice@example.org"}, HTTP_HOST="evil.example")
    client.force_login(bob)
    save_profile(client, "bob@example.org", HTTP_HOST="evil.example")
    assert [m.to for m in mailoutbox] == [["alice@example.org"], ["bob@example.org"]]
    for message in mailoutbox:
        links = links_in(message)
        assert len(links) == 2, message.body
        assert all(link.startswith("https://diary.example.org/accounts/") for link in links), links


# The same work for any address ----------------------------------------------------------------------------------


def test_a_reset_does_the_same_work_for_any_address_and_the_worker_sends_every_message(
    client, alice, bob, settings, mailoutbox
):
    """Every address that passes the limits costs the request the same queries and one queued task; the worker finds
    the confirmed account, if any, and sends. Nothing is sent inside the request, confirmation links included."""
    settings.TASKS = DB_TASKS
    confirmed(alice, "alice@example.org")
    bob.email = "bob@example.org"
    bob.save()  # never confirmed
    queries = {}
    for n, email in enumerate(("alice@example.org", "nobody@example.org", "bob@example.org")):
        queued = DBTaskResult.objects.count()
        with CaptureQueriesContext(connection) as captured:
            answer = client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=f"192.0.2.{n}")
        assert answer.status_code == 302
        assert DBTaskResult.objects.count() == queued + 1, email
        queries[email] = len(captured)
    assert len(set(queries.values())) == 1, queries
    assert mailoutbox == []
    client.force_login(bob)  # a confirmation link is queued too
    save_profile(client, "bob@example.net")
    assert mailoutbox == []
    run_the_queue()
    assert sorted(m.to for m in mailoutbox) == [["alice@example.org"], ["bob@example.net"]]
