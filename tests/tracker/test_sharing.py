"""Share links: made by the owner, stored hashed, read-only, expiring, revocable; nothing else is reachable."""

import io
import re
from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from tests.conftest import cramp
from tracker.models import CrampEpisode, Medication, ShareLink
from tracker.summary.share_links import hash_token
from tracker.templatetags.diary import time_with_zone

pytestmark = pytest.mark.django_db


def make_link(client, **fields) -> str:
    today = timezone.localdate()
    data = {
        "start": (today - timedelta(days=27)).isoformat(),
        "end": today.isoformat(),
        "expires_in": "14",
        **fields,
    }
    response = client.post(reverse("share_links"), data)
    assert response.status_code == 302
    page = client.get(reverse("share_links")).content.decode()
    return (
        re.search(r'id="share-url" type="url" value="([^"]+)"', page)
        .group(1)
        .replace("http://testserver", "")
    )


@pytest.fixture
def alice_link(alice_client, alice):
    cramp(alice, timezone.now() - timedelta(days=2), notes="Private note")
    return make_link(alice_client, name="Alice Example")


def test_the_link_is_shown_once_and_only_its_hash_is_kept(alice_client, alice, alice_link):
    token = alice_link.strip("/").split("/")[-1]
    assert len(token) >= 43  # 32 random bytes, base64url: 256 bits
    link = ShareLink.objects.get(user=alice)
    assert link.token_hash == hash_token(token) != token
    assert token not in str(ShareLink.objects.values().get())
    assert (link.expires_at - link.created_at).days == 13  # 14 days, less the moments between
    assert link.name == "Alice Example"
    assert 'id="share-url"' not in alice_client.get(reverse("share_links")).content.decode()


def test_a_fresh_visitor_reads_the_summary_and_its_pdf(alice_link, alice):
    visitor = Client()
    response = visitor.get(alice_link)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Leg cramp diary summary" in page and "Alice Example" in page
    assert "Private note" not in page  # notes appear only when chosen
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert response["Referrer-Policy"] == "no-referrer"
    assert '<meta name="robots" content="noindex, nofollow">' in page
    pdf = visitor.get(alice_link + "pdf/")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    assert pdf["Referrer-Policy"] == "no-referrer"
    link = ShareLink.objects.get(user=alice)
    assert link.open_count == 2 and link.last_opened_at is not None


def test_the_owner_sees_when_and_how_often_it_was_opened(alice_client, alice_link):
    Client().get(alice_link)
    page = alice_client.get(reverse("share_links")).content.decode()
    assert "Opened 1 time, last" in page


def test_a_chosen_note_travels_with_the_link(alice_client, alice):
    noted = cramp(alice, timezone.now() - timedelta(days=1), notes="Only after long walks")
    url = make_link(alice_client, note=[str(noted.pk)], expires_in="1")
    assert "Only after long walks" in Client().get(url).content.decode()


def test_nothing_but_the_summary_is_reachable_from_a_link(alice_link):
    visitor = Client()
    page = visitor.get(alice_link).content.decode()
    hrefs = set(re.findall(r'href="([^"]+)"', page))
    assert hrefs <= {
        "#main",
        alice_link + "pdf/",
        "/",  # the front page: what the app is, no diary
        "/accounts/login/",
        "/learn/see-a-clinician/",  # the rules behind the prompts: general, public, no diary
        "/static/icons/icon.svg",
        "/static/icons/icon-192.png",
        "/static/css/app.css",
        "/manifest.webmanifest",
    }, hrefs
    for name in ["history", "summary", "share_links", "my_data", "export_json"]:
        response = visitor.get(reverse(name))
        assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert b"today-body" not in visitor.get(reverse("today")).content


@pytest.mark.parametrize(
    "change, status",
    [
        ({"expires_at": timezone.now() - timedelta(seconds=1)}, 410),
        ({"revoked_at": timezone.now()}, 410),
    ],
)
def test_an_expired_or_revoked_link_is_no_longer_valid(alice, alice_link, change, status):
    ShareLink.objects.filter(user=alice).update(**change)
    for url in (alice_link, alice_link + "pdf/"):
        response = Client().get(url)
        assert response.status_code == status
        assert "no longer valid" in response.content.decode() or url.endswith("pdf/")
        assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert ShareLink.objects.get(user=alice).open_count == 0


