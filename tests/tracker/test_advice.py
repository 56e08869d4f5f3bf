"""Tips and see-a-clinician prompts, fed from a real diary in the database."""

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from knowledge.models import Food
from tests.conftest import HTMX_FROM_TODAY, cramp, cramp_data
from tracker.advice.facts import active_prompts, consult_facts, tip_facts
from tracker.data.demo import build_diary
from tracker.models import Exercise, Medication, PromptAcknowledgement

pytestmark = pytest.mark.django_db

LA = ZoneInfo("America/Los_Angeles")


def swollen_cramp_data() -> dict:
    return cramp_data(intensity="6", warning_signs=["swelling"])


def test_it_shows_the_urgent_prompt_in_the_response_to_saving(alice_client):
    response = alice_client.post(
        reverse("entry_create", args=["cramp"]), swollen_cramp_data(), headers=HTMX_FROM_TODAY
    )
    body = response.content.decode()
    assert 'class="prompt prompt-urgent" role="alert"' in body
    assert "Swelling, redness or warmth of one leg" in body and "blood clot" in body
    assert "Call emergency services now if you are short of breath" in body


def test_it_warns_at_once_after_a_plain_form_save_too(alice_client):
    response = alice_client.post(reverse("entry_create", args=["cramp"]), swollen_cramp_data(), follow=True)
    body = response.content.decode()
    # The save answer leads Today: the urgent prompt first, as an alert, then what was saved.
    warning = body.index("Swelling, redness or warmth of one leg")
    assert body.rfind('role="alert"', 0, warning) > body.index('id="saved-card"')
    assert warning < body.index("Cramp saved at")


def test_a_prompt_stays_until_read_and_returns_with_new_evidence(alice_client, alice):
    alice_client.post(reverse("entry_create", args=["cramp"]), swollen_cramp_data())
    assert b"prompt-clot_signs" in alice_client.get(reverse("today")).content
    response = alice_client.post(reverse("acknowledge_prompt", args=["clot_signs"]), headers=HTMX_FROM_TODAY)
    assert b"prompt-clot_signs" not in response.content
    assert b"prompt-clot_signs" not in alice_client.get(reverse("today")).content
    assert PromptAcknowledgement.objects.filter(user=alice, rule_id="clot_signs").count() == 1
    alice_client.post(reverse("entry_create", args=["cramp"]), swollen_cramp_data())
    assert b"prompt-clot_signs" in alice_client.get(reverse("today")).content


def test_one_persons_acknowledgement_does_not_hide_anothers_prompt(alice_client, alice, bob):
    cramp(alice, timezone.now(), warning_signs=["redness"])
    cramp(bob, timezone.now(), warning_signs=["redness"])
    alice_client.post(reverse("acknowledge_prompt", args=["clot_signs"]))
    assert active_prompts(alice, alice.profile.zone, timezone.now()) == []
    assert [p.rule.id for p in active_prompts(bob, bob.profile.zone, timezone.now())] == ["clot_signs"]


def test_it_prompts_about_a_statin_in_the_cabinet_and_never_says_stop(alice_client, alice):
    Medication.objects.create(user=alice, name="Simvastatin")
    body = alice_client.get(reverse("tips")).content.decode()
    assert "A medicine that can be linked with cramps" in body and "Keep taking your medicines" in body
    assert "stop taking" not in body.lower()


def test_it_counts_weeks_in_the_persons_zone(bob):
    # Monday 9 Nov 2026 10:00 in Los Angeles is 18:00 UTC: in UTC it is Monday's night, in LA it is still Sunday's.
    at = datetime(2026, 11, 9, 10, 0, tzinfo=LA)
    cramp(bob, at)
    facts = consult_facts(bob, LA, datetime(2026, 11, 20, 9, 0, tzinfo=LA))
    assert facts.cramps[0].night == date(2026, 11, 8)
    assert facts.cramps[0].at.hour == 10


def test_the_tips_for_a_seeded_diary_carry_reasons_that_match_it(alice):
    zone = alice.profile.zone
    now = timezone.now()
    today = now.astimezone(zone).date()
    build_diary(alice, zone, today - timedelta(days=20), today, now, seed=3, cramps_max_per_day=2)
    facts = tip_facts(alice, zone, now)
    week_start = datetime.combine(today - timedelta(days=6), datetime.min.time(), zone)
    hard = (
        Exercise.objects.filter(user=alice, at__gte=week_start).filter(effort="vigorous").count()
        + Exercise.objects.filter(user=alice, at__gte=week_start, heavy_sweating=True)
        .exclude(effort="vigorous")
        .count()
    )
    from knowledge.tips import tips_for

    by_id = {tip.id: tip for tip in tips_for(facts)}
    if hard:
        assert by_id["electrolytes"].reason.startswith(f"{hard} vigorous or sweaty session")
    short_days = sum(1 for ml in facts.fluid_by_day.values() if ml < 2000)
    if short_days:
        assert f"On {short_days} of the {len(facts.fluid_by_day)} days" in by_id["hydration"].reason
    assert facts.meals > 0 and facts.nutrients_eaten
    logged = {n for food in Food.objects.all() for n in food.nutrients}
    assert facts.nutrients_eaten <= logged


def test_today_shows_the_top_two_tips_and_the_tips_page_shows_all_with_reasons(alice_client, alice):
    now = timezone.now()
    for hours in (3, 30, 54):
        cramp(alice, now - timedelta(hours=hours), woke_from_sleep=True)
    today = alice_client.get(reverse("today")).content.decode()
    assert today.count('<li class="tip">') == 2
    page = alice_client.get(reverse("tips")).content.decode()
    assert page.count('<li class="tip">') >= 3
    assert (
        "Why this tip:" in page
        and 'From: <a href="/learn/sources/#vitamins-muscle-health" lang="en">' in page
    )
    assert ".txt" not in page  # a document is shown by its title, never by its file name
    assert "not medical advice" in page and reverse("see_a_clinician") in page
    assert not re.search(r"\d+\s*(mg|mcg|µg|IU)\b", page)


def test_a_new_person_gets_starter_tips(alice_client):
    assert "Log each cramp when it happens" in alice_client.get(reverse("tips")).content.decode()


@pytest.mark.parametrize("name", ["learn", "tips", "about_cramps", "see_a_clinician", "foods"])
def test_every_advice_page_carries_the_disclaimer_and_a_way_to_a_clinician(alice_client, name):
    body = alice_client.get(reverse(name)).content.decode()
    assert "not medical advice" in body and reverse("see_a_clinician") in body


def test_the_food_list_searches(alice_client):
    body = alice_client.get(reverse("foods") + "?q=spin").content.decode()
    assert "Spinach" in body and "Banana" not in body
    assert "No food matches" in alice_client.get(reverse("foods") + "?q=zzz").content.decode()


def test_a_meal_can_be_logged_from_the_food_chips(alice_client):
    page = alice_client.get(reverse("entry_create", args=["meal"])).content.decode()
    assert 'data-filter-chips="foods"' in page and "Sweet potato" in page
