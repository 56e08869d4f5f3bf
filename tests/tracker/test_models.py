from datetime import date

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from tests.conftest import cramp, drink
from tracker.models import Exercise, Medication, NightCheckIn, Profile

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def violates(create) -> bool:
    try:
        with transaction.atomic():
            create()
    except IntegrityError:
        return True
    return False


@pytest.mark.parametrize("intensity, ok", [(-1, False), (0, True), (10, True), (11, False)])
def test_it_keeps_intensity_within_0_to_10(alice, intensity, ok):
    assert violates(lambda: cramp(alice, NOW, intensity=intensity)) is not ok


@pytest.mark.parametrize(
    "seconds, ok", [(0, False), (1, True), (3 * 60 * 60, True), (3 * 60 * 60 + 1, False)]
)
def test_it_requires_a_positive_bounded_duration(alice, seconds, ok):
    assert violates(lambda: cramp(alice, NOW, duration_seconds=seconds)) is not ok


@pytest.mark.parametrize("field, value", [("muscle", "elbow"), ("side", "top"), ("sleep_disturbance", 11)])
def test_it_rejects_values_outside_the_choices(alice, field, value):
    assert violates(lambda: cramp(alice, NOW, **{field: value}))


@pytest.mark.parametrize("ml, ok", [(0, False), (1, True), (3000, True), (3001, False)])
def test_it_bounds_drink_amounts(alice, ml, ok):
    assert violates(lambda: drink(alice, NOW, ml=ml)) is not ok


def test_it_bounds_exercise_minutes(alice):
    assert violates(lambda: Exercise.objects.create(user=alice, at=NOW, activity="x", minutes=0))
    assert violates(lambda: Exercise.objects.create(user=alice, at=NOW, activity="x", minutes=1441))


def test_it_stores_one_entry_per_uuid_and_person(alice, bob):
    first = cramp(alice, NOW)
    assert violates(lambda: cramp(alice, NOW, uuid=first.uuid))
    assert not violates(lambda: cramp(bob, NOW, uuid=first.uuid))


def test_it_allows_one_check_in_per_night(alice):
    NightCheckIn.objects.create(user=alice, at=NOW, night=date(2026, 3, 1))
    assert violates(lambda: NightCheckIn.objects.create(user=alice, at=NOW, night=date(2026, 3, 1)))


def test_it_refuses_a_medicine_stopped_before_it_started(alice):
    assert violates(
        lambda: Medication.objects.create(
            user=alice, name="X", started=date(2026, 3, 2), stopped=date(2026, 3, 1)
        )
    )


def test_it_bounds_the_fluid_target(alice):
    assert violates(lambda: Profile.objects.filter(user=alice).update(fluid_target_ml=100))


def test_it_gives_every_new_person_a_profile(db, django_user_model):
    user = django_user_model.objects.create_user("carol", password="x")
    assert Profile.objects.get(user=user).time_zone == "UTC"


def test_it_converts_volumes_in_the_persons_unit(alice):
    profile = alice.profile
    assert profile.format_volume(250) == "250 ml"
    profile.volume_unit = "floz"
    assert profile.format_volume(profile.to_ml(8)) == "8 fl oz"
    assert profile.quick_drink_sizes_ml == [237, 473]
