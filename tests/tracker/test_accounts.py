import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone

from tests.conftest import PASSWORD, cramp
from tracker.models import CrampEpisode, Profile

pytestmark = pytest.mark.django_db


def test_it_signs_up_with_the_browsers_time_zone(client):
    response = client.post(
        reverse("signup"),
        {
            "username": "dora",
            "password1": "a-long-secret-42",
            "password2": "a-long-secret-42",
            "time_zone": "Asia/Tokyo",
        },
    )
    assert response.status_code == 302 and response.url == reverse("today")
    assert Profile.objects.get(user__username="dora").time_zone == "Asia/Tokyo"
    assert client.get(reverse("today")).status_code == 200


def test_it_falls_back_to_utc_for_an_unknown_zone(client):
    client.post(
        reverse("signup"),
        {
            "username": "eve",
            "password1": "a-long-secret-42",
            "password2": "a-long-secret-42",
            "time_zone": "Mars/Olympus",
        },
    )
    assert Profile.objects.get(user__username="eve").time_zone == "UTC"


def test_it_refuses_a_weak_password(client):
    response = client.post(
        reverse("signup"), {"username": "fred", "password1": "12345678", "password2": "12345678"}
    )
    assert response.status_code == 200 and not User.objects.filter(username="fred").exists()
    assert "too short" in response.content.decode()


def test_it_logs_in_and_out(client, alice):
    response = client.post(reverse("login"), {"username": "alice", "password": PASSWORD})
    assert response.status_code == 302
    client.post(reverse("logout"))
    assert client.get(reverse("history")).status_code == 302
    assert b"Create your diary" in client.get(reverse("today")).content  # the front page, no diary


def test_it_saves_the_profile_in_the_chosen_unit(alice_client, alice):
    response = alice_client.post(
        reverse("profile"),
        {"display_name": "Alice", "time_zone": "Europe/Paris", "volume_unit": "floz", "fluid_target": "64"},
    )
    assert response.status_code == 302
    profile = Profile.objects.get(user=alice)
    assert (profile.display_name, profile.time_zone, profile.fluid_target_ml) == (
        "Alice",
        "Europe/Paris",
        1893,
    )


@pytest.mark.parametrize(
    "data, message",
    [
        ({"time_zone": "Nowhere/Land"}, "Choose your region and nearest city from the list."),
        ({"fluid_target": "100"}, "Choose a target between 500 ml and 6000 ml a day."),
        ({"fluid_target": "nan"}, "Enter the target as a number."),
        ({"display_name": "x" * 61}, "Keep this under 60 characters."),
    ],
)
def test_it_rejects_a_bad_profile(alice_client, alice, data, message):
    base = {"display_name": "", "time_zone": "UTC", "volume_unit": "ml", "fluid_target": "2000"}
    response = alice_client.post(reverse("profile"), {**base, **data})
    assert message in response.content.decode()
    assert Profile.objects.get(user=alice).time_zone == "Europe/London"


def test_it_changes_the_password(alice_client, alice):
    response = alice_client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "another-long-secret",
            "new_password2": "another-long-secret",
        },
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password("another-long-secret")


def test_it_deletes_the_account_and_every_entry_after_confirmation(alice_client, alice, bob):
    cramp(alice, timezone.now())
    cramp(bob, timezone.now())
    response = alice_client.post(reverse("delete_account"), {"password": "wrong"})
    assert "That password is not right." in response.content.decode()
    assert User.objects.filter(username="alice").exists()
    alice_client.post(reverse("delete_account"), {"password": PASSWORD})
    assert not User.objects.filter(username="alice").exists()
    assert list(CrampEpisode.objects.values_list("user__username", flat=True)) == ["bob"]


def test_sign_up_starts_in_the_first_box_and_greets_by_the_name_given(client):
    page = client.get(reverse("signup")).content.decode()
    name_box = page[page.index('name="display_name"') - 200 : page.index('name="display_name"') + 200]
    user_box = page[page.index('name="username"') - 200 : page.index('name="username"') + 200]
    assert page.index('name="display_name"') < page.index('name="username"')  # the name is the first box
    assert "autofocus" in name_box and "autofocus" not in user_box
    response = client.post(
        reverse("signup"),
        {
            "display_name": "Margaret",
            "username": "margaret",
            "password1": "a-long-secret-42",
            "password2": "a-long-secret-42",
            "time_zone": "Europe/London",
        },
        follow=True,
    )
    assert "Welcome, Margaret! Your diary is ready." in response.content.decode()


def test_sign_up_without_a_name_still_welcomes(client):
    response = client.post(
        reverse("signup"),
        {"username": "nobody", "password1": "a-long-secret-42", "password2": "a-long-secret-42"},
        follow=True,
    )
    assert "Welcome! Your diary is ready." in response.content.decode()
