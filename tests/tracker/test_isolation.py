"""Isolation, proven for every route the URL resolver knows: anonymous people are sent to log in (public routes
excepted, each with its reason), and a second person using the first person's ids gets 404 and changes nothing.
A route with no case here fails the test, so a new route cannot slip through."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.conftest import route_names
from tracker.models import (
    Exercise,
    Experiment,
    Meal,
    Medication,
    NightCheckIn,
    PushSubscription,
    ReminderSettings,
    ShareLink,
)
from tracker.summary.share_links import hash_token

pytestmark = pytest.mark.django_db

# Reachable without logging in, and why.
PUBLIC = {
    "today": "a visitor sees the front page (what the app is); the diary only after logging in",
    "see_a_clinician": "general rules with their sources, linked from a shared summary for the clinician reading it",
    "sources": "the source documents by title, linked from the see-a-clinician rules",
    "login": "the way in",
    "signup": "the way in for a new person",
    "logout": "harmless when logged out",
    "offline": "shown by the service worker to whoever holds the phone",
    "service_worker": "a script with no personal data",
    "manifest": "the app's name and icons",
    "choose_theme": "a colour preference cookie for this device",
    "choose_language": "a language cookie for this device (and the account's own choice when logged in)",
    "js_catalog": "the scripts' words in one language: no personal data",
    "shared_summary": "a share link: its token is the permission",
    "shared_pdf": "a share link: its token is the permission",
    "password_reset": "the way back in for a person who forgot their password",
    "password_reset_done": "says the same whatever was asked",
    "password_reset_confirm": "the emailed link: its token is the permission",
    "confirm_email": "the emailed link: its signed token is the permission",
    "reminders_no_cramps": "a reminder's 'No cramps' from the service worker: a signed one-night token",
    "reminders_email_off": "a reminder email's one-click unsubscribe (RFC 8058): a signed token",
    "reminders_answer": "a reminder email's 'No cramps last night': a signed token for one person and night",
}
# Needs a login; "@name" stands for the pk of alice's own object of that name, "@name.field" for another field.
PRIVATE = {
    "quick_drink": {},
    "night_checkin": {},
    "cramp_start": {},
    "cramp_detail": {"cramp_uuid": "@cramp.uuid"},
    "cramp_stop": {"cramp_uuid": "@cramp.uuid"},
    "entry_create": {"kind": "cramp"},
    "entry_edit": {"kind": "cramp", "pk": "@cramp"},
    "entry_delete": {"kind": "cramp", "pk": "@cramp"},
    "history": {},
    "tips": {},
    "acknowledge_prompt": {"rule_id": "warning_sign"},
    "trends": {},
    "trends_data": {},
    "summary": {},
    "summary_pdf": {},
    "share_links": {},
    "share_revoke": {"pk": "@link"},
    "my_data": {},
    "export_json": {},
    "export_csv": {},
    "export_fhir": {},
    "medicines": {},
    "more": {},
    "experiments": {},
    "experiment": {"pk": "@experiment"},
    "experiment_control": {"pk": "@experiment", "action": "pause"},
    "experiment_done": {},
    "reminders": {},
    "reminder_device_add": {},
    "reminder_device_remove": {"pk": "@device"},
    "reminder_test": {},
    "password_change": {},
    "password_change_done": {},
    "profile": {},
    "delete_account": {},
    "resend_confirmation": {},
    "entry_undo": {},
    "learn": {},
    "nutrient": {"code": "magnesium"},
    "foods": {},
    "about_cramps": {},
}
# Every kind of entry reached through the routes that take a kind and a pk.
ENTRY_KINDS = ["cramp", "drink", "exercise", "meal", "checkin", "medicine"]


@pytest.fixture
def alices(alice, alices_entries):
    link = ShareLink.objects.create(
        user=alice,
        token_hash=hash_token("t" * 43),
        first=date(2026, 1, 1),
        last=date(2026, 1, 28),
        expires_at=timezone.now() + timedelta(days=7),
    )
    device = PushSubscription.objects.create(
        user=alice,
        endpoint="https://fcm.googleapis.com/fcm/send/alice",
        p256dh="p",
        auth="a",
        device="Chrome",
    )
    ReminderSettings.objects.create(user=alice, morning_on=True, by_email=True)
    experiment = Experiment.objects.create(
        user=alice, change_key="clinician", change="Quokka soup at dinner", block_days=7, pairs=2, seed=1,
        orders=["CU", "UC"], start=timezone.localdate(),
    )  # fmt: skip
    return {**alices_entries, "link": link, "device": device, "experiment": experiment}


def url_for(name: str, objects: dict) -> str:
    if name == "today":
        return reverse("today")

    def value_of(value: str):
        if not value.startswith("@"):
            return value
        owner, _, field = value[1:].partition(".")
        return getattr(objects[owner], field or "pk")

    return reverse(name, kwargs={key: value_of(value) for key, value in PRIVATE[name].items()})


def counts(user) -> dict:
    return {
        model.__name__: model.objects.filter(user=user).count()
        for model in (Meal, Exercise, NightCheckIn, Medication, ShareLink, PushSubscription, Experiment)
    } | {
        "email reminders": ReminderSettings.objects.filter(user=user, by_email=True).count(),
        "experiments running": Experiment.objects.filter(user=user, pauses=[], stopped_on=None).count(),
    }


def test_every_route_has_a_case():
    names = route_names()
    assert names - PUBLIC.keys() - PRIVATE.keys() == set(), "a route without an isolation case"
    assert (PUBLIC.keys() | PRIVATE.keys()) - names == set(), "a case for a route that is gone"


@pytest.mark.parametrize("name", sorted(PRIVATE))
def test_anonymous_people_are_sent_to_log_in(client, alice, alices, name):
    url = url_for(name, alices)
    before = counts(alice)
    for method in (client.get, client.post):
        response = method(url)
        assert response.status_code in (302, 405), (name, method.__name__, response.status_code)
        if response.status_code == 302:
            assert response["Location"].startswith(reverse("login")), name
    assert counts(alice) == before


@pytest.mark.parametrize("name", sorted(PUBLIC))
def test_public_routes_answer_without_a_login(client, name):
    tokened = name.startswith("shared") or name in (
        "confirm_email",
        "reminders_email_off",
        "reminders_answer",
    )
    kwargs = {"token": "x" * 43} if tokened else {}
    if name == "password_reset_confirm":
        kwargs = {"uidb64": "MQ", "token": "set-password"}
    if name == "js_catalog":
        kwargs = {"language": "es"}
    url = reverse(name, kwargs=kwargs)
    response = (
        client.post(url)
        if name in ("logout", "choose_theme", "choose_language", "reminders_no_cramps")
        else client.get(url)
    )
    refused = 400 if name == "reminders_no_cramps" else 404  # no token: refused, as JSON for the outbox
    # Never a 500, never a diary.
    assert response.status_code in (200, 302, refused), (name, response.status_code)
    assert b"today-body" not in response.content


@pytest.mark.parametrize("kind", ENTRY_KINDS)
@pytest.mark.parametrize("name", ["entry_edit", "entry_delete"])
def test_a_stranger_using_alices_entry_ids_gets_404(alice, alices, bob_client, kind, name):
    url = reverse(name, kwargs={"kind": kind, "pk": alices[kind].pk})
    before = counts(alice)
    assert bob_client.get(url).status_code == 404
    assert bob_client.post(url, {"intensity": "9", "name": "Taken"}).status_code == 404
    assert counts(alice) == before
    assert type(alices[kind]).objects.filter(pk=alices[kind].pk, user=alice).exists()


def test_a_stranger_cannot_revoke_alices_link(alice, alices, bob_client):
    url = url_for("share_revoke", alices)
    assert bob_client.post(url).status_code == 404
    assert ShareLink.objects.get(pk=alices["link"].pk).revoked_at is None


def test_a_stranger_can_not_remove_alices_device(alice, alices, bob_client):
    assert bob_client.post(url_for("reminder_device_remove", alices)).status_code == 404
    assert PushSubscription.objects.filter(pk=alices["device"].pk, user=alice).exists()


def test_a_stranger_can_neither_see_nor_pause_nor_stop_alices_experiment(alice, alices, bob_client):
    before = counts(alice)
    assert bob_client.get(url_for("experiment", alices)).status_code == 404
    for action in ("pause", "resume", "stop"):
        url = reverse("experiment_control", args=[alices["experiment"].pk, action])
        assert bob_client.post(url).status_code == 404
    assert counts(alice) == before


def test_a_stranger_can_not_answer_or_unsubscribe_for_alice_without_her_tokens(alice, alices, bob_client):
    before = counts(alice)
    night = (timezone.localdate() - timedelta(days=1)).isoformat()
    answer = {"token": "forged", "uuid": "0b7c1a5e-9f1e-4a51-9a43-4b8ad1f3d2aa", "night": night}
    assert bob_client.post(reverse("reminders_no_cramps"), answer).status_code == 400
    assert bob_client.post(reverse("reminders_email_off", args=["x" * 43])).status_code == 404
    assert (
        bob_client.post(reverse("reminders_answer", args=["x" * 43]), {"uuid": answer["uuid"]}).status_code
        == 404
    )
    assert counts(alice) == before


def test_a_stranger_can_neither_detail_nor_stop_alices_cramp(alice, alices, bob_client):
    cramp = alices["cramp"]
    before = (cramp.intensity, cramp.side, cramp.duration_seconds, cramp.ongoing)
    for name, data in (("cramp_detail", {"intensity": "9", "side": "right"}), ("cramp_stop", {})):
        assert bob_client.post(url_for(name, alices), data).status_code == 404
        assert (
            bob_client.post(url_for(name, alices), data, headers={"Accept": "application/json"}).status_code
            == 404
        )
    cramp.refresh_from_db()
    assert (cramp.intensity, cramp.side, cramp.duration_seconds, cramp.ongoing) == before


OWN_PAGES = sorted(
    ["today", *(name for name, args in PRIVATE.items() if "pk" not in args and "cramp_uuid" not in args)]
)


@pytest.mark.parametrize("name", OWN_PAGES)
def test_a_strangers_own_pages_never_show_alices_entries(alice, alices, bob_client, name):
    response = bob_client.get(url_for(name, alices))
    assert response.status_code in (200, 302, 405), (name, response.status_code)
    body = b"".join(response) if response.streaming else response.content
    for private in (b"Quokka soup", b"Walk to the lighthouse", b"Zyxomagnol"):
        assert private not in body, (name, private)
