"""The ladder for every view: anonymous is sent to log in, a stranger gets 404, the owner gets 200."""

import pytest
from django.urls import reverse

from tracker.models import CrampEpisode

pytestmark = pytest.mark.django_db

PAGES = [
    "history",
    "trends",
    "trends_data",
    "medicines",
    "more",
    "profile",
    "delete_account",
    "password_change",
    "learn",
    "summary",
    "summary_pdf",
    "share_links",
    "my_data",
    "export_json",
    "export_csv",
    "export_fhir",
]
CREATE_KINDS = ["cramp", "drink", "exercise", "meal", "medicine"]


def test_a_visitor_sees_what_the_app_is_and_no_diary(client):
    page = client.get(reverse("today")).content.decode()
    assert (
        "A diary for leg cramps" in page
        and 'href="/accounts/signup/"' in page
        and 'href="/accounts/login/"' in page
    )
    assert "today-body" not in page and "Your diary is yours" in page


@pytest.mark.parametrize("name", PAGES)
def test_it_sends_anonymous_people_to_log_in(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize(
    "name, kwargs",
    [
        ("entry_create", {"kind": "cramp"}),
        ("entry_edit", {"kind": "cramp", "pk": 1}),
        ("entry_delete", {"kind": "cramp", "pk": 1}),
        ("quick_drink", {}),
        ("night_checkin", {}),
        ("share_links", {}),
        ("share_revoke", {"pk": 1}),
        ("my_data", {}),
    ],
)
def test_it_sends_anonymous_writes_to_log_in(client, name, kwargs):
    response = client.post(reverse(name, kwargs=kwargs), {})
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("name", PAGES)
def test_it_shows_the_owner_each_page(alice_client, alices_entries, name):
    assert alice_client.get(reverse(name)).status_code == 200


@pytest.mark.parametrize("kind", CREATE_KINDS)
def test_it_shows_each_new_entry_form(alice_client, kind):
    response = alice_client.get(reverse("entry_create", args=[kind]))
    assert response.status_code == 200
    assert b'name="uuid"' in response.content


@pytest.mark.parametrize("kind", ["cramp", "drink", "exercise", "meal", "medicine"])
def test_it_shows_the_owner_the_edit_and_delete_pages(alice_client, alices_entries, kind):
    pk = alices_entries[kind].pk
    assert alice_client.get(reverse("entry_edit", args=[kind, pk])).status_code == 200
    assert alice_client.get(reverse("entry_delete", args=[kind, pk])).status_code == 200


@pytest.mark.parametrize("kind", ["cramp", "drink", "exercise", "meal", "checkin", "medicine"])
@pytest.mark.parametrize("action", ["entry_edit", "entry_delete"])
def test_it_answers_404_to_a_stranger_using_alices_ids(alice, alices_entries, bob_client, kind, action):
    entry = alices_entries[kind]
    url = reverse(action, args=[kind, entry.pk])
    assert bob_client.get(url).status_code == 404
    assert bob_client.post(url, {"intensity": 9, "name": "Hacked"}).status_code == 404
    assert type(entry).objects.filter(pk=entry.pk, user=alice).exists()
    if kind == "cramp":
        assert CrampEpisode.objects.get(pk=entry.pk).intensity == 5


@pytest.mark.parametrize(
    "url", ["/log/nonsense/", "/entries/nonsense/1/edit/", "/entries/cramp/999999/delete/"]
)
def test_it_answers_404_to_unknown_kinds_and_ids(alice_client, url):
    assert alice_client.get(url).status_code == 404


def test_it_refuses_to_edit_a_check_in(alice_client, alices_entries):
    assert (
        alice_client.get(reverse("entry_edit", args=["checkin", alices_entries["checkin"].pk])).status_code
        == 404
    )


def test_it_returns_only_the_today_fragment_to_htmx(alice_client, alices_entries):
    response = alice_client.get(reverse("today"), headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert b'id="today-body"' in response.content
    assert b"<html" not in response.content


def test_it_returns_only_the_history_list_to_htmx(alice_client, alices_entries):
    response = alice_client.get(reverse("history") + "?kind=drink", headers={"HX-Request": "true"})
    assert b'id="history-list"' in response.content
    assert b"<html" not in response.content
    assert b"Water" in response.content and b"Cramp</strong>" not in response.content


def test_it_sends_a_strict_content_security_policy(alice_client):
    response = alice_client.get(reverse("today"))
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert b"<script>" not in response.content  # no inline script anywhere
    assert b'hx-headers=\'{"X-CSRFToken"' in response.content


@pytest.mark.parametrize("code, status", [("magnesium", 200), ("vitamin_k2", 200), ("unobtainium", 404)])
def test_it_shows_each_nutrient_page(alice_client, code, status):
    assert alice_client.get(reverse("nutrient", args=[code])).status_code == status


def test_it_answers_404_to_an_unknown_prompt(alice_client):
    assert alice_client.post(reverse("acknowledge_prompt", args=["made_up"])).status_code == 404
