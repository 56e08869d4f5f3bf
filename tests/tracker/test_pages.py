"""Cached Today and History markup and trends data (tracker/entries/page_cache.py) are never served after a change.

The oracle: after every kind of write, the page a person is served equals the page rendered afresh with nothing
kept, apart from the per-response values (CSRF token, form UUIDs). Each write below changes what the pages show, so
a write that failed to change the person's page_version would serve the old page and fail the comparison.
"""

import re
import uuid
from datetime import datetime, timedelta

import pytest
from django.contrib.auth.models import User
from django.core.cache import caches
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from knowledge.models import Food
from tests.conftest import HTMX_FROM_TODAY, cramp, cramp_data, drink
from tracker.entries.page_cache import PageCache
from tracker.models import CrampEpisode, Drink, Exercise, Meal, Medication, NightCheckIn, Profile

pytestmark = pytest.mark.django_db

PAGES = [
    "today",
    "history",
    "history?kind=cramp",
    "trends",
    "trends?range=4w",
    "trends_data?range=all",
    "trends_data?range=4w",
]
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
CSRF = re.compile(r'(name="csrfmiddlewaretoken" value="|"X-CSRFToken": ")[^"]+')
FLASHES = re.compile(r'(<div class="flashes"[^>]*>).*?(</div>)', re.DOTALL)  # once, after a redirect


def url(page: str) -> str:
    name, _, query = page.partition("?")
    return reverse(name) + (f"?{query}" if query else "")


def html(client, page: str) -> str:
    response = client.get(url(page))
    assert response.status_code == 200
    assert b"{#" not in response.content and b"{%" not in response.content  # template syntax shown as text
    return FLASHES.sub(r"\1\2", CSRF.sub(r"\1TOKEN", UUID.sub("UUID", response.content.decode())))


def assert_served_fresh(client) -> None:
    """Each page as served (kept, if it was) equals the same page rendered with nothing kept; the fresh render is
    kept in turn, so the next write meets a kept page."""
    served = {page: html(client, page) for page in PAGES}
    caches["pages"].clear()
    for page in PAGES:
        assert served[page] == html(client, page), f"{page} was served out of date"


def earlier_today(person, minutes: float) -> datetime:
    """`minutes` ago, but never before the person's local midnight, so Today still shows it just after midnight."""
    now = timezone.now()
    midnight = timezone.localtime(now, person.profile.zone).replace(hour=0, minute=0, second=0, microsecond=0)
    return max(now - timedelta(minutes=minutes), midnight)


def recent(hours: float) -> str:
    return (timezone.localtime() - timedelta(hours=hours)).strftime("%Y-%m-%dT%H:%M")


@pytest.fixture
def kept(alice_client):
    """Alice's client, with her pages rendered and kept."""
    assert_served_fresh(alice_client)
    return alice_client


