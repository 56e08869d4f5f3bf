"""Accounts people can't lose and attackers can't lock: password reset by email through a real SMTP server,
throttling that holds behind a proxy, password prompts inside the app that lock like the log-in, and HEAD."""

import json
import re
import statistics
import subprocess
import sys
import time
from datetime import date

import pytest
from django.contrib.auth.models import User
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.urls import reverse
from django.utils import timezone

from config.settings import email_settings
from tests.conftest import PASSWORD, confirmed, route_names
from tracker.accounts.mail import confirmation_token
from tracker.models import Experiment, RateLimitHit

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "a-brand-new-secret-77"


def link_in(message) -> str:
    text = message.get_body(preferencelist=("plain",)).get_content()
    return re.search(r"https?://\S+", text)[0]


def test_a_forgotten_password_is_reset_through_a_real_mail_server(client, alice, smtp):
    confirmed(alice, "alice@example.org")
    response = client.post(reverse("password_reset"), {"email": "Alice@Example.org"})
    assert response.status_code == 302 and response.url == reverse("password_reset_done")
    assert len(smtp.messages) == 1
    message = smtp.messages[0]
    assert message["To"] == "alice@example.org"
    assert message.get_body(preferencelist=("html",)) is not None  # plain text and HTML
    link = link_in(message)
    form = client.get(link, follow=True)
    assert b"Choose a new password" in form.content and b"Save my new password" in form.content
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )
    assert done.redirect_chain[-1][0] == reverse("today")
    assert "Your new password is set" in done.content.decode()
    alice.refresh_from_db()
    assert alice.check_password(NEW_PASSWORD)
    # The link works once.
    client.logout()
    again = client.get(link, follow=True)
    assert b"already been used, or it is more than an hour old" in again.content


def test_an_expired_link_is_refused(client, alice, smtp, monkeypatch):
    confirmed(alice, "alice@example.org")
    client.post(reverse("password_reset"), {"email": "alice@example.org"})
    link = link_in(smtp.messages[0])
    later = PasswordResetTokenGenerator()._now() + timezone.timedelta(hours=1, minutes=1)
    monkeypatch.setattr(PasswordResetTokenGenerator, "_now", lambda self: later)
    assert b"more than an hour old" in client.get(link, follow=True).content


def test_the_messages_hold_no_diary_contents(client, alice, smtp):
    from tests.conftest import cramp

    cramp(alice, timezone.now(), notes="Zyxomagnol secret note", warning_signs=["swelling"])
    confirmed(alice, "alice@example.org")
    client.post(reverse("password_reset"), {"email": "alice@example.org"})
    raw = smtp.messages[0].as_string()
    for private in ("zyxomagnol", "swelling", "intensity", "secret note"):
        assert private not in raw.lower()


def test_an_unconfirmed_or_unknown_address_gets_the_same_answer_and_no_message(client, alice, bob, smtp):
    alice.email = "alice@example.org"
    alice.save()  # never confirmed
    answers = [
        client.post(reverse("password_reset"), {"email": email}, follow=True)
        for email in ("alice@example.org", "nobody@example.org")
    ]
    main = [re.search(rb"<main.*</main>", a.content, re.S)[0] for a in answers]
    assert main[0] == main[1]
    assert answers[0].redirect_chain == answers[1].redirect_chain
    assert smtp.messages == []


