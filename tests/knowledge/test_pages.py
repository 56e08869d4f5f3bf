"""The pages a person reads: documents by title with a link to Sources, prompts always with the disclaimer, tips
once each and in the person's unit."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from knowledge.models import Food
from knowledge.sources import SOURCES
from tests.conftest import cramp, drink
from tracker.models import Meal, Medication, Profile

pytestmark = pytest.mark.django_db

FILE_NAME = re.compile(r"\d{3}_[0-9a-f]{16}\.txt")
DISCLAIMER = "not medical advice"


def page(client, name: str, *args) -> str:
    response = client.get(reverse(name, args=args))
    assert response.status_code == 200
    return response.content.decode()


def test_the_sources_page_names_each_document_by_title_with_what_it_covers(alice_client):
    body = page(alice_client, "sources")
    for source in SOURCES:
        assert f'id="{source.anchor}"' in body and source.title in body and source.covers in body
    assert '<a href="https://ods.od.nih.gov/"' in body and '<a href="https://www.nih.gov/"' in body
    assert "JAMA Internal Medicine" in body and "does not say" in body
    assert not FILE_NAME.search(body) and DISCLAIMER in body


def test_the_rules_and_sources_are_open_to_a_clinician_from_a_shared_summary(client):
    """General content, no diary: a clinician following a shared summary's link reads them without an account."""
    for name in ("see_a_clinician", "sources"):
        response = client.get(reverse(name))
        assert response.status_code == 200
        page = response.content.decode()
        assert f'href="{reverse("learn")}"' not in page and 'class="tabbar"' not in page  # no diary from here
        for link in re.findall(r'href="(/learn/[^"#]*)', page):
            assert client.get(link).status_code == 200, link  # every Learn link it holds opens for them too
    assert client.get(reverse("learn")).status_code == 302  # the rest of Learn stays with the diary


def test_learn_links_to_the_sources(alice_client):
    assert f'href="{reverse("sources")}"' in page(alice_client, "learn")


@pytest.mark.parametrize(
    "name, args",
    [
        ("learn", ()),
        ("about_cramps", ()),
        ("foods", ()),
        ("see_a_clinician", ()),
        ("nutrient", ("magnesium",)),
        ("tips", ()),
        ("today", ()),
    ],
)
def test_pages_say_from_which_document_by_title_and_never_show_a_file_name(alice_client, alice, name, args):
    cramp(alice, timezone.now() - timedelta(hours=3), woke_from_sleep=True, duration_seconds=15 * 60)
    body = page(alice_client, name, *args)
    assert not FILE_NAME.search(body) and ".txt" not in body
    assert "Source:" not in body
    assert re.search(r'From: <a href="/learn/sources/#[a-z-]+" lang="en">[A-Z]', body)  # titles as published


def test_the_see_a_clinician_page_says_when_each_prompt_goes_away_in_plain_words(alice_client):
    body = page(alice_client, "see_a_clinician")
    assert body.count("When it goes away:") == 8
    assert "It goes away 14 days after the last cramp of those 2 weeks" in body
    for word in ("threshold", "Rule:", "matches a diuretic"):
        assert word not in body
    for label in ("Urgent: today", "Book an appointment", "At your next visit"):
        assert label in body


def prompts_section(body: str) -> str:
    start = body.index('<section class="prompts"')
    return body[start : body.index("</section>", start)]


@pytest.mark.parametrize("name", ["today", "tips"])
def test_prompts_always_come_with_the_disclaimer_and_the_way_to_a_clinician(alice_client, alice, name):
    cramp(alice, timezone.now() - timedelta(hours=3), duration_seconds=15 * 60)  # Book an appointment
    Medication.objects.create(user=alice, name="Furosemide")  # At your next visit
    body = page(alice_client, name)
    section = prompts_section(body)
    assert "Book an appointment" in section and "At your next visit" in section
    assert section.count(DISCLAIMER) == 1 and reverse("see_a_clinician") in section
    assert section.index(DISCLAIMER) > section.rindex('class="prompt prompt-')
    assert "Rule:" not in body and "threshold" not in body and "((" not in body
    assert "Furosemide, a water tablet (diuretic)" in section
    if name == "tips":
        assert body.count(DISCLAIMER) == 1


def test_without_prompts_the_tips_page_still_has_its_disclaimer(alice_client):
    body = page(alice_client, "tips")
    assert 'class="prompts"' not in body and body.count(DISCLAIMER) == 1


def test_an_old_cramp_with_clot_signs_is_worded_for_then(alice_client, alice):
    when = timezone.localtime(timezone.now() - timedelta(days=5), alice.profile.zone)
    cramp(alice, when, warning_signs=["swelling"])
    section = prompts_section(page(alice_client, "today"))
    assert f"with the cramp on {when:%a} {when.day} {when:%b}." in section
    assert "If the leg is still swollen, red or warm, see a doctor today." in section


def test_the_tips_page_gives_each_reason_once(alice_client, alice):
    now = timezone.now()
    for hours in (3, 30, 54):
        cramp(alice, now - timedelta(hours=hours), woke_from_sleep=True)
    body = page(alice_client, "tips")
    reasons = re.findall(r"<strong>Why this tip:</strong> ([^<]+)</p>", body)
    assert reasons and len(reasons) == len(set(reasons))
    assert body.count("3 cramps at night in the last 7 days") == 1


def test_spinach_logged_today_answers_the_magnesium_tip(alice_client, alice):
    now = timezone.now()
    cramp(alice, now - timedelta(hours=30), woke_from_sleep=True)
    assert "Include magnesium-rich foods" in page(alice_client, "tips")
    Meal.objects.create(user=alice, at=now, kind="snack").foods.set(Food.objects.filter(slug="spinach"))
    body = page(alice_client, "tips")
    assert "Include magnesium-rich foods" not in body and "Stretch your calves before bed" in body


def test_a_reason_gives_amounts_in_the_persons_unit(alice_client, alice):
    Profile.objects.filter(user=alice).update(volume_unit="floz", fluid_target_ml=2011)
    drink(alice, timezone.now() - timedelta(minutes=5), 500)
    body = page(alice_client, "tips")
    assert "you stayed under your 68 fl oz target." in body and "2011 ml" not in body