def test_every_write_from_the_pages_changes_what_is_served(kept, alice):
    client = kept
    spinach, almonds = Food.objects.get(slug="spinach"), Food.objects.get(slug="almonds")
    for kind, data in [
        ("cramp", cramp_data(at=recent(1), warning_signs="swelling")),
        ("drink", {"uuid": str(uuid.uuid4()), "amount": "300", "kind": "water", "at": recent(1)}),
        ("exercise", {"uuid": str(uuid.uuid4()), "activity": "Run", "minutes": "40", "effort": "vigorous",
                      "heavy_sweating": "on", "at": recent(1)}),
        ("meal", {"uuid": str(uuid.uuid4()), "kind": "lunch", "foods": [spinach.pk], "at": recent(1)}),
        ("medicine", {"uuid": str(uuid.uuid4()), "name": "Furosemide", "kind": "medicine", "started": ""}),
    ]:  # fmt: skip
        response = client.post(reverse("entry_create", args=[kind]), data)
        assert response.status_code == 302, (kind, response.content[:300])
        assert_served_fresh(client)

    # From Today itself (htmx): the answer is Today's body, and the next full page is current too.
    client.post(
        reverse("quick_drink"), {"uuid": str(uuid.uuid4()), "amount_ml": "500"}, headers=HTMX_FROM_TODAY
    )
    assert Drink.objects.filter(user=alice).count() == 2
    assert_served_fresh(client)
    night = timezone.localdate() - timedelta(days=3)
    client.post(reverse("night_checkin"), {"uuid": str(uuid.uuid4()), "night": night.isoformat()})
    assert NightCheckIn.objects.filter(user=alice, night=night).exists()
    assert_served_fresh(client)
    assert b"prompt-clot_signs" in client.get(reverse("today")).content
    response = client.post(reverse("acknowledge_prompt", args=["clot_signs"]), headers=HTMX_FROM_TODAY)
    assert b"prompt-clot_signs" not in response.content  # the answer itself is rendered after the write
    assert_served_fresh(client)

    # Edits, including a meal's foods alone, and deletes.
    moved = CrampEpisode.objects.get(user=alice)
    client.post(reverse("entry_edit", args=["cramp", moved.pk]), cramp_data(at=recent(3), intensity="2"))
    assert CrampEpisode.objects.get(pk=moved.pk).intensity == 2
    assert_served_fresh(client)
    meal = Meal.objects.get(user=alice)
    client.post(
        reverse("entry_edit", args=["meal", meal.pk]),
        {
            "uuid": str(meal.uuid),
            "kind": "lunch",
            "foods": [almonds.pk],
            "at": meal.at.strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert list(Meal.objects.get(pk=meal.pk).foods.all()) == [almonds]
    assert_served_fresh(client)
    medicine = Medication.objects.get(user=alice)
    client.post(reverse("entry_delete", args=["medicine", medicine.pk]))
    assert_served_fresh(client)
    for kind, model in [
        ("exercise", Exercise),
        ("meal", Meal),
        ("checkin", NightCheckIn),
        ("cramp", CrampEpisode),
    ]:
        client.post(reverse("entry_delete", args=[kind, model.objects.get(user=alice).pk]))
        assert not model.objects.filter(user=alice).exists()
        assert_served_fresh(client)

    # Settings: the unit and the target show on Today.
    client.post(reverse("profile"), {"display_name": "", "time_zone": "UTC", "volume_unit": "floz",
                                      "fluid_target": "80"})  # fmt: skip
    assert Profile.objects.get(user=alice).volume_unit == "floz"
    assert_served_fresh(client)


def test_writes_outside_the_pages_change_what_is_served(kept, alice, bob):
    # The ORM, as a script or the shell would write.
    meal = Meal.objects.create(user=alice, at=earlier_today(alice, 60), kind="snack")
    assert_served_fresh(kept)
    meal.foods.set([Food.objects.get(slug="banana")])
    assert_served_fresh(kept)

    # A food renamed: everyone's meals show the new name.
    banana = Food.objects.get(slug="banana")
    banana.name = "Plantain-ish banana"
    banana.save()
    assert "Plantain-ish banana" in html(kept, "today")
    assert_served_fresh(kept)

    # The import: a bulk write with no signals.
    drink(bob, timezone.now() - timedelta(hours=2), ml=777)
    bob_client = Client()
    bob_client.force_login(bob)
    exported = b"".join(bob_client.get(reverse("export_json")).streaming_content)
    kept.post(reverse("my_data"), {"file": SimpleUploadedFile("d.json", exported)})
    assert Drink.objects.filter(user=alice, amount_ml=777).exists()
    assert_served_fresh(kept)

    # The admin's "delete selected", for entries and for medicines.
    User.objects.filter(pk=alice.pk).update(is_staff=True, is_superuser=True)
    drinks = list(Drink.objects.filter(user=alice).values_list("pk", flat=True))
    kept.post(
        "/admin/tracker/drink/", {"action": "delete_selected", "_selected_action": drinks, "post": "yes"}
    )
    assert not Drink.objects.filter(user=alice).exists()
    assert_served_fresh(kept)
    medicine = Medication.objects.create(user=alice, name="Furosemide", kind="medicine")
    cramp(alice, timezone.now() - timedelta(hours=1))
    assert_served_fresh(kept)
    kept.post(
        "/admin/tracker/medication/",
        {"action": "delete_selected", "_selected_action": [medicine.pk], "post": "yes"},
    )
    assert not Medication.objects.exists()
    assert_served_fresh(kept)


def test_two_copies_of_a_kept_page_save_two_cramps(alice, client):
    """The UUID that makes a repeated submission harmless is new in every response, kept page or not: two tabs
    showing Today must log two cramps, not one."""
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(alice)
    first, second = (csrf_client.get(reverse("today")).content.decode() for _ in range(2))
    uuids = [UUID.findall(page) for page in (first, second)]
    assert len(uuids[0]) == len(set(uuids[0])) >= 4  # the cramp, check-in and two quick-drink forms
    assert not set(uuids[0]) & set(uuids[1])
    for page in (first, second):
        form = page[page.index('class="cramp-form"') :]
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)[1]
        form_uuid = re.search(r'name="uuid" value="([^"]+)"', form)[1]
        data = cramp_data(uuid=form_uuid, csrfmiddlewaretoken=token)
        response = csrf_client.post(reverse("entry_create", args=["cramp"]), data)
        assert response.status_code == 302
    assert CrampEpisode.objects.filter(user=alice).count() == 2


def test_a_refused_cramp_is_shown_with_its_errors_but_never_kept(kept, alice):
    response = kept.post(
        reverse("entry_create", args=["cramp"]), cramp_data(intensity="11"), headers=HTMX_FROM_TODAY
    )
    assert b"Intensity goes from 0 to 10." in response.content
    assert b'<details class="sheet" open>' in response.content
    page = kept.get(reverse("today")).content
    assert b"Intensity goes from 0 to 10." not in page and b'<details class="sheet" >' in page
    assert not CrampEpisode.objects.exists()


def test_one_persons_page_is_never_anothers(alice, bob):
    Profile.objects.update(page_version="same-for-both")
    drink(alice, earlier_today(alice, 30), ml=777)
    Profile.objects.update(page_version="same-for-both")
    clients = {}
    for person in (alice, bob):
        clients[person] = Client()
        clients[person].force_login(person)
        clients[person].get(reverse("today"))
    assert b"777 ml" in clients[alice].get(reverse("today")).content
    assert b"777 ml" not in clients[bob].get(reverse("today")).content
    assert b"777 ml" not in clients[bob].get(reverse("history")).content


def test_a_kept_today_is_read_in_the_queries_of_the_trivial_view_and_renewed_each_hour(kept, alice, clock):
    def queries(page: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert kept.get(url(page)).status_code == 200
        return len(captured)

    for page in PAGES:
        assert queries(page) == 2  # the session, the person with their profile: nothing from the diary
    now = timezone.now()
    clock.at(now + timedelta(hours=1))  # the next hour, or the same local hour again where the clocks go back
    assert queries("today") > 2  # prompts and tips are worked out again
    assert queries("today") == 2
    tomorrow = timezone.localtime(now + timedelta(days=1), alice.profile.zone)
    clock.at(tomorrow)
    assert f'Today <span class="muted">{tomorrow:%a %-d %b}</span>' in html(kept, "today")


def test_a_page_key_names_the_person_their_profile_and_the_parts(alice, bob):
    a, b = Profile.objects.get(user=alice), Profile.objects.get(user=bob)
    assert PageCache.key(a, ("today", "h")) != PageCache.key(b, ("today", "h"))
    assert PageCache.key(a, ("today", "h")) != PageCache.key(a, ("today", "h2"))
    before = PageCache.key(a, ("today", "h"))
    a.fluid_target_ml = 2500
    assert PageCache.key(a, ("today", "h")) != before


def test_today_holds_no_id_twice(alice_client, alice):
    """Several entry forms share Today: their hidden UUID fields carry no id, so none is repeated (valid HTML)."""
    drink(alice, earlier_today(alice, 30))
    page = alice_client.get(reverse("today")).content.decode()
    ids = re.findall(r'\bid="([^"]+)"', page)
    assert [name for name in set(ids) if ids.count(name) > 1] == []
