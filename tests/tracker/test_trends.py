"""The Trends page and its data: ranges, empty states, text alternatives, bad ranges, and only one's own diary."""

import html
import json
import re
from datetime import date, timedelta
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.conftest import cramp, drink
from tracker.data.demo import build_diary
from tracker.entries.nights import night_of
from tracker.models import CrampEpisode, Exercise

pytestmark = pytest.mark.django_db
DAY = timedelta(days=1)

TRENDS = reverse("trends")
DATA = reverse("trends_data")


def chart_data(response) -> dict:
    found = re.search(
        r'<div id="trends-body" class="trends-body" data-charts="([^"]*)"', response.content.decode()
    )
    return json.loads(html.unescape(found.group(1)))


@pytest.fixture
def diary(alice):
    now = timezone.now()
    today = timezone.localtime(now, alice.profile.zone).date()
    build_diary(
        alice, alice.profile.zone, today - timedelta(days=120), today, now, seed=3, cramps_max_per_day=2
    )
    return alice


def test_an_empty_diary_says_how_to_fill_every_chart(alice_client):
    response = alice_client.get(TRENDS)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Your trends appear here once you log" in page
    assert page.count('class="empty"') >= 7
    assert "<canvas" not in page
    assert chart_data(response) == {
        "unit": "week",
        **dict.fromkeys(
            ["cramps", "intensity", "minutes", "hours", "muscles", "fluid", "exercise", "nutrients"]
        ),
    }
    assert "At a glance" not in page  # nothing to compare: no headline rather than a made-up one


def test_a_full_diary_draws_eight_charts_each_with_a_text_alternative(alice_client, diary):
    response = alice_client.get(TRENDS)
    page = response.content.decode()
    data = chart_data(response)
    assert page.count("<canvas") == 8
    assert page.count("Show as a table") == 8
    assert '<th scope="col">Fluid that day</th>' in page and '<th scope="col">That day</th>' in page
    assert all(
        data[name]
        for name in ["cramps", "intensity", "minutes", "hours", "muscles", "fluid", "exercise", "nutrients"]
    )
    assert len(data["cramps"]["labels"]) == 12  # the default range: 12 weeks
    assert len(data["hours"]["count"]) == 24
    assert "At a glance" in page and "Last 4 weeks:" in page and "when you started" in page
    assert "went with" in page and "cause" in page  # "not what causes what"
    assert "not medical advice" in page  # the disclaimer