@pytest.mark.parametrize("token", ["x" * 43, "short", "a" * 300, "nope.not-a-token_but-long-enough"])
def test_a_wrong_token_finds_nothing(alice_link, token):
    response = Client().get(f"/s/{token}/")
    assert response.status_code == 404
    assert "no longer valid" in response.content.decode()


def test_revoking_works_for_the_owner_only(alice, alice_link, bob_client, alice_client):
    link = ShareLink.objects.get(user=alice)
    assert bob_client.post(reverse("share_revoke", args=[link.pk])).status_code == 404
    assert Client().get(alice_link).status_code == 200
    alice_client.force_login(alice)
    alice_client.post(reverse("share_revoke", args=[link.pk]))
    assert Client().get(alice_link).status_code == 410
    assert "Revoked" in alice_client.get(reverse("share_links")).content.decode()


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"expires_in": "365"}, "Select a valid choice"),
        ({"end": "2999-01-01"}, "after today"),
        ({"note": ["1; drop table"]}, "damaged"),
    ],
)
def test_a_bad_link_request_makes_no_link(alice_client, alice, fields, message):
    today = timezone.localdate()
    data = {
        "start": (today - timedelta(days=6)).isoformat(),
        "end": today.isoformat(),
        "expires_in": "7",
        **fields,
    }
    response = alice_client.post(reverse("share_links"), data, follow=True)
    assert message in response.content.decode()
    assert not ShareLink.objects.exists()


def test_another_persons_links_are_not_listed(alice_link, bob_client):
    assert "Works until" not in bob_client.get(reverse("share_links")).content.decode()


def pdf_text(content: bytes) -> str:
    return " ".join(PdfReader(io.BytesIO(content)).pages[0].extract_text().split())


def test_the_name_asked_for_goes_on_the_link_and_is_kept_for_next_time(alice_client, alice):
    make_link(alice_client, name="Alice Example", birth_date="1950-05-17")
    link = ShareLink.objects.get(user=alice)
    assert (link.name, link.birth_date) == ("Alice Example", date(1950, 5, 17))
    alice.profile.refresh_from_db()
    assert alice.profile.summary_name == "Alice Example"
    page = alice_client.get(reverse("summary")).content.decode()
    assert 'value="Alice Example"' in page  # offered again next time, and can be cleared
    make_link(alice_client)  # left blank: left off
    assert ShareLink.objects.filter(user=alice).first().name == ""


@pytest.fixture
def one_day(alice, alice_client):
    """A diary around one day, 10 Nov 2026 (London): a cramp with a warning sign before it, one inside, one after."""
    zone = alice.profile.zone

    def local(*args):
        return datetime(*args, tzinfo=zone)

    cramp(alice, local(2026, 11, 6, 1), warning_signs=["swelling"], intensity=9, notes="Before the day")
    cramp(alice, local(2026, 1, 1, 3), intensity=2)  # the diary's start, months before
    inside = cramp(
        alice, local(2026, 11, 10, 23), intensity=5, warning_signs=["numbness"], notes="On the day"
    )
    cramp(alice, local(2026, 11, 12, 3), intensity=7, notes="After the day")
    Medication.objects.create(user=alice, name="Atorvastatin", started=date(2025, 3, 1))
    return inside


def test_a_one_day_link_shows_nothing_dated_outside_it_and_keeps_what_it_showed(alice, alice_client, one_day):
    url = make_link(alice_client, start="2026-11-10", end="2026-11-10", note=[str(one_day.pk)])
    page = Client().get(url).content.decode()
    pdf = pdf_text(Client().get(url + "pdf/").content)
    for text in (page, pdf):
        assert "10 Nov 2026" in text
        assert "On the day" in text
        for outside in ("Before the day", "After the day", "6 Nov", "12 Nov", "1 Jan", "Swelling"):
            assert outside not in text, outside
        # The one date from outside: a medicine's real start (a statin's start matters to a clinician).
        assert "Atorvastatin (medicine); started 1 Mar 2025, still taken" in text
        assert "General information, not a diagnosis." in text
    assert "Numbness or tingling" in page
    # What it says it shows is true: it named nothing from outside the dates, yet showed a medicine's start and
    # how long the diary had been kept
    assert "Nothing outside these dates is shown" not in page
    assert (
        "From outside these dates it shows only when the diary began (how long it has been kept) and the start "
        "and stop dates of the medicines taken in them."
    ) in page
    assert re.search(r"It works until \d+ \w+ \d{4} \d\d:\d\d London time\.", page)
    # Later edits change nothing the link shows
    CrampEpisode.objects.filter(pk=one_day.pk).update(intensity=1, notes="Edited later")
    cramp(alice, datetime(2026, 11, 10, 22, tzinfo=alice.profile.zone), intensity=3)
    assert Client().get(url).content.decode().split("<article")[1] == page.split("<article")[1]
    assert pdf_text(Client().get(url + "pdf/").content) == pdf
    assert "Edited later" not in Client().get(url).content.decode()


