from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from tracker.models import CrampEpisode, Drink, Exercise, Meal, Medication, NightCheckIn

pytestmark = pytest.mark.django_db

KINDS = [CrampEpisode, NightCheckIn, Drink, Exercise, Meal, Medication]


def counts() -> list[int]:
    return [model.objects.filter(user__username="demo").count() for model in KINDS]


def test_it_seeds_twelve_weeks_of_every_kind_and_can_run_again(capsys):
    call_command("seed_demo")
    first = counts()
    assert all(n > 0 for n in first)
    call_command("seed_demo")
    assert counts() == first
    oldest = CrampEpisode.objects.order_by("at").first().at
    assert timezone.now() - oldest <= timedelta(weeks=12, days=2)
    assert not CrampEpisode.objects.filter(at__gt=timezone.now()).exists()
    assert Meal.objects.filter(user__username="demo", foods__isnull=False).exists()
    assert "Log in as 'demo'" in capsys.readouterr().out
