"""The clinician summary in a language of its own: chosen on the summary page, kept with a share link, and the
whole shared page shown in it, whoever opens it. A typed or tampered language falls back and never errors.

There are no catalogues yet, so no Spanish or German word can be asserted: where a test must show that text was
written in a language, it swaps the module's gettext for one that writes the active language in front of the text.
"""

import io
import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader

from tests.conftest import cramp
from tracker.data import fhir
from tracker.models import ShareLink
from tracker.summary import report as report_module
from tracker.summary.pdf import summary_pdf
from tracker.summary.report import build_summary

pytestmark = pytest.mark.django_db

TAMPERED = ["xx", "../", "de-DE" * 20, "<script>", ""]


def period() -> dict:
    today = timezone.localdate()
    return {"start": (today - timedelta(days=27)).isoformat(), "end": today.isoformat()}


def make_link(client, **fields) -> str:
    response = client.post(reverse("share_links"), {**period(), "expires_in": "14", **fields})
    assert response.status_code == 302
    page = client.get(reverse("share_links")).content.decode()
    url = re.search(r'id="share-url" type="url" value="([^"]+)"', page).group(1)
    return url.replace("http://testserver", "")


@pytest.fixture
def marked(monkeypatch):
    """The summary's own words written with the language they were written in: "[de] The diary has no entries"."""

    def gettext(text: str) -> str:
        return f"[{translation.get_language()}] {text}"

    monkeypatch.setattr(report_module, "gettext", gettext)


def test_it_keeps_the_chosen_language_with_a_share_link(alice_client, alice):
    make_link(alice_client, language="de")
    assert ShareLink.objects.get(user=alice).language == "de"


def test_it_shows_the_shared_page_in_the_links_language_whatever_the_visitor_reads(alice_client, alice):
    url = make_link(alice_client, language="de")
    response = Client(HTTP_ACCEPT_LANGUAGE="es").get(url)
    assert response.status_code == 200
    assert response["Content-Language"] == "de"
    assert '<html lang="de"' in response.content.decode()


def test_it_writes_the_kept_report_in_the_links_language(alice_client, alice, marked):
    make_link(alice_client, language="es")
    # No entries: the summary says so, in the language it was made in.
    assert "[es] The diary has no entries yet." in ShareLink.objects.get(user=alice).report_html


def test_a_signed_in_visitor_reads_it_in_the_links_language_too(alice_client, alice):
    url = make_link(alice_client, language="es")
    alice.profile.language = "de"
    alice.profile.save(update_fields=["language"])
    response = alice_client.get(url)
    assert response["Content-Language"] == "es" and '<html lang="es"' in response.content.decode()


def test_it_defaults_to_the_page_language_when_none_is_chosen(alice_client, alice):
    alice_client.post(reverse("share_links"), {**period(), "expires_in": "14"}, HTTP_ACCEPT_LANGUAGE="es")
    assert ShareLink.objects.get(user=alice).language == "es"


@pytest.mark.parametrize("language", TAMPERED)
def test_a_tampered_language_falls_back_and_never_errors(alice_client, alice, language):
    url = make_link(alice_client, language=language)
    assert ShareLink.objects.get(user=alice).language == "en"
    assert Client().get(url).status_code == 200
    page = alice_client.get(reverse("summary"), {"language": language})
    assert page.status_code == 200
    assert '<option value="en" lang="en" selected>' in page.content.decode()
    pdf = alice_client.get(reverse("summary_pdf"), {"language": language})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")


def test_a_link_with_a_tampered_stored_language_still_opens(alice_client, alice):
    url = make_link(alice_client)
    ShareLink.objects.update(language="xx", report_html="", pdf=b"")  # made again when opened
    response = Client().get(url)
    assert response.status_code == 200 and response["Content-Language"] == "en"
    assert Client().get(url + "pdf/").content.startswith(b"%PDF-")


