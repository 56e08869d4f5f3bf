"""The per-day totals (DiaryDay) stay equal to counting the entries themselves, whatever writes them.

`day_totals.counted_rows` counts the entries afresh; the stored rows must equal it after every kind of write (the app's
own pages, the admin, the import, the demo and the ORM) without a recount in between: the writes themselves keep the
rollup current. What Trends reads from the rows (`stats.bucket_totals`, `stats.day_groups`) must equal what the
day-by-day functions (`cramp_series`, `nutrient_series`, `diary_days`) make of the entries.
"""

import json
import re
import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from knowledge.models import Food
from tests.conftest import PASSWORD, cramp, cramp_data, drink, make_person
from tracker.entries import counts, day_totals
from tracker.entries.changes import diary_changed
from tracker.models import CrampEpisode, DiaryDay, Drink, Exercise, Meal, NightCheckIn, Profile
from tracker.trends import stats

pytestmark = pytest.mark.django_db


def whole_diary(user) -> counts.Span:
    zone = Profile.objects.get(user=user).zone
    return counts.Span(date(2000, 1, 1), timezone.now().astimezone(zone).date() + timedelta(days=2), zone)


def row_values(rows) -> list[dict]:
    return [{k: v for k, v in vars(row).items() if k not in ("_state", "id")} for row in rows]


def assert_current(user) -> None:
    """The rollup is marked current, every day of it equals a count of the entries, and what Trends reads from it
    equals what the same functions make of the entries counted day by day."""
    profile = Profile.objects.get(user=user)
    assert profile.rollup_key == day_totals.key(profile)
    whole = whole_diary(user)
    stored = DiaryDay.objects.filter(user=user).order_by("day")
    assert row_values(stored) == row_values(day_totals.counted_rows(user.pk, whole))
    assert day_totals.first_day(user) == counts.diary_start(user, profile.zone)
    until = timezone.now().astimezone(profile.zone).date() - timedelta(days=1)
    for span in (whole, counts.Span(date(2026, 3, 1), until, profile.zone)):  # by month, and by week
        assert_reads_match(user, span, until)


def assert_reads_match(user, span: counts.Span, until: date) -> None:
    raw = counts.count_days(user, span)
    _, bucket_list = stats.buckets(span)
    cramps, nutrients = stats.bucket_totals(user, span, bucket_list)
    assert cramps == stats.cramp_series(raw.nights, bucket_list, raw.checkins)
    assert nutrients == stats.nutrient_series(raw.meals, bucket_list)
    per_day = stats.diary_days(span, until, raw.nights, raw.fluid, raw.exercise, raw.meals, raw.checkins)
    for target in (1200, 2000, 2700):
        grouped = stats.day_groups(user, span, until, target)
        assert sum(d.weight for d in grouped) == len(per_day)
        assert stats.fluid_bands(grouped, int, "ml") == stats.fluid_bands(per_day, int, "ml")
        assert stats.exercise_bands(grouped) == stats.exercise_bands(per_day)
        assert stats.associations(grouped, target) == stats.associations(per_day, target)


def recent(hours: float) -> str:
    return (timezone.localtime() - timedelta(hours=hours)).strftime("%Y-%m-%dT%H:%M")


@pytest.fixture
def counted(alice_client, alice):
    """Alice with a rollup that a first Trends read made current."""
    assert alice_client.get(reverse("trends")).status_code == 200
    assert_current(alice)
    return alice_client


