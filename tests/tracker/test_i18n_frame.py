"""The page frame in a language: <html lang>, the language switch (the device's cookie and the account's choice), a
forged language refused, and the scripts' words as a script per language."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.conftest import cramp, drink
from tracker.models import Exercise, NightCheckIn, Profile

pytestmark = pytest.mark.django_db

ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}


def html_lang(response) -> str:
    found = re.search(r'<html lang="([^"]*)"', response.content.decode())
    assert found, "no <html lang>"
    return found[1]


def csrf_client() -> Client:
    """A client that sends the CSRF token as a browser would: the token from the page's cookie, in the form."""
    return Client(enforce_csrf_checks=True)


def choose(client: Client, language: str, **headers):
    client.get(reverse("today"), **headers)  # sets the CSRF cookie, as opening the front page does
    token = client.cookies[settings.CSRF_COOKIE_NAME].value
    return client.post(
        reverse("choose_language"),
        {"language": language, "next": reverse("today"), "csrfmiddlewaretoken": token},
        **headers,
    )


def test_it_answers_in_the_browsers_language():
    assert html_lang(Client().get(reverse("today"), HTTP_ACCEPT_LANGUAGE="es")) == "es"
    assert html_lang(Client().get(reverse("today"), HTTP_ACCEPT_LANGUAGE="de-DE,de;q=0.9")) == "de"
    assert html_lang(Client().get(reverse("today"), **ENGLISH)) == "en"
    assert (
        html_lang(Client().get(reverse("today"), HTTP_ACCEPT_LANGUAGE="fr")) == "en"
    )  # not offered: English


def test_it_offers_the_language_switch_on_the_front_page():
    page = Client().get(reverse("today"), HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert 'class="language-switch"' in page
    for code, _name in settings.LANGUAGES:
        assert f'value="{code}" lang="{code}"' in page
    assert 'value="de" lang="de" aria-pressed="true"' in page


def test_each_language_is_named_in_its_own_language():
    page = Client().get(reverse("today"), HTTP_ACCEPT_LANGUAGE="de").content.decode()
    for code, name in settings.LANGUAGES:
        assert (
            f'lang="{code}" aria-pressed="{str(code == "de").lower()}" class="secondary">{name}</button>'
            in page
        )


def test_the_page_loads_the_scripts_words_before_its_scripts():
    page = Client().get(reverse("today"), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    words = page.index('<script src="/language/es/words.js" defer></script>')
    assert words < page.index("js/app.js") and words < page.index("js/offline.js")


def test_a_visitors_choice_is_kept_on_the_device_and_beats_the_browser():
    client = csrf_client()
    response = choose(client, "de", **ENGLISH)
    assert response.status_code == 302 and response.url == reverse("today")
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "de"
    assert html_lang(client.get(reverse("today"), **ENGLISH)) == "de"


def test_a_signed_in_persons_choice_goes_with_their_account(alice):
    client = csrf_client()
    client.force_login(alice)
    response = choose(client, "es", **ENGLISH)
    assert response.status_code == 302
    assert Profile.objects.get(user=alice).language == "es"
    assert html_lang(client.get(reverse("today"), **ENGLISH)) == "es"
    # On another device, with no cookie and an English browser, the account's language still wins.
    elsewhere = Client()
    elsewhere.force_login(alice)
    assert html_lang(elsewhere.get(reverse("history"), **ENGLISH)) == "es"


@pytest.mark.parametrize("forged", ["xx", "../../etc", "", "es<script>", "de" * 40])
def test_a_forged_language_changes_nothing(alice, forged):
    client = csrf_client()
    client.force_login(alice)
    assert choose(client, "de", **ENGLISH).status_code == 302
    response = choose(client, forged, **ENGLISH)
    assert response.status_code < 500
    assert Profile.objects.get(user=alice).language == "de"
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "de"
    assert html_lang(client.get(reverse("today"), **ENGLISH)) == "de"


def test_a_language_django_knows_but_the_app_does_not_offer_changes_nothing():
    client = csrf_client()
    choose(client, "de", **ENGLISH)
    choose(client, "fr", **ENGLISH)
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "de"


def test_the_language_switch_takes_only_a_post():
    assert Client().get(reverse("choose_language") + "?language=de").status_code == 405


@pytest.mark.parametrize("code", ["en", "es", "de"])
def test_the_scripts_words_are_a_script_for_each_language(code):
    response = Client().get(reverse("js_catalog", args=[code]))
    assert response.status_code == 200
    assert "javascript" in response["Content-Type"]
    body = response.content.decode()
    assert "gettext" in body and "interpolate" in body and "ngettext" in body


@pytest.mark.parametrize("other", ["fr", "xx", "..", "en-us", "ES"])
def test_no_other_language_has_a_script(other):
    assert Client().get(f"/language/{other}/words.js").status_code == 404


def test_the_service_worker_keeps_the_words_of_its_language(client):
    body = client.get("/sw.js", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert '"language": "de"' in body and '"catalog": "/language/de/words.js"' in body
    # Its caches are named for the language, so a page kept in another one is not shown offline.
    assert '"shell-" + CONFIG.version + "-" + CONFIG.language' in body


@pytest.mark.parametrize("code", ["en", "es", "de"])
def test_today_and_history_with_every_kind_of_entry_answer_in_each_language(alice, code):
    now = timezone.now()
    cramp(alice, now - timedelta(minutes=30), woke_from_sleep=True, relief=["stretching", "massage"])
    cramp(alice, now - timedelta(days=2), intensity=None, muscle=None, side=None, duration_seconds=None)
    drink(alice, now - timedelta(minutes=20))
    Exercise.objects.create(user=alice, at=now - timedelta(minutes=10), activity="Walk", minutes=10)
    NightCheckIn.objects.create(
        user=alice, at=now - timedelta(days=3), night=timezone.localdate() - timedelta(days=4)
    )
    Profile.objects.filter(user=alice).update(language=code)
    client = Client()
    client.force_login(alice)
    for name in ("today", "history", "more"):
        response = client.get(reverse(name), **ENGLISH)
        assert response.status_code == 200 and html_lang(response) == code, name
