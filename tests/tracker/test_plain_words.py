"""Plain words a person trusts, on the diary's side: the front page, sign-up in plain words, units that follow,
notes and triggers shown, the History filter marked, and a deletion that can be undone (with or without htmx)."""

import time

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone

from tests.conftest import HTMX_FROM_TODAY, cramp, drink
from tracker.entries import undo
from tracker.models import CrampEpisode, Drink, Meal, Profile

pytestmark = pytest.mark.django_db


def test_sign_up_takes_a_name_with_spaces_and_says_what_a_username_needs(client):
    page = client.get(reverse("signup")).content.decode()
    assert "Type the password again" in page and "Password confirmation" not in page
    assert "Required. 150 characters" not in page
    response = client.post(
        reverse("signup"),
        {
            "display_name": "Mary Ann Smith-Jones",
            "username": "mary smith",
            "password1": "x",
            "password2": "x",
        },
    )
    assert "try joining the words with a dot, like mary.smith" in response.content.decode()
    client.post(
        reverse("signup"),
        {
            "display_name": "Mary Ann Smith-Jones",
            "username": "mary.smith",
            "password1": "a-long-secret-42",
            "password2": "a-long-secret-42",
        },
    )
    assert Profile.objects.get(user__username="mary.smith").display_name == "Mary Ann Smith-Jones"


def test_time_zones_are_chosen_by_region_and_city(alice_client):
    page = alice_client.get(reverse("profile")).content.decode()
    assert '<optgroup label="Europe">' in page and ">London</option>" in page
    assert "ComodRivadavia" not in page or "Argentina, ComodRivadavia" in page
    assert ">Europe/London<" not in page


def test_switching_unit_keeps_the_amount_of_the_target(alice_client, alice):
    profile = alice.profile
    response = alice_client.post(
        reverse("profile"),
        {"display_name": "", "time_zone": profile.time_zone, "volume_unit": "floz", "fluid_target": "2000"},
    )
    assert response.status_code == 302
    profile.refresh_from_db()
    assert (profile.volume_unit, profile.fluid_target_ml) == ("floz", 2000)
    page = alice_client.get(reverse("today")).content.decode()
    assert "Suggested: 68 fl oz a day" in page  # 2000 ml, the starting target: offered as a suggestion


def test_today_and_history_show_notes_and_triggers(alice_client, alice):
    cramp(
        alice,
        timezone.now(),
        triggers="Long walk in the sun",
        notes="Woke up and stood on a cold floor. " * 4,
    )
    for url in (reverse("today"), reverse("history")):
        page = alice_client.get(url).content.decode()
        assert "Possible triggers: Long walk in the sun" in page
        assert '<details class="entry-notes"><summary>Note: Woke up and stood on a cold floor.' in page


def test_the_history_filter_marks_the_kind_chosen_after_an_htmx_switch(alice_client, alice):
    response = alice_client.get(reverse("history") + "?kind=drink", headers={"HX-Request": "true"})
    body = response.content.decode()
    assert 'href="?kind=drink"' in body and 'aria-current="true">Drinks</a>' in body
    assert 'aria-current="true">All</a>' not in body


def test_a_deletion_from_today_can_be_undone_with_the_same_entry(alice_client, alice):
    kept = cramp(alice, timezone.now(), intensity=6, notes="keep me")
    response = alice_client.post(reverse("entry_delete", args=["cramp", kept.pk]), headers=HTMX_FROM_TODAY)
    body = response.content.decode()
    assert "Cramp deleted." in body and ">Undo</button>" in body
    assert not CrampEpisode.objects.exists()
    token = alice_client.session[undo.SESSION_KEY]["token"]
    answer = alice_client.post(reverse("entry_undo"), {"token": token}, headers=HTMX_FROM_TODAY)
    assert "Put back." in answer.content.decode()
    back = CrampEpisode.objects.get()
    assert (back.uuid, back.intensity, back.notes) == (kept.uuid, 6, "keep me")
    # A second undo changes nothing.
    second = alice_client.post(reverse("entry_undo"), {"token": token}, headers=HTMX_FROM_TODAY)
    assert "That can no longer be undone." in second.content.decode()
    assert CrampEpisode.objects.count() == 1


def test_a_deleted_meal_comes_back_with_its_foods_without_javascript(alice_client, alice):
    from knowledge.models import Food

    meal = Meal.objects.create(user=alice, at=timezone.now(), kind="lunch", description="Soup")
    meal.foods.set(Food.objects.all()[:2])
    response = alice_client.post(
        reverse("entry_delete", args=["meal", meal.pk]), {"next": reverse("history")}, follow=True
    )
    page = response.content.decode()
    assert "Meal deleted." in page and ">Undo</button>" in page
    token = alice_client.session[undo.SESSION_KEY]["token"]
    alice_client.post(reverse("entry_undo"), {"token": token, "next": reverse("history")})
    back = Meal.objects.get()
    assert back.uuid == meal.uuid and back.foods.count() == 2


def test_undo_is_refused_after_its_minute_and_for_another_person(
    alice_client, alice, bob, client, monkeypatch
):
    kept = drink(alice, timezone.now())
    alice_client.post(reverse("entry_delete", args=["drink", kept.pk]))
    token = alice_client.session[undo.SESSION_KEY]["token"]
    client.force_login(bob)
    client.post(reverse("entry_undo"), {"token": token})  # bob's session holds no such token
    assert not Drink.objects.exists()
    later = time.time() + undo.GRACE_SECONDS + 1
    monkeypatch.setattr(undo.time, "time", lambda: later)
    alice_client.post(reverse("entry_undo"), {"token": token})
    assert not Drink.objects.exists()


def test_a_history_row_is_replaced_by_deleted_and_undo(alice_client, alice):
    kept = drink(alice, timezone.now())
    response = alice_client.post(
        reverse("entry_delete", args=["drink", kept.pk]), headers={"HX-Request": "true"}
    )
    body = response.content.decode()
    assert body.strip().startswith('<li class="entry entry-deleted">') and "Drink deleted." in body
    token = alice_client.session[undo.SESSION_KEY]["token"]
    row = alice_client.post(
        reverse("entry_undo"), {"token": token}, headers={"HX-Request": "true"}
    ).content.decode()
    assert row.strip().startswith('<li class="entry entry-drink"')
    assert User.objects.count() == 1
