"""Every page a person can reach, rendered for a demo diary, speaks plainly: no file name, no 16-hex id, no "FHIR"
outside All my data, no "threshold" or "Rule:", no raw "None" or "5.0"-style numbers in what is shown."""

import re
from datetime import date, timedelta
from html import unescape

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from tests.browser.test_accessibility import ANONYMOUS, NOT_PAGES, pages_of
from tests.conftest import PASSWORD, route_names
from tracker.data.demo import build_diary
from tracker.models import Experiment, Medication, ShareLink
from tracker.summary.share_links import hash_token

pytestmark = pytest.mark.django_db

FORBIDDEN = [
    (re.compile(r"\.txt\b"), "a file name"),
    (re.compile(r"\b[0-9a-f]{16}\b"), "a 16-hex string"),
    (re.compile(r"\bthreshold\b", re.I), "the word threshold"),
    (re.compile(r"\bRule:"), "Rule:"),
    (re.compile(r"\bNone\b"), "a raw None"),
    (re.compile(r"(?<![\d.])\d+\.0(?![\d])"), "a number shown with .0"),
]


def visible_text(html: str) -> str:
    """What a person reads: the page's text outside tags, scripts, styles and templates kept for offline use."""
    html = re.sub(r"<(script|style|template)\b.*?</\1>", " ", html, flags=re.S | re.I)
    html = re.sub(r"<!--.*?-->", " ", html, flags=re.S)
    return unescape(re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def demo_person(db):
    person = User.objects.create_user("dora", password=PASSWORD)
    now = timezone.now()
    today = timezone.localdate()
    build_diary(person, person.profile.zone, today - timedelta(days=60), today, now, seed=7)
    Medication.objects.create(user=person, name="Furosemide", kind="medicine", started=date(2026, 1, 1))
    Experiment.objects.create(
        user=person, change_key="stretch", change="stretch your calves before bed", block_days=7, pairs=2,
        seed=1, orders=["UC", "CU"], start=today - timedelta(days=40),
    )  # fmt: skip
    return person


def test_every_page_speaks_plainly(client, demo_person):
    token = "p" * 43
    ShareLink.objects.create(
        user=demo_person,
        token_hash=hash_token(token),
        first=timezone.localdate() - timedelta(days=27),
        last=timezone.localdate(),
        expires_at=timezone.now() + timedelta(days=1),
    )
    urls = [*ANONYMOUS.values(), "/"]
    pages = pages_of(demo_person)
    assert route_names() - NOT_PAGES == set(pages) | set(ANONYMOUS) | {"shared_summary"}
    found = []
    for url in urls:
        found += problems(client.get(url), url)
    found += problems(client.get(f"/s/{token}/"), "/s/<token>/")
    client.force_login(demo_person)
    for name, page_urls in pages.items():
        for url in page_urls:
            found += problems(client.get(url), url, fhir_allowed=name == "my_data")
    assert found == [], "\n".join(found)


def problems(response, url: str, fhir_allowed: bool = False) -> list[str]:
    assert response.status_code == 200, (url, response.status_code)
    text = visible_text(response.content.decode())
    found = [
        f"{url}: {what}: ...{text[max(0, m.start() - 40) : m.end() + 40]!r}..."
        for pattern, what in FORBIDDEN
        for m in [pattern.search(text)]
        if m
    ]
    if not fhir_allowed and "FHIR" in text:
        found.append(f"{url}: FHIR outside All my data")
    return found