@pytest.mark.parametrize("key, buckets", [("4w", 4), ("12w", 12), ("26w", None), ("52w", None)])
def test_each_range_has_its_weeks_and_a_long_one_starts_with_the_diary(alice_client, diary, key, buckets):
    """The diary is 120 days old: 6 months and a year start with its first week, not with empty months."""
    today = timezone.localtime(timezone.now(), diary.profile.zone).date()  # Alice's today, not the server's
    # The weeks end with the last night that is over (before noon, the night before last), back to the diary's start.
    nights = (night_of(timezone.now(), diary.profile.zone) - DAY - (today - 120 * DAY)).days + 1
    response = alice_client.get(TRENDS, {"range": key})
    data = chart_data(response)
    assert (len(data["cramps"]["labels"]), data["unit"]) == (buckets or -(-nights // 7), "week")
    if buckets is None:
        assert f"Your diary starts {(today - 120 * DAY):%-d %b %Y}." in response.content.decode()


def test_all_time_starts_at_the_diary_and_uses_months_beyond_a_year(alice_client, alice):
    now = timezone.now()
    today = timezone.localtime(now, alice.profile.zone).date()
    first = today - timedelta(days=800)
    build_diary(alice, alice.profile.zone, first, today, now, seed=5)
    data = alice_client.get(DATA, {"range": "all"}).json()
    last = (
        night_of(now, alice.profile.zone) - DAY
    )  # up to the last night that is over (before noon, 2 days ago)
    assert (data["unit"], data["first"], data["last"]) == ("month", first.isoformat(), last.isoformat())
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    assert len(data["cramps"]["labels"]) == months


def test_the_weekly_counts_match_the_database(alice_client, diary):
    data = alice_client.get(DATA, {"range": "4w"}).json()
    zone = diary.profile.zone
    first = date.fromisoformat(data["first"])
    expected = [0, 0, 0, 0]
    for at in CrampEpisode.objects.filter(user=diary).values_list("at", flat=True):
        index = (night_of(at, zone) - first).days // 7
        if 0 <= index < 4:
            expected[index] += 1
    assert data["cramps"]["count"] == expected


def test_htmx_gets_only_the_range_body(alice_client, diary):
    response = alice_client.get(
        TRENDS, {"range": "4w"}, headers={"HX-Request": "true", "HX-Target": "trends-body"}
    )
    page = response.content.decode()
    assert page.lstrip().startswith('<div id="trends-body"')
    assert "<html" not in page and "At a glance" not in page
    assert 'aria-current="true">4 weeks' in page


def test_a_custom_range(alice_client, diary):
    today = timezone.localtime(timezone.now(), diary.profile.zone).date()  # Alice's today, not the server's
    start, end = today - timedelta(days=20), today - timedelta(days=6)
    data = alice_client.get(DATA, {"range": "custom", "start": start, "end": end}).json()
    assert (data["range"], data["first"], data["last"]) == ("custom", start.isoformat(), end.isoformat())
    assert data["errors"] == {}


@pytest.mark.parametrize(
    "query, message",
    [
        ({"range": "custom", "start": "2026-01-10"}, "Choose both a first and a last day"),
        ({"range": "custom", "start": "2026-02-10", "end": "2026-01-10"}, "must come before the last day"),
        ({"range": "custom", "start": "2026-01-10", "end": "2999-01-01"}, "can&#x27;t be after today"),
        ({"range": "custom", "start": "1900-01-01", "end": "2026-01-01"}, "can&#x27;t be before 2000"),
        ({"range": "custom", "start": "31/02/2026", "end": "2026-03-01"}, "Enter a valid date"),
        ({"range": "forever"}, "Select a valid choice"),
    ],
)
def test_a_bad_range_says_why_and_shows_the_default(alice_client, diary, query, message):
    response = alice_client.get(TRENDS, query)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert len(chart_data(response)["cramps"]["labels"]) == 12
    data = alice_client.get(DATA, query).json()
    assert data["range"] == "12w"
    assert any(message.replace("&#x27;", "'") in m for found in data["errors"].values() for m in found)


def test_it_counts_only_the_persons_own_diary(alice_client, diary, bob):
    before = alice_client.get(DATA, {"range": "all"}).json()
    now = timezone.now()
    for hours in range(1, 30):
        cramp(bob, now - timedelta(hours=hours * 5), intensity=10)
        drink(bob, now - timedelta(hours=hours * 5), ml=3000)
        Exercise.objects.create(user=bob, at=now - timedelta(hours=hours), activity="Run", minutes=600)
    assert alice_client.get(DATA, {"range": "all"}).json() == before


def test_fluid_bands_are_in_the_persons_unit(alice_client, diary):
    diary.profile.volume_unit = "floz"
    diary.profile.save()
    data = alice_client.get(DATA).json()
    assert data["fluid"]["axis"] == "Fluid that day (fl oz)"
    assert data["fluid"]["labels"][0] == "under 34"


class FigureChildren(HTMLParser):
    """The element children of each <figure>, in order (HTML allows a figcaption only first or last)."""

    VOID = {
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "source",
        "track",
        "wbr",
    }

    def __init__(self) -> None:
        super().__init__()
        self.figures: list[list[str]] = []
        self.stack: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        if self.stack and self.stack[-1] == "figure":
            self.figures[-1].append(tag)
        if tag == "figure":
            self.figures.append([])
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag) -> None:
        if tag in self.stack:
            while self.stack.pop() != tag:
                pass


def test_each_charts_caption_is_where_html_allows_it(alice_client, diary):
    parser = FigureChildren()
    parser.feed(alice_client.get(TRENDS).content.decode())
    assert len(parser.figures) >= 7
    for children in parser.figures:
        assert "figcaption" not in children[1:-1], children
