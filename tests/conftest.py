import os
import socket
import uuid
from datetime import date, datetime, timedelta
from email import message_from_bytes, policy
from zoneinfo import ZoneInfo

import pytest
from aiosmtpd.controller import Controller
from django.contrib.auth.models import User
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone, translation

from knowledge.models import Food
from tests.clock import Clock, moment
from tracker.models import CrampEpisode, Drink, Exercise, Meal, Medication, NightCheckIn, Profile

# Playwright's sync API runs an event loop in the test thread beside pytest-django's live_server.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PASSWORD = "correct horse battery"
IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def pytest_addoption(parser):
    group = parser.getgroup("clock", "the suite at a chosen moment (tests/clock.py)")
    group.addoption(
        "--at",
        metavar="YYYY-MM-DDTHH:MM",
        help="run every test as if it were this local time (with +HH:MM, that offset's occurrence of a repeated time)",
    )
    group.addoption(
        "--at-zone", metavar="ZONE", default="Europe/London", help="the zone of --at (Europe/London)"
    )


def pytest_report_header(config):
    if config.getoption("--at"):
        return f"clock: every test starts at {chosen_moment_of(config).isoformat()} ({config.getoption('--at-zone')})"
    return None


def chosen_moment_of(config) -> datetime:
    try:
        return moment(config.getoption("--at"), config.getoption("--at-zone"))
    except (ValueError, KeyError) as problem:
        raise pytest.UsageError(f"--at {config.getoption('--at')!r} --at-zone: {problem}") from problem


@pytest.fixture(autouse=True)
def chosen_moment(request):
    """With --at, every test starts at that local moment and the clock ticks on from there."""
    if not request.config.getoption("--at"):
        yield None
        return
    clock = Clock()
    clock.at(chosen_moment_of(request.config), request.config.getoption("--at-zone"))
    yield clock.now
    clock.stop()


@pytest.fixture
def clock(chosen_moment):
    """Now, for this test: `clock.at("2026-12-04T21:30")` (tests/clock.py). Set, it wins over --at. Set it before
    logging a client in: a session made at another moment may have run out at this one."""
    clock = Clock()
    yield clock
    clock.stop()


@pytest.fixture(autouse=True, scope="session")
def fast_password_hashing():
    """Every test account's password is hashed once and checked at each log-in: with production's PBKDF2 (about
    0.3 s a hash here) that was most of the suite's time. Tests hash with MD5, as Django's own test settings
    advise; the app's settings keep PBKDF2, which the deploy check reads."""
    from django.test import override_settings

    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(autouse=True)
def site_language():
    """Every test starts and ends in the site's language. Django's LocaleMiddleware leaves the language of the last
    request active in the thread, so a Spanish request would otherwise make the next test's words Spanish."""
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def tasks_run_at_once(settings):
    """Background tasks (sending email) run inside the request in tests, so their effects can be checked at once.
    A test that needs the queue itself sets TASKS back to the database backend."""
    settings.TASKS = IMMEDIATE_TASKS


# What an htmx form on Today sends: the server answers with the refreshed #today-body fragment.
HTMX_FROM_TODAY = {"HX-Request": "true", "HX-Target": "today-body"}


def cramp_data(**overrides) -> dict:
    """A cramp form as Today posts it with its defaults; empty `at` means now."""
    return {
        "uuid": str(uuid.uuid4()),
        "at": "",
        "duration_minutes": "3",
        "intensity": "5",
        "muscle": "calf",
        "side": "left",
        **overrides,
    }


def make_person(username: str, zone: str = "UTC") -> User:
    user = User.objects.create_user(username, password=PASSWORD)
    Profile.objects.filter(user=user).update(time_zone=zone)
    user.refresh_from_db()
    return user


@pytest.fixture
def alice(db) -> User:
    return make_person("alice", "Europe/London")


@pytest.fixture
def bob(db) -> User:
    return make_person("bob", "America/Los_Angeles")


@pytest.fixture
def alice_client(client, alice):
    client.force_login(alice)
    return client


@pytest.fixture
def bob_client(client, bob):
    client.force_login(bob)
    return client


def cramp(user, at: datetime, **fields) -> CrampEpisode:
    values = {"duration_seconds": 180, "intensity": 5, "muscle": "calf", "side": "left", **fields}
    return CrampEpisode.objects.create(user=user, at=at, **values)


def drink(user, at: datetime, ml: int = 250, kind: str = "water") -> Drink:
    return Drink.objects.create(user=user, at=at, amount_ml=ml, kind=kind)


def local(zone: str, *args) -> datetime:
    return datetime(*args, tzinfo=ZoneInfo(zone))


@pytest.fixture
def alices_entries(alice) -> dict:
    """One entry of every kind for alice, with words no one else's diary holds, so a leak is easy to spot."""
    now = timezone.now() - timedelta(hours=1)
    meal = Meal.objects.create(user=alice, at=now, kind="lunch", description="Quokka soup")
    meal.foods.add(Food.objects.first())
    return {
        "cramp": cramp(alice, now),
        "drink": drink(alice, now),
        "exercise": Exercise.objects.create(
            user=alice, at=now, activity="Walk to the lighthouse", minutes=20
        ),
        "meal": meal,
        "checkin": NightCheckIn.objects.create(user=alice, at=now, night=date(2026, 1, 1)),
        "medicine": Medication.objects.create(user=alice, name="Zyxomagnol"),
    }


def route_names(resolver=None) -> set[str]:
    """The name of every route the URL resolver knows, except Django's admin (staff only, guarded by Django)."""
    names = set()
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            if entry.app_name != "admin":
                names |= route_names(entry)
        elif isinstance(entry, URLPattern) and entry.name:
            names.add(entry.name)
    return names


def pytest_terminal_summary(terminalreporter):
    """How many hostile requests the property-based tests sent (tests/tracker/test_bad_input.py)."""
    from tests.hostile import CASES

    if CASES:
        terminalreporter.section("bad input")
        terminalreporter.write_line(f"{sum(CASES.values())} generated requests on {len(CASES)} endpoints:")
        for name, count in sorted(CASES.items()):
            terminalreporter.write_line(f"  {name}: {count}")


@pytest.fixture
def foods(db):
    """The foods a data migration makes. A transactional test before this one may have flushed them away (the
    flush empties every table), so they are put back the way the migration does it."""
    from importlib import import_module

    from django.apps import apps

    if not Food.objects.exists():
        import_module("knowledge.migrations.0004_foods_from_documents").sync_foods(apps, None)


class Inbox:
    """What the SMTP server started for a test received."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        self.messages.append(message_from_bytes(envelope.original_content, policy=policy.default))
        return "250 OK"


@pytest.fixture
def smtp(settings):
    """A real SMTP server (aiosmtpd) on a free local port, with Django's SMTP backend pointed at it."""
    inbox = Inbox()
    with socket.socket() as probe:  # a free port on this machine
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    yield inbox
    controller.stop()


def confirmed(user: User, email: str = "alice@example.org") -> User:
    """The person with a confirmed email address."""
    user.email = email
    user.save()
    user.profile.email_confirmed_at = timezone.now()
    user.profile.save()
    return user