def test_every_write_from_the_pages_keeps_the_totals_current(counted, alice):
    client = counted
    spinach, banana, almonds = (Food.objects.get(slug=s) for s in ("spinach", "banana", "almonds"))
    for kind, data in [
        ("cramp", cramp_data(at=recent(30))),
        ("cramp", cramp_data(at=recent(2), intensity="9", woke_from_sleep="on")),
        ("drink", {"uuid": str(uuid.uuid4()), "amount": "300", "kind": "water", "at": recent(5)}),
        ("exercise", {"uuid": str(uuid.uuid4()), "activity": "Run", "minutes": "40", "effort": "vigorous",
                      "heavy_sweating": "on", "at": recent(6)}),
        ("meal", {"uuid": str(uuid.uuid4()), "kind": "lunch", "foods": [spinach.pk, banana.pk], "at": recent(7)}),
    ]:  # fmt: skip
        response = client.post(reverse("entry_create", args=[kind]), data)
        assert response.status_code == 302, (kind, response.content[:300])
        assert_current(alice)
    client.post(reverse("quick_drink"), {"uuid": str(uuid.uuid4()), "amount_ml": "500"})
    assert Drink.objects.filter(user=alice).count() == 2
    assert_current(alice)

    # Edits that move an entry to another day or night recount both days.
    moved = CrampEpisode.objects.filter(user=alice).order_by("at").first()
    client.post(reverse("entry_edit", args=["cramp", moved.pk]), cramp_data(at=recent(24 * 4), intensity="3"))
    assert CrampEpisode.objects.get(pk=moved.pk).intensity == 3
    assert_current(alice)
    meal = Meal.objects.get(user=alice)
    client.post(
        reverse("entry_edit", args=["meal", meal.pk]),
        {"uuid": str(meal.uuid), "kind": "dinner", "foods": [almonds.pk], "at": recent(50)},
    )
    assert list(Meal.objects.get(pk=meal.pk).foods.all()) == [almonds]
    assert_current(alice)

    # A check-in for a night without cramps, then deletes.
    night = timezone.localdate() - timedelta(days=2)
    client.post(reverse("night_checkin"), {"uuid": str(uuid.uuid4()), "night": night.isoformat()})
    assert NightCheckIn.objects.filter(user=alice, night=night).exists()
    assert_current(alice)
    for kind, model in [("exercise", Exercise), ("meal", Meal), ("cramp", CrampEpisode)]:
        client.post(reverse("entry_delete", args=[kind, model.objects.filter(user=alice).first().pk]))
        assert_current(alice)
    assert DiaryDay.objects.filter(user=alice).exists()


def test_trends_read_the_totals_the_entries_give(counted, alice):
    """The page's numbers come from the rollup and match the entries: 3 cramps, intensity 4 to 8."""
    now = timezone.now()
    for hours, intensity in [(30, 4), (28, 6), (26, 8)]:  # nights that are over: Trends ends last night
        cramp(alice, now - timedelta(hours=hours), intensity=intensity, duration_seconds=120)
    drink(alice, now - timedelta(hours=3), ml=700)
    data = counted.get(reverse("trends_data") + "?range=all").json()
    assert sum(data["cramps"]["count"]) == 3 and max(t for t in data["intensity"]["top"] if t) == 8
    assert sum(data["minutes"]["minutes"]) == 6


def test_a_new_time_zone_recounts_the_days_on_the_next_read(counted, alice):
    # 23:30 in London on 1 June is 08:30 the next day in Tokyo: the drink moves to another local day.
    late = datetime(2026, 6, 1, 22, 30, tzinfo=UTC)
    drink(alice, late, ml=400)
    assert list(DiaryDay.objects.filter(user=alice).values_list("day", "fluid_ml")) == [
        (date(2026, 6, 1), 400)
    ]
    counted.post(reverse("profile"), {"display_name": "", "time_zone": "Asia/Tokyo", "volume_unit": "ml",
                                       "fluid_target": "2000"})  # fmt: skip
    assert Profile.objects.get(user=alice).time_zone == "Asia/Tokyo"
    counted.get(reverse("trends"))
    assert list(DiaryDay.objects.filter(user=alice).values_list("day", "fluid_ml")) == [
        (date(2026, 6, 2), 400)
    ]
    assert_current(alice)


def test_an_import_a_bulk_write_leaves_the_totals_current(counted, alice, bob):
    """A bulk write marks the totals for a recount (diary_changed, whole diary); the import's job then recounts
    them before it says done, so the first page after it doesn't wait (tracker/data/import_jobs.py)."""
    drink(bob, timezone.now() - timedelta(hours=1))
    bob_client = counted.__class__()
    bob_client.force_login(bob)
    exported = b"".join(bob_client.get(reverse("export_json")).streaming_content)
    counted.post(reverse("my_data"), {"file": SimpleUploadedFile("d.json", exported)})
    assert Drink.objects.filter(user=alice).count() == 1
    assert Profile.objects.get(user=alice).rollup_key != ""
    assert_current(alice)


