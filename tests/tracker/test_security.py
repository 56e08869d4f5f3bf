"""Security by default: login throttling, the headers every response carries, and share-link opens on record."""

import logging

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import PASSWORD
from tests.tracker.test_sharing import alice_link  # noqa: F401 - a fixture

pytestmark = pytest.mark.django_db


def log_in(client: Client, username: str, password: str, address: str = "203.0.113.7"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)


def test_five_wrong_passwords_lock_that_username_from_that_address(client, alice, bob):
    for _ in range(4):
        response = log_in(client, "alice", "wrong guess")
        assert (
            response.status_code == 200
            and "Please enter a correct username and password" in response.content.decode()
        )
    locked = log_in(client, "alice", "wrong guess")
    assert locked.status_code == 429
    assert "Too many attempts" in locked.content.decode()
    # Even the right password waits out the pause, so guessing gains nothing.
    right = log_in(client, "alice", PASSWORD)
    assert right.status_code == 429 and "_auth_user_id" not in client.session
    # Someone else from the same address, and alice from her own phone, are not locked out.
    assert log_in(Client(), "bob", PASSWORD).status_code == 302
    assert log_in(Client(), "alice", PASSWORD, address="198.51.100.20").status_code == 302


def test_a_right_password_before_the_limit_clears_the_count(client, alice):
    for _ in range(4):
        log_in(client, "alice", "wrong guess")
    assert log_in(client, "alice", PASSWORD).status_code == 302
    client.post(reverse("logout"))
    for _ in range(4):
        assert log_in(client, "alice", "wrong guess").status_code == 200


@pytest.mark.parametrize("name", ["login", "today", "offline", "manifest"])
def test_every_response_says_what_the_page_may_not_do(client, alice, name):
    client.force_login(alice)
    response = client.get(reverse(name))
    policy = response["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_each_share_link_opening_is_logged_without_its_token(alice_link, alice, caplog):  # noqa: F811
    token = alice_link.strip("/").split("/")[-1]
    with caplog.at_level(logging.INFO, logger="tracker.summary.share_links"):
        Client().get(alice_link)
        Client().get(alice_link + "pdf/")
    lines = [record.getMessage() for record in caplog.records if record.name == "tracker.summary.share_links"]
    assert len(lines) == 2
    assert lines[0].endswith("(page)") and lines[1].endswith("(pdf)")
    assert all(f"of user {alice.pk} opened" in line for line in lines)
    assert all(token not in line for line in lines)
