"""Installable and offline: the manifest, the service worker, the offline page, the outbox's answers and the theme."""

import json
import uuid
from datetime import timedelta

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils import timezone

from tests.conftest import cramp_data
from tracker.app.views import SHELL_STATIC, static_version
from tracker.entries.nights import last_night
from tracker.models import CrampEpisode, Drink, NightCheckIn

OUTBOX = {"HTTP_ACCEPT": "application/json"}


def test_the_manifest_makes_it_installable(client, db):
    response = client.get(reverse("manifest"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    data = json.loads(response.content)
    assert data["name"] == "Cramp Diary" and data["start_url"] == "/" and data["display"] == "standalone"
    assert data["theme_color"] and data["background_color"]
    sizes = {icon["sizes"] for icon in data["icons"]}
    assert {"192x192", "512x512"} <= sizes
    assert any(icon.get("purpose") == "maskable" for icon in data["icons"])
    for icon in data["icons"]:
        assert finders.find(icon["src"].removeprefix("/static/")), icon["src"]


def test_every_page_links_the_manifest(alice_client, client):
    assert (
        'rel="manifest" href="/manifest.webmanifest"' in alice_client.get(reverse("today")).content.decode()
    )
    client.logout()
    assert 'rel="manifest"' in client.get(reverse("login")).content.decode()


def test_the_service_worker_is_served_from_the_root_with_its_versioned_shell(client, db):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert "no-cache" in response["Cache-Control"]
    body = response.content.decode()
    config = json.loads(body.split("const CONFIG = ", 1)[1].split(";\n", 1)[0])
    assert config["version"] == static_version() and len(config["version"]) == 12
    assert config["offline"] == "/offline/" and "/offline/" in config["shell"]
    assert len(config["shell"]) == len(SHELL_STATIC) + 1
    for url in config["shell"][:-1]:
        assert finders.find(url.removeprefix("/static/")), url
    # Caches from another version are deleted when this one takes over.
    assert "caches.delete(name)" in body and '"shell-" + CONFIG.version' in body
    # Private pages are never kept for offline reading.
    assert {"/accounts/", "/s/", "/data/"} <= set(config["never_cache"])


def test_the_version_changes_when_a_static_file_changes(settings, tmp_path):
    settings.DEBUG = True  # recomputed per request while developing
    extra = tmp_path / "static"
    extra.mkdir()
    (extra / "note.txt").write_text("one")
    settings.STATICFILES_DIRS = [*settings.STATICFILES_DIRS, str(extra)]
    before = static_version()
    (extra / "note.txt").write_text("two")
    assert static_version() != before


def test_the_offline_page_says_what_still_works(client, db):
    response = client.get(reverse("offline"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "You're offline" in page and "sent when you're back online" in page


def test_today_marks_the_forms_that_can_wait_offline(alice_client):
    page = alice_client.get(reverse("today")).content.decode()
    assert (
        'data-offline="cramp"' in page and 'data-offline="drink"' in page and 'data-offline="checkin"' in page
    )
    assert "data-pending hidden" in page and "data-offline-notice hidden" in page
    assert 'data-zone="Europe/London"' in page


def test_the_outbox_gets_json_and_a_kept_cramp_keeps_its_time(alice_client, alice):
    at = timezone.localtime(timezone.now() - timedelta(hours=5), alice.profile.zone).replace(
        second=0, microsecond=0
    )
    data = cramp_data(at=at.strftime("%Y-%m-%dT%H:%M"))
    response = alice_client.post(reverse("entry_create", args=["cramp"]), data, **OUTBOX)
    assert response.status_code == 200
    assert response.json() == {"saved": True, "message": "Cramp saved."}
    again = alice_client.post(reverse("entry_create", args=["cramp"]), data, **OUTBOX)
    assert again.json() == {"saved": True, "message": "Cramp was already saved."}
    assert CrampEpisode.objects.get(user=alice).at == at


def test_the_outbox_hears_why_an_entry_was_refused(alice_client, alice):
    future = (timezone.localtime(timezone.now(), alice.profile.zone) + timedelta(hours=2)).strftime(
        "%Y-%m-%dT%H:%M"
    )
    response = alice_client.post(reverse("entry_create", args=["cramp"]), cramp_data(at=future), **OUTBOX)
    assert response.status_code == 400
    assert response.json() == {
        "saved": False,
        "message": "That time is in the future. Choose a time up to now.",
    }
    assert not CrampEpisode.objects.exists()


def test_a_water_tap_kept_offline_keeps_its_time_and_is_saved_once(alice_client, alice):
    at = timezone.localtime(timezone.now() - timedelta(hours=3), alice.profile.zone).replace(
        second=0, microsecond=0
    )
    data = {"uuid": str(uuid.uuid4()), "amount_ml": "250", "at": at.strftime("%Y-%m-%dT%H:%M")}
    for _ in range(2):
        assert alice_client.post(reverse("quick_drink"), data, **OUTBOX).status_code == 200
    assert Drink.objects.get(user=alice).at == at
    # Without a time (online, one tap) the drink is now.
    alice_client.post(reverse("quick_drink"), {"uuid": str(uuid.uuid4()), "amount_ml": "250"})
    assert timezone.now() - Drink.objects.latest("at").at < timedelta(seconds=5)
    refused = alice_client.post(
        reverse("quick_drink"), {"uuid": str(uuid.uuid4()), "amount_ml": "0"}, **OUTBOX
    )
    assert refused.status_code == 400 and refused.json()["saved"] is False


def test_a_cramp_free_night_kept_offline_arrives_once(alice_client, alice):
    night = last_night(timezone.now(), alice.profile.zone)
    data = {"uuid": str(uuid.uuid4()), "night": night.isoformat()}
    for _ in range(2):
        response = alice_client.post(reverse("night_checkin"), data, **OUTBOX)
        assert response.status_code == 200 and response.json()["saved"] is True
    assert NightCheckIn.objects.filter(user=alice).count() == 1
    tonight = {"uuid": str(uuid.uuid4()), "night": (night + timedelta(days=1)).isoformat()}
    refused = alice_client.post(reverse("night_checkin"), tonight, **OUTBOX)
    assert refused.status_code == 400
    assert refused.json()["message"] == "You can only check in for a night that has ended."


def test_the_outbox_never_writes_for_someone_logged_out(client, db):
    response = client.post(reverse("entry_create", args=["cramp"]), cramp_data(), **OUTBOX)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not CrampEpisode.objects.exists()


@pytest.mark.parametrize("choice", ["dark", "light"])
def test_a_chosen_theme_is_in_the_first_byte_of_html(alice_client, choice):
    response = alice_client.post(reverse("choose_theme"), {"theme": choice, "next": "/history/"})
    assert response.status_code == 302 and response["Location"] == "/history/"
    cookie = response.cookies["theme"]
    assert cookie.value == choice and cookie["httponly"] and cookie["samesite"] == "Lax"
    page = alice_client.get(reverse("today")).content.decode()
    assert f'<html lang="en" data-theme="{choice}">' in page
    assert f'<meta name="color-scheme" content="{choice}">' in page
    more = alice_client.get(reverse("more")).content.decode()
    assert f'value="{choice}" aria-pressed="true"' in more


def test_following_the_phone_again_forgets_the_choice(alice_client):
    alice_client.post(reverse("choose_theme"), {"theme": "dark"})
    response = alice_client.post(reverse("choose_theme"), {"theme": ""})
    assert response.cookies["theme"].value == ""
    page = alice_client.get(reverse("today")).content.decode()
    assert '<html lang="en">' in page and 'content="light dark"' in page


def test_a_tampered_theme_is_ignored(alice_client):
    alice_client.cookies["theme"] = '"><script>alert(1)</script>'
    page = alice_client.get(reverse("today")).content.decode()
    assert '<html lang="en">' in page and "alert(1)" not in page
    response = alice_client.post(reverse("choose_theme"), {"theme": "neon", "next": "https://evil.example/"})
    assert response["Location"] == reverse("more")
    assert response.cookies["theme"].value == ""
