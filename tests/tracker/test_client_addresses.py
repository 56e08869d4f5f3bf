"""Client addresses as the proxy set-up says: the X-Forwarded-For entry as many from the right as there are trusted
proxies, whatever its range; a malformed one never merges two clients; IPv6 counted by its /64; and failed log-ins
for one username slowed from addresses that never logged in to it, so its owner is never locked out."""

import logging
from pathlib import Path

import pytest
from axes.helpers import get_client_ip_address
from django.conf import settings as django_settings
from django.contrib.auth.models import User
from django.test import Client, RequestFactory
from django.urls import reverse

from config.settings import proxy_settings
from tests.conftest import PASSWORD, confirmed
from tracker.accounts import throttle

pytestmark = pytest.mark.django_db
PROXY = "10.0.0.2"  # the proxy, as the app server sees it (REMOTE_ADDR)


@pytest.fixture
def proxies(settings):
    """Trust `n` proxies, as settings.py does for TRUSTED_PROXIES=n (one unless the test says otherwise)."""

    def trust(n: int) -> None:
        settings.AXES_IPWARE_META_PRECEDENCE_ORDER, settings.AXES_IPWARE_PROXY_COUNT = proxy_settings(n)

    trust(1)
    return trust


def request_from(forwarded: str | None = None, remote: str = PROXY):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return RequestFactory().post("/", REMOTE_ADDR=remote, **extra)


def log_in(
    forwarded: str | None,
    password: str,
    username: str = "alice",
    remote: str = PROXY,
    client: Client | None = None,
):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return (client or Client()).post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=remote, **extra
    )


# Which entry is the client --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "trusted, forwarded, client",
    [
        # The proxy's own hop is private: the forged entry to its left is still not believed.
        (1, "8.8.8.8, 192.168.1.50", "192.168.1.50"),  # a home or office network
        (1, "8.8.8.8, 100.64.0.9", "100.64.0.9"),  # carrier-grade NAT
        (1, "8.8.8.8, 172.17.0.1", "172.17.0.1"),  # Docker's bridge
        # What a client puts further left, well formed or not, changes nothing.
        (1, "unknown, 198.51.100.7", "198.51.100.7"),
        (1, "not an address, 8.8.4.4", "8.8.4.4"),
        # Two proxies: the entry the outer one appended, whatever the client and the inner hop say.
        (2, "8.8.8.8, 192.168.1.50, 8.8.4.4", "192.168.1.50"),
        (3, "8.8.8.8, 203.0.113.4, 10.1.1.1, 10.2.2.2", "203.0.113.4"),  # a CDN, a load balancer, nginx
        # Fewer entries than proxies: the client reached an inner proxy directly; the left-most entry is its own.
        (3, "203.0.113.4, 10.2.2.2", "203.0.113.4"),
        # IPv6 by its /64, and the forms some proxies write.
        (1, "2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::"),
        (1, "8.8.8.8, ::ffff:198.51.100.7", "198.51.100.7"),
        (1, "8.8.8.8, 198.51.100.7:4711", "198.51.100.7"),
        (1, "8.8.8.8, [2001:db8:1:2::5]:443", "2001:db8:1:2::"),
    ],
)
def test_it_takes_the_entry_as_many_from_the_right_as_there_are_trusted_proxies(
    proxies, trusted, forwarded, client
):
    proxies(trusted)
    request = request_from(forwarded)
    assert throttle.client_key(request) == client  # the sign-up and reset limits
    assert get_client_ip_address(request) == client  # the log-in lockout


def test_without_a_proxy_an_ipv6_peer_is_counted_by_its_64(settings):
    request = request_from("8.8.8.8", remote="2001:db8:1:2:aaaa::1")
    assert throttle.client_key(request) == get_client_ip_address(request) == "2001:db8:1:2::"


def test_behind_a_proxy_a_request_without_the_header_is_counted_by_its_peer(proxies):
    request = request_from(None, remote="2001:db8:1:2::7")
    assert throttle.client_key(request) == get_client_ip_address(request) == "2001:db8:1:2::"


@pytest.mark.parametrize("entry", ["unknown", "", "_hidden", "999.1.1.1"])
def test_a_malformed_entry_where_the_client_should_be_never_merges_two_clients(proxies, entry, caplog):
    first, second = request_from(f"8.8.8.8, {entry}"), request_from(f"8.8.4.4, {entry}")
    with caplog.at_level(logging.WARNING, logger="tracker.app.client"):
        keys = {get_client_ip_address(first), get_client_ip_address(second)}
    assert len(keys) == 2 and PROXY not in keys
    assert throttle.client_key(first) != throttle.client_key(second)
    assert "counted as a client of its own" in caplog.text  # so the operator can fix the proxy


def test_one_function_reads_the_client_address():
    assert django_settings.AXES_CLIENT_IP_CALLABLE == "tracker.app.client.client_address"
    tracker = Path(__file__).resolve().parents[2] / "tracker"
    readers = {
        path.relative_to(tracker).as_posix()
        for path in tracker.rglob("*.py")
        if any(
            word in path.read_text() for word in ("REMOTE_ADDR", "X_FORWARDED_FOR", "ipware", "get_client_ip")
        )
    }
    assert readers == {"app/client.py"}