def test_a_known_address_takes_no_longer_to_answer_than_an_unknown_one(client, alice, settings):
    """The message is queued for the worker, not sent in the request: no timing cliff (median within 50 ms)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    confirmed(alice, "alice@example.org")
    timings: dict[str, list[float]] = {"known": [], "unknown": []}
    for round_ in range(15):
        for name, email in (("known", "alice@example.org"), ("unknown", "nobody@example.org")):
            RateLimitHit.objects.all().delete()  # measure the real path, not the limit's
            started = time.perf_counter()
            response = client.post(
                reverse("password_reset"), {"email": email}, REMOTE_ADDR=f"192.0.2.{round_}"
            )
            timings[name].append(time.perf_counter() - started)
            assert response.status_code == 302
    difference = abs(statistics.median(timings["known"]) - statistics.median(timings["unknown"]))
    assert difference < 0.050, timings


def test_reset_is_limited_per_client_and_per_address(client, alice, smtp):
    confirmed(alice, "alice@example.org")
    for _ in range(3):
        client.post(reverse("password_reset"), {"email": "alice@example.org"})
    assert len(smtp.messages) == 3
    response = client.post(reverse("password_reset"), {"email": "alice@example.org"})
    assert response.status_code == 302 and len(smtp.messages) == 3  # the same answer, no fourth message
    for n in range(6):
        client.post(reverse("password_reset"), {"email": f"someone{n}@example.org"})
    limited = client.post(reverse("password_reset"), {"email": "another@example.org"})
    assert limited.status_code == 429 and "Too many tries from here" in limited.content.decode()
    other_client = client.post(
        reverse("password_reset"), {"email": "x@example.org"}, REMOTE_ADDR="192.0.2.99"
    )
    assert other_client.status_code == 302


def test_sign_up_with_an_email_sends_a_confirmation_link_that_works(client, smtp):
    response = client.post(
        reverse("signup"),
        {
            "username": "carol",
            "email": "carol@example.org",
            "password1": "a-long-secret-42",
            "password2": "a-long-secret-42",
        },
        follow=True,
    )
    assert "We sent a link to carol@example.org" in response.content.decode()
    carol = User.objects.get(username="carol")
    assert carol.profile.email_confirmed_at is None
    link = link_in(smtp.messages[0])
    page = client.get(link)
    assert page.status_code == 200 and b"Confirm my email address" in page.content  # a button, no change
    done = client.post(link)
    assert done.status_code == 200 and b"Email address confirmed" in done.content
    carol.profile.refresh_from_db()
    assert carol.profile.email_confirmed_at is not None


def test_a_confirmation_link_for_an_old_address_does_not_confirm_the_new_one(client, alice):
    alice.email = "old@example.org"
    alice.save()
    token = confirmation_token(alice)
    alice.email = "new@example.org"
    alice.save()
    assert client.get(reverse("confirm_email", args=[token])).status_code == 404
    alice.profile.refresh_from_db()
    assert alice.profile.email_confirmed_at is None
    assert client.get(reverse("confirm_email", args=["not-a-token"])).status_code == 404


def test_sign_up_is_limited_per_client(client):
    for n in range(10):
        client.post(reverse("signup"), {"username": f"user{n}", "password1": "x", "password2": "y"})
    response = client.post(
        reverse("signup"),
        {"username": "late", "password1": "a-long-secret-42", "password2": "a-long-secret-42"},
    )
    assert response.status_code == 429 and not User.objects.filter(username="late").exists()


# Throttling behind a proxy ----------------------------------------------------------------------------------------


@pytest.fixture
def behind_a_proxy(settings):
    """What settings.py sets for TRUSTED_PROXIES=1 (tested below against the settings module itself)."""
    settings.AXES_IPWARE_PROXY_ORDER = "right-most"
    settings.AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]


def log_in(client, password: str, forwarded: str):
    return client.post(
        reverse("login"),
        {"username": "alice", "password": password},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR=forwarded,
    )


def test_two_clients_behind_the_proxy_are_counted_apart(client, alice, behind_a_proxy):
    for _ in range(5):
        log_in(client, "wrong", "198.51.100.7")
    assert log_in(client, PASSWORD, "198.51.100.7").status_code == 429  # that client is locked out
    assert log_in(client, PASSWORD, "203.0.113.9").status_code == 302  # another client is not


def test_a_forged_left_most_address_does_not_escape_the_lockout(client, alice, behind_a_proxy):
    for n in range(5):
        log_in(client, "wrong", f"192.0.2.{n}, 198.51.100.7")  # the proxy appends what it saw
    assert log_in(client, PASSWORD, "203.0.113.9, 198.51.100.7").status_code == 429


def test_the_settings_read_trusted_proxies_strictly():
    def run(**env):
        code = (
            "import json, config.settings as s; "
            "print(json.dumps([s.TRUSTED_PROXIES, s.AXES_IPWARE_META_PRECEDENCE_ORDER]))"
        )
        return subprocess.run(  # noqa: S603 (our own interpreter and settings)
            [sys.executable, "-c", code],
            env={"PATH": "/usr/bin:/bin", "DEBUG": "true", **env},
            capture_output=True,
            text=True,
            check=False,
        )

    assert json.loads(run(BEHIND_PROXY="true").stdout) == [1, ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]]
    assert json.loads(run().stdout) == [0, ["REMOTE_ADDR"]]  # no proxy: the header is not trusted
    assert json.loads(run(BEHIND_PROXY="true", TRUSTED_PROXIES="2").stdout)[0] == 2  # a CDN before the proxy
    for wrong in ("-1", "6", "two"):
        refused = run(TRUSTED_PROXIES=wrong)
        assert refused.returncode != 0 and "TRUSTED_PROXIES must be" in refused.stderr


def test_email_url_is_read_into_smtp_settings():
    found = email_settings("smtp://diary%40example.org:p%40ss@mail.example.org:587?tls=true")
    assert (found["EMAIL_HOST"], found["EMAIL_PORT"], found["EMAIL_USE_TLS"]) == (
        "mail.example.org",
        587,
        True,
    )
    assert (found["EMAIL_HOST_USER"], found["EMAIL_HOST_PASSWORD"]) == ("diary@example.org", "p@ss")
    assert email_settings("smtps://mail.example.org")["EMAIL_PORT"] == 465
    assert "console" in email_settings("console://")["EMAIL_BACKEND"]


# Password prompts inside the app ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, field, data",
    [
        ("delete_account", "password", {}),
        ("password_change", "old_password", {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}),
    ],
)
def test_the_in_app_password_prompts_lock_after_5_wrong_passwords(alice_client, alice, name, field, data):
    for attempt in range(5):
        response = alice_client.post(reverse(name), {field: "wrong guess", **data})
        if attempt < 4:  # the fifth wrong password locks, as at log-in
            assert response.status_code == 200
            assert b"not right" in response.content or b"incorrect" in response.content
    locked = alice_client.post(reverse(name), {field: PASSWORD, **data})
    assert locked.status_code == 429  # even the right password, until the lockout ends
    assert User.objects.filter(pk=alice.pk).exists()
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)


# HEAD -------------------------------------------------------------------------------------------------------------


POST_ONLY = {
    "quick_drink", "night_checkin", "acknowledge_prompt", "share_revoke", "choose_theme",
    "cramp_start", "cramp_detail", "cramp_stop", "resend_confirmation", "logout", "entry_undo",
    "reminder_device_add", "reminder_device_remove", "reminder_test", "reminders_no_cramps",
    "experiment_control", "experiment_done", "choose_language",
}  # fmt: skip
NEEDS_ARGUMENTS = {
    "entry_create": ["cramp"],
    "nutrient": ["magnesium"],
    "js_catalog": ["es"],
}


def test_every_get_page_answers_head_with_no_body(alice_client, alice, alices_entries):
    experiment = Experiment.objects.create(
        user=alice, change_key="fluid", change="more to drink", block_days=7, pairs=2, seed=1,
        orders=["CU", "UC"], start=date(2026, 1, 1),
    )  # fmt: skip
    checked = 0
    for name in sorted(route_names() - POST_ONLY):
        if name in ("entry_edit", "entry_delete"):
            url = reverse(name, args=["cramp", alices_entries["cramp"].pk])
        elif name == "experiment":
            url = reverse(name, args=[experiment.pk])
        elif name in (
            "shared_summary",
            "shared_pdf",
            "confirm_email",
            "password_reset_confirm",
            "reminders_email_off",
            "reminders_answer",
        ):
            continue  # their tokens: answered by the token tests; HEAD goes through the same view
        else:
            url = reverse(name, args=NEEDS_ARGUMENTS.get(name, []))
        response = alice_client.head(url)
        assert response.status_code in (200, 302), (name, response.status_code)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert body == b"", name
        checked += 1
    assert checked >= 30