def test_the_demo_diary_is_counted_on_its_first_read(client):
    call_command("seed_demo")
    demo = User.objects.get(username="demo")
    assert Profile.objects.get(user=demo).rollup_key == ""
    client.force_login(demo)
    client.get(reverse("trends_data") + "?range=all")
    assert_current(demo)
    assert DiaryDay.objects.filter(user=demo).count() > 50


def test_a_delete_from_the_admin_list_marks_the_totals_for_a_recount(counted, alice):
    drinks = [drink(alice, timezone.now() - timedelta(hours=h)) for h in (1, 2)]
    assert_current(alice)
    User.objects.filter(pk=alice.pk).update(is_staff=True, is_superuser=True)
    response = counted.post(
        "/admin/tracker/drink/",
        {"action": "delete_selected", "_selected_action": [d.pk for d in drinks], "post": "yes"},
    )
    assert response.status_code == 302 and not Drink.objects.exists()
    counted.get(reverse("trends_data"))
    assert_current(alice)


def test_a_stale_rollup_is_recounted_once_then_read_in_a_fixed_number_of_queries(counted, alice):
    for days in range(40):
        drink(alice, timezone.now() - timedelta(days=days, hours=1))
    diary_changed(alice.pk, whole_diary=True)
    url = reverse("trends_data") + "?range=all"
    with CaptureQueriesContext(connection) as first:
        counted.get(url)
    with CaptureQueriesContext(connection) as second:
        counted.get(url)
    assert any(
        "diaryday" in q["sql"].lower() and "insert" in q["sql"].lower() for q in first.captured_queries
    )
    assert not any("insert" in q["sql"].lower() for q in second.captured_queries)
    assert len(second) < len(first)
    assert_current(alice)


def test_a_persons_totals_go_with_their_account(counted, alice):
    drink(alice, timezone.now() - timedelta(hours=1))
    assert DiaryDay.objects.filter(user=alice).exists()
    counted.post(reverse("delete_account"), {"password": PASSWORD, "confirm": "delete"})
    assert not User.objects.filter(pk=alice.pk).exists()
    assert not DiaryDay.objects.exists()


# Random writes around both of London's clock changes: every sequence leaves the rollup equal to a recount.
WHEN = st.builds(
    lambda base, minutes: base + timedelta(minutes=minutes),
    st.sampled_from([datetime(2026, 3, 28, 12, tzinfo=UTC), datetime(2026, 10, 24, 12, tzinfo=UTC)]),
    st.integers(0, 4 * 24 * 60),
)
OPERATION = st.one_of(
    st.tuples(st.just("cramp"), WHEN, st.integers(0, 10)),
    st.tuples(st.just("drink"), WHEN, st.integers(1, 3000)),
    st.tuples(st.just("exercise"), WHEN, st.integers(1, 200)),
    st.tuples(st.just("meal"), WHEN, st.integers(0, 7)),
    st.tuples(st.just("checkin"), WHEN, st.integers(0, 3)),
    st.tuples(st.just("move"), WHEN, st.integers(0, 1000)),
    st.tuples(st.just("delete"), WHEN, st.integers(0, 1000)),
)