# Behind a proxy whose own hop is private ------------------------------------------------------------------------


def test_forged_addresses_left_of_a_private_hop_do_not_escape_the_lockout(alice, proxies):
    for n in range(5):
        log_in(f"8.8.8.{n}, 192.168.1.50", "wrong")
    assert log_in("8.8.4.4, 192.168.1.50", PASSWORD).status_code == 429


def test_forging_someone_elses_address_does_not_lock_them_out(alice, proxies):
    for _ in range(5):
        log_in("8.8.4.4, 100.64.0.9", "wrong")  # an attacker behind carrier-grade NAT names alice's address
    assert log_in("8.8.4.4", PASSWORD).status_code == 302  # alice, from that address


def test_forged_addresses_do_not_escape_the_sign_up_limit(proxies):
    for n in range(10):
        Client().post(
            reverse("signup"), {"username": f"user{n}", "password1": "x", "password2": "y"},
            REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"8.8.8.{n}, 172.17.0.1",
        )  # fmt: skip
    response = Client().post(
        reverse("signup"), {"username": "late", "password1": "a-long-secret-42", "password2": "a-long-secret-42"},
        REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="8.8.4.4, 172.17.0.1",
    )  # fmt: skip
    assert response.status_code == 429 and not User.objects.filter(username="late").exists()


def test_forged_addresses_do_not_escape_the_reset_limit(alice, proxies):
    confirmed(alice, "alice@example.org")
    for n in range(10):
        Client().post(
            reverse("password_reset"), {"email": f"someone{n}@example.org"},
            REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"8.8.8.{n}, 172.17.0.1",
        )  # fmt: skip
    response = Client().post(
        reverse("password_reset"), {"email": "alice@example.org"},
        REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="8.8.4.4, 172.17.0.1",
    )  # fmt: skip
    assert response.status_code == 429


# Malformed entries -----------------------------------------------------------------------------------------------


def test_clients_the_proxy_could_not_name_are_not_locked_together(alice, proxies):
    for _ in range(5):
        log_in("unknown", "wrong")  # one client, which the proxy wrote as "unknown"
    assert log_in("unknown", PASSWORD).status_code == 302  # another, also "unknown"


def test_a_malformed_entry_a_client_sends_does_not_join_it_to_others(alice, proxies):
    for _ in range(5):
        log_in("unknown, 198.51.100.7", "wrong")
    assert log_in("unknown, 203.0.113.9", PASSWORD).status_code == 302


# IPv6 ------------------------------------------------------------------------------------------------------------


def test_the_addresses_of_one_ipv6_64_share_one_count(alice):
    for n in range(1, 6):
        log_in(None, "wrong", remote=f"2001:db8:1:2::{n}")
    assert log_in(None, PASSWORD, remote="2001:db8:1:2::99").status_code == 429
    assert log_in(None, PASSWORD, remote="2001:db8:1:3::1").status_code == 302  # the next /64 is someone else


# Failed log-ins per username -------------------------------------------------------------------------------------


def test_after_many_failures_a_username_is_tried_once_a_minute_from_addresses_it_never_used(
    clock, alice, bob
):
    clock.at("2026-03-02T10:00")
    phone = Client()
    assert log_in(None, PASSWORD, remote="198.51.100.20", client=phone).status_code == 302
    phone.post(reverse("logout"))
    for n in range(throttle.USERNAME_FAILURES):
        assert (
            log_in(None, "wrong", remote=f"203.0.113.{n}").status_code == 200
        )  # each address below its own 5
    slowed = log_in(None, PASSWORD, remote="203.0.113.50")
    assert slowed.status_code == 429 and "Try again in a minute" in slowed.content.decode()
    assert slowed["Retry-After"] == "60"
    # Alice's own phone, and other people, are not slowed.
    assert log_in(None, PASSWORD, remote="198.51.100.20").status_code == 302
    assert log_in(None, PASSWORD, username="bob", remote="203.0.113.51").status_code == 302
    # A minute on, a new address has one try: slowed, not locked.
    clock.shift(seconds=61)
    assert log_in(None, "wrong", remote="203.0.113.52").status_code == 200
    assert log_in(None, PASSWORD, remote="203.0.113.53").status_code == 429
    clock.shift(seconds=61)
    assert log_in(None, PASSWORD, remote="203.0.113.53").status_code == 302


def test_the_pace_ends_when_the_failures_are_15_minutes_old(clock, alice):
    clock.at("2026-03-02T10:00")
    for n in range(throttle.USERNAME_FAILURES):
        log_in(None, "wrong", remote=f"203.0.113.{n}")
    assert log_in(None, PASSWORD, remote="203.0.113.50").status_code == 429
    clock.shift(minutes=16)
    assert log_in(None, PASSWORD, remote="203.0.113.50").status_code == 302