def test_an_expired_link_says_so_in_its_language(alice_client, alice):
    url = make_link(alice_client, language="de")
    ShareLink.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    response = Client(HTTP_ACCEPT_LANGUAGE="es").get(url)
    assert response.status_code == 410 and response["Content-Language"] == "de"


def test_the_summary_page_offers_each_language_named_in_itself(alice_client):
    page = alice_client.get(reverse("summary")).content.decode()
    assert '<select id="summary-language" name="language">' in page
    for option in (
        'value="en" lang="en" selected>English',
        'value="es" lang="es">Español',
        'value="de" lang="de">',
    ):
        assert option in page


def test_the_report_on_the_page_is_in_the_chosen_language_and_says_so(alice_client, marked):
    page = alice_client.get(reverse("summary"), {**period(), "language": "de"}).content.decode()
    assert '<html lang="en"' in page  # the page around it stays in the person's language
    assert '<article class="report" aria-labelledby="report-title" lang="de">' in page
    assert "[de] The diary has no entries yet." in page
    assert '<input type="hidden" name="language" value="de">' in page
    assert "language=de" in page  # sent back with the period when a form is refused


def test_the_report_in_the_pages_own_language_has_no_lang_of_its_own(alice_client):
    page = alice_client.get(reverse("summary")).content.decode()
    assert '<article class="report" aria-labelledby="report-title">' in page


def test_the_pdf_in_german_is_a_valid_pdf(alice, alice_client, marked):
    now = timezone.now()
    for days in range(1, 10):
        cramp(alice, now - timedelta(days=days), intensity=days % 10, notes="Straße, Übung, ¿qué? ¡sí! «ja»")
    today = timezone.localdate()
    with translation.override("de"):
        summary = build_summary(alice, today - timedelta(days=27), today, note_ids=[], offer_notes=True)
        content = summary_pdf(summary)
    reader = PdfReader(io.BytesIO(content))
    assert len(reader.pages) == 1
    assert reader.trailer["/Root"]["/Lang"] == "de"
    response = alice_client.get(reverse("summary_pdf"), {**period(), "language": "de"})
    assert response.status_code == 200
    assert PdfReader(io.BytesIO(response.content)).trailer["/Root"]["/Lang"] == "de"


def test_the_pdf_keeps_spanish_and_german_letters(alice, alice_client):
    note = cramp(alice, timezone.now() - timedelta(days=1), notes="Straße, Übung, ¿qué? ¡sí! «ja» „so“").pk
    response = alice_client.post(
        reverse("summary_pdf"), {**period(), "note": [note], "language": "de", "paper": "A4"}
    )
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "Straße, Übung, ¿qué? ¡sí! «ja»" in text


def test_the_fhir_words_are_in_the_language_asked_for(alice, monkeypatch):
    monkeypatch.setattr(fhir, "gettext", lambda text: f"[{translation.get_language()}] {text}")
    cramp(alice, timezone.now() - timedelta(days=1), intensity=5)
    resource = fhir.bundle(alice, language="es")["entry"][1]["resource"]
    assert resource["valueCodeableConcept"]["text"] == "[es] Leg cramp"
    assert resource["valueCodeableConcept"]["coding"][0]["display"] == "Cramp (finding)"  # the code system's


def test_the_fhir_chunks_keep_the_language_they_were_asked_in(alice, monkeypatch):
    """The chunks are written after the view returns: in the language active when they were asked for."""
    monkeypatch.setattr(fhir, "gettext", lambda text: f"[{translation.get_language()}] {text}")
    cramp(alice, timezone.now() - timedelta(days=1), intensity=5)
    with translation.override("de"):
        chunks = fhir.bundle_chunks(alice)
    with translation.override("es"):
        body = b"".join(chunks).decode()
        assert translation.get_language() == "es"  # and the chunks left it as they found it
    assert '"[de] Leg cramp"' in body and "[es]" not in body
