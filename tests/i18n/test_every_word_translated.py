"""Nothing left behind: every page, email and the PDF, rendered in a pseudo-language (tests/i18n/pseudo.py) in
which each translated message comes out «marked», shows no word outside the marks, except the person's own
entries. A word outside the marks never went through gettext, so Spanish or German would show it in English.

Every message seen on the way must also be in the Spanish and German catalogues (tests/i18n/test_catalogues.py
checks that those entries are translated): a marked message missing from a catalogue is English there too.
"""

import io
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.db import models
from django.utils import timezone, translation
from django.utils.translation.trans_real import DjangoTranslation
from pypdf import PdfReader

from tests.browser.test_accessibility import ANONYMOUS, make_diary_person, pages_of
from tests.conftest import confirmed
from tests.i18n.pseudo import PSEUDO, unmarked_words, visible_text
from tests.tracker.test_i18n_mail import remind_by_email
from tracker.accounts import mail
from tracker.models import TIME_ZONES, Profile
from tracker.reminders.sending import send_due

pytestmark = pytest.mark.django_db


def person_words(person) -> set[str]:
    """What the person typed (names, notes, medicines), their username and email: shown as typed, never translated."""
    words = {person.username, person.email, *TIME_ZONES}
    for model in apps.get_app_config("tracker").get_models():
        owner = next(
            (f.name for f in model._meta.fields if f.is_relation and f.related_model is person.__class__),
            None,
        )
        if owner is None:
            continue
        text_fields = [
            f.attname for f in model._meta.fields if isinstance(f, models.CharField | models.TextField)
            and not f.choices and f.attname not in {"report_html", "token_hash", "page_version", "rollup_key"}
        ]  # fmt: skip
        for row in model._base_manager.filter(**{owner: person}).values_list(*text_fields):
            words.update(value for value in row if value)
    return words


def make_link(client) -> str:
    """A share link made through the page, so its kept report is rendered in the pseudo-language; its address."""
    today = timezone.localdate()
    response = client.post(
        "/summary/links/",
        {"start": (today - timedelta(days=27)).isoformat(), "end": today.isoformat(), "expires_in": "14"},
    )
    assert response.status_code == 302, response.content[:2000]
    found = re.search(r"/s/[A-Za-z0-9_-]{20,}/", client.get("/summary/links/").content.decode())
    assert found, "the new link's address is shown once"
    return found.group(0)


def all_pages(client, person) -> dict[str, str]:
    pages = {}
    for url in [*ANONYMOUS.values(), "/"]:
        pages[url] = client.get(url).content.decode()
    client.force_login(person)
    shared = make_link(client)
    for urls in pages_of(person).values():
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            pages[url] = response.content.decode()
    client.logout()
    pages[shared] = client.get(shared).content.decode()
    return pages


def missing_from_catalogues(messages: set[str]) -> dict[str, list[str]]:
    """The messages a language's compiled catalogues (ours and Django's own) do not translate."""
    missing = {}
    for language in ("es", "de"):
        catalog = DjangoTranslation(language)._catalog
        missing[language] = sorted(m for m in messages if m not in catalog and (m, 0) not in catalog)
    return {language: found for language, found in missing.items() if found}


def test_every_page_shows_only_translated_words(client, pseudo):
    person = make_diary_person()
    allowed = person_words(person)
    pages = all_pages(client, person)
    problems = {
        url: sorted(set(words))
        for url, html in pages.items()
        if (words := unmarked_words(visible_text(html), allowed))
    }
    report = "\n".join(f"{url}: {' '.join(words)}" for url, words in problems.items())
    assert not problems, f"words not passed through translation on {len(problems)} pages:\n{report}"
    assert not (missing := missing_from_catalogues(pseudo.seen)), f"not in the catalogues: {missing}"


def test_the_pdf_shows_only_translated_words(client, pseudo):
    person = make_diary_person()
    client.force_login(person)
    response = client.get("/summary/pdf/")
    assert response.status_code == 200
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "«" in text, "the PDF keeps the marks (its core fonts are Latin-1)"
    words = unmarked_words(text, person_words(person))
    assert not words, f"the PDF shows words not passed through translation: {sorted(set(words))}"
    assert not (missing := missing_from_catalogues(pseudo.seen)), f"not in the catalogues: {missing}"


def email_text(message) -> str:
    """What the person reads of an email: its subject, its plain text and its HTML's visible text."""
    html = "".join(content for content, kind in message.alternatives if kind == "text/html")
    return "\n".join([message.subject, message.body, visible_text(html)])


def test_every_email_shows_only_translated_words(client, pseudo, alice, mailoutbox):
    confirmed(alice)
    Profile.objects.filter(user=alice).update(language=PSEUDO)
    alice.refresh_from_db()
    with translation.override("en"):  # the worker's own language is not the person's
        assert mail.send_confirmation(alice)
        mail.send_password_reset.call(alice.email)
        remind_by_email(alice)
        assert send_due(datetime(2026, 12, 4, 8, 0, tzinfo=ZoneInfo("Europe/London"))) == 1
    assert len(mailoutbox) == 3
    allowed = {alice.username, alice.email, "Europe/London"}
    problems = {
        message.subject: words
        for message in mailoutbox
        if (words := sorted(set(unmarked_words(email_text(message), allowed))))
    }
    assert not problems, f"emails with words not passed through translation: {problems}"
    assert not (missing := missing_from_catalogues(pseudo.seen)), f"not in the catalogues: {missing}"