def test_how_it_started_is_on_a_link_only_when_ticked(alice, alice_client, one_day):
    plain = make_link(alice_client, start="2026-11-01", end="2026-11-14")
    ticked = make_link(alice_client, start="2026-11-01", end="2026-11-14", baseline="on")
    without, with_start = Client().get(plain).content.decode(), Client().get(ticked).content.decode()
    assert "At the start" not in without and "with how the diary started" not in without
    assert "At the start" in with_start and "with how the diary started for comparison" in with_start
    assert "At the start" in pdf_text(Client().get(ticked + "pdf/").content)
    assert "At the start" not in pdf_text(Client().get(plain + "pdf/").content)
    listed = alice_client.get(reverse("share_links")).content.decode()
    assert "with how you started" in listed


def test_opening_a_link_reads_only_the_link(alice, alice_client, one_day, django_assert_max_num_queries):
    url = make_link(alice_client, start="2026-11-01", end="2026-11-14")
    visitor = Client()
    with django_assert_max_num_queries(3):  # the link (with its owner's zone), the open count, the session
        assert visitor.get(url).status_code == 200
    with django_assert_max_num_queries(3):
        assert visitor.get(url + "pdf/").status_code == 200


def test_a_link_made_before_snapshots_gets_one_on_first_opening(alice, alice_client, one_day):
    url = make_link(alice_client, start="2026-11-10", end="2026-11-10")
    ShareLink.objects.update(report_html="", pdf=b"")
    assert "10 Nov 2026" in Client().get(url).content.decode()
    link = ShareLink.objects.get()
    assert link.report_html and bytes(link.pdf).startswith(b"%PDF-")


def test_pruning_removes_old_links_and_their_snapshots(alice, alice_link):
    ShareLink.objects.update(expires_at=timezone.now() - timedelta(days=400))
    call_command("prune", verbosity=0)
    assert not ShareLink.objects.exists()


def test_at_most_20_links_work_at_once_and_revoking_one_makes_room(alice_client, alice):
    def old_link(n: int, **fields) -> ShareLink:
        return ShareLink.objects.create(
            user=alice, token_hash=f"{n:064d}", first=date(2026, 1, 1), last=date(2026, 1, 28),
            expires_at=timezone.now() + timedelta(days=7), **fields,
        )  # fmt: skip

    old_link(100, revoked_at=timezone.now())  # stopped links don't count
    links = [old_link(n) for n in range(20)]
    today = timezone.localdate()
    data = {"start": (today - timedelta(days=6)).isoformat(), "end": today.isoformat(), "expires_in": "7"}
    response = alice_client.post(reverse("share_links"), data, follow=True)
    assert "You have 20 links that still work. Revoke one you no longer need" in response.content.decode()
    assert ShareLink.objects.count() == 21
    links[0].revoked_at = timezone.now()
    links[0].save()
    assert alice_client.post(reverse("share_links"), data).status_code == 302
    assert ShareLink.objects.count() == 22


def test_the_links_page_says_the_zone_of_its_times(alice, alice_client, one_day):
    """'Works until 19 Dec 2026 00:33' said no zone: a clinician abroad could not tell when the link stops."""
    make_link(alice_client, start="2026-11-10", end="2026-11-10")
    page = alice_client.get(reverse("share_links")).content.decode()
    assert re.search(r"Works until \d+ \w+ \d{4} \d\d:\d\d (GMT|BST)<", page)
    assert re.search(r"Made \d+ \w+ \d{4} \d\d:\d\d (GMT|BST)\.", page)


def test_a_time_in_the_hour_the_clocks_repeat_says_which_of_the_two_it_is(settings):
    """Django's "T" says nothing in that hour; the share links page said "Made 31 Oct 2027 01:30 ." there."""
    with timezone.override("Europe/London"):
        assert time_with_zone(datetime(2027, 10, 31, 0, 30, tzinfo=UTC)) == "31 Oct 2027 01:30 BST"
        assert time_with_zone(datetime(2027, 10, 31, 1, 30, tzinfo=UTC)) == "31 Oct 2027 01:30 GMT"
