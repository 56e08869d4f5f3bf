"""A page costs a fixed number of queries whatever the size of the diary."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from knowledge.models import Food
from tests.conftest import cramp, drink
from tracker.models import Exercise, Meal, Medication, Profile

pytestmark = pytest.mark.django_db


def add_entries(user, count: int) -> None:
    now = timezone.now()
    foods = list(Food.objects.all()[:3])
    for i in range(count):
        at = now - timedelta(minutes=i + 1)
        cramp(user, at)
        drink(user, at)
        Exercise.objects.create(user=user, at=at, activity="Walk", minutes=10)
        Meal.objects.create(user=user, at=at, kind="snack", description="Nuts").foods.set(foods)
        Medication.objects.create(user=user, name=f"Med {i}")


def queries_for(client, url: str) -> int:
    """Queries of a steady-state request: after a first one, which may recount the day totals once, and with no
    kept page (tracker/entries/page_cache.py), so Today and History are rendered from the diary."""
    assert client.get(url).status_code == 200
    caches["pages"].clear()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


# Today: 12, the experiment card's query (tracker/experiments/today.py) paid for by reading the signed-in person
# with their profile in one query (tracker/app/auth_backend.py) instead of two.
# The summary: 16 over two calendar months (one more for a third; an experiment begun in the period adds three),
# whatever the size of the diary (tests/tracker/test_clinician_summary.py compares 40 days with a year).
@pytest.mark.parametrize(
    "name, ceiling",
    [("today", 12), ("history", 12), ("medicines", 6), ("trends", 12), ("trends_data", 11), ("summary", 16)],
)
def test_it_costs_the_same_queries_for_2_or_50_entries(alice_client, alice, name, ceiling):
    add_entries(alice, 2)
    small = queries_for(alice_client, reverse(name))
    add_entries(alice, 48)
    large = queries_for(alice_client, reverse(name))
    assert small == large
    assert large <= ceiling


def test_a_range_switch_costs_the_same_at_any_range(alice_client, alice):
    add_entries(alice, 5)
    counts = {
        key: queries_for(alice_client, reverse("trends") + f"?range={key}")
        for key in ["4w", "12w", "26w", "52w", "all"]
    }
    assert len(set(counts.values())) == 1, counts


def test_the_signed_in_person_comes_with_their_profile_in_one_query(client, alice):
    """Every page reads the person and their profile: one query, whichever backend the session was made with (a
    session made before UserWithProfileBackend was listed keeps working, at one query more)."""
    assert "tracker.app.auth_backend.UserWithProfileBackend" in settings.AUTHENTICATION_BACKENDS
    add_entries(alice, 2)
    client.force_login(alice, backend="tracker.app.auth_backend.UserWithProfileBackend")
    with_profile = queries_for(client, reverse("more"))
    client.force_login(alice, backend="django.contrib.auth.backends.ModelBackend")
    assert queries_for(client, reverse("more")) == with_profile + 1


@override_settings(AUTHENTICATION_BACKENDS=["tracker.app.auth_backend.UserWithProfileBackend"])
def test_a_person_without_a_profile_yet_gets_one(client, alice):
    Profile.objects.filter(user=alice).delete()
    client.force_login(alice)
    assert client.get(reverse("today")).status_code == 200
    assert Profile.objects.filter(user=alice).count() == 1