class RandomWrites(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.person = make_person("carol", "Europe/London")
        cls.foods = list(Food.objects.order_by("slug"))

    def setUp(self):
        day_totals.make_current(User.objects.get(pk=self.person.pk))

    def entries(self) -> list:
        models = (CrampEpisode, Drink, Exercise, Meal, NightCheckIn)
        return [e for model in models for e in model.objects.filter(user=self.person).order_by("pk")]

    @settings(max_examples=30, deadline=None)
    @given(st.lists(OPERATION, min_size=1, max_size=12))
    def test_any_writes_leave_the_totals_equal_to_a_recount(self, operations):
        person = self.person
        for action, at, number in operations:
            if action == "cramp":
                cramp(person, at, intensity=number, woke_from_sleep=number > 5)
            elif action == "drink":
                drink(person, at, ml=number)
            elif action == "exercise":
                effort = "vigorous" if number > 60 else "light"
                Exercise.objects.create(
                    user=person,
                    at=at,
                    activity="Walk",
                    minutes=number,
                    effort=effort,
                    heavy_sweating=number > 100,
                )
            elif action == "meal":
                meal = Meal.objects.create(user=person, at=at, kind="lunch")
                meal.foods.set(self.foods[number * 7 : number * 7 + number])
            elif action == "checkin":
                night = at.astimezone(person.profile.zone).date() - timedelta(days=number)
                NightCheckIn.objects.get_or_create(user=person, night=night, defaults={"at": at})
            elif entries := self.entries():
                entry = entries[number % len(entries)]
                if action == "delete":
                    entry.delete()
                elif isinstance(entry, NightCheckIn):
                    if not NightCheckIn.objects.filter(user=person, night=at.date()).exists():
                        entry.night = at.date()
                        entry.save()
                else:
                    entry.at = at
                    entry.save()
                    if isinstance(entry, Meal):
                        entry.foods.set(self.foods[: number % 5])
        assert_current(person)


def test_the_recount_key_names_the_zone_and_the_food_groups(alice):
    profile = Profile.objects.get(user=alice)
    assert profile.time_zone in day_totals.key(profile)
    assert json.dumps(day_totals.key(profile))  # a plain string, stored on the profile


def test_a_write_recounts_only_its_own_days_whatever_the_size_of_the_diary(counted, alice):
    """Logging a drink costs the same queries with 2 days of diary or 60: only the drink's day is recounted."""

    def log_a_drink() -> list[dict]:
        data = {"uuid": str(uuid.uuid4()), "amount": "250", "kind": "water", "at": recent(1)}
        with CaptureQueriesContext(connection) as captured:
            assert counted.post(reverse("entry_create", args=["drink"]), data).status_code == 302
        return captured.captured_queries

    for days in range(2):
        drink(alice, timezone.now() - timedelta(days=days + 1))
    small = log_a_drink()
    for days in range(2, 60):
        drink(alice, timezone.now() - timedelta(days=days + 1))
    large = log_a_drink()
    assert len(small) == len(large)
    deleted = [q["sql"] for q in large if q["sql"].startswith('DELETE FROM "tracker_diaryday"')]
    assert len(deleted) == 1
    first, last = re.findall(r"\"day\" (?:>=|<=) '([\d-]+)'", deleted[0])
    assert first == last  # one day recounted, not the diary
    assert_current(alice)


def test_a_write_that_lands_while_the_whole_diary_is_counted_is_not_lost(alice, monkeypatch):
    """The whole-diary count runs outside the lock (so no writer waits for it); a write that comes in meanwhile
    makes it count again instead of storing totals that miss it."""
    for days in range(10):
        drink(alice, timezone.now() - timedelta(days=days, hours=1))
    diary_changed(alice.pk, whole_diary=True)
    counting = day_totals.counted_rows
    calls = []

    def a_write_lands_meanwhile(user_id, span):
        rows = counting(user_id, span)
        calls.append(span)
        if len(calls) == 1:
            drink(alice, timezone.now() - timedelta(days=3), ml=777)  # another tab, the outbox, an import
        return rows

    monkeypatch.setattr(day_totals, "counted_rows", a_write_lands_meanwhile)
    day_totals.make_current(alice)
    assert len(calls) == 2  # counted again after the write
    assert_current(alice)  # and the 777 ml is in the totals


@pytest.mark.django_db(transaction=True)
def test_the_whole_diary_is_counted_outside_any_transaction(alice, monkeypatch):
    drink(alice, timezone.now() - timedelta(hours=1))
    diary_changed(alice.pk, whole_diary=True)
    counting, seen = day_totals.counted_rows, []

    def note(user_id, span):
        seen.append(connection.in_atomic_block)
        return counting(user_id, span)

    monkeypatch.setattr(day_totals, "counted_rows", note)
    day_totals.make_current(alice)
    assert seen == [False]  # on SQLite a write transaction would hold every other writer for the whole count
    assert_current(alice)
