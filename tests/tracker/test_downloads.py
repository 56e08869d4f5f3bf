"""Downloads are never cached, CSV never carries a formula a spreadsheet would run, and an import with a number no
value could have is a listed problem, not a server error."""

import csv
import io
import json
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tests.conftest import cramp
from tracker.models import CrampEpisode

pytestmark = pytest.mark.django_db


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.parametrize("name", ["export_json", "export_csv", "export_fhir", "summary_pdf"])
def test_every_download_says_no_store(alice_client, alice, name):
    cramp(alice, timezone.now())
    response = alice_client.get(reverse(name))
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store, private"
    # The PDF opens inline, the rest download; all are named.
    assert 'filename="cramp-diary' in response["Content-Disposition"]
    assert response.streaming == (name != "summary_pdf")  # the exports are written as they are sent
    assert body(response)


@pytest.mark.parametrize(
    "typed, written",
    [
        ('=HYPERLINK("http://x.example","click")', '\'=HYPERLINK("http://x.example","click")'),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("plain words", "plain words"),
        ("a = b", "a = b"),
    ],
)
def test_csv_cells_that_would_run_as_formulas_are_written_as_text(alice_client, alice, typed, written):
    cramp(alice, timezone.now(), triggers=typed, notes=typed)
    archive = zipfile.ZipFile(io.BytesIO(body(alice_client.get(reverse("export_csv")))))
    rows = list(csv.DictReader(io.StringIO(archive.read("cramps.csv").decode())))
    assert (rows[0]["triggers"], rows[0]["notes"]) == (written, written)
    exported = json.loads(body(alice_client.get(reverse("export_json"))))
    assert exported["cramps"][0]["notes"] == typed  # the JSON keeps what was typed, exactly


def test_an_import_with_a_5000_digit_number_is_a_listed_problem(alice_client, alice):
    payload = b'{"format": "cramp-diary", "version": 1, "cramps": [{"intensity": ' + b"9" * 5000 + b"}]}"
    response = alice_client.post(reverse("my_data"), {"file": SimpleUploadedFile("d.json", payload)})
    assert response.status_code == 400
    assert "a number far too long to be a real value" in response.content.decode()
    assert not CrampEpisode.objects.exists()


@pytest.mark.parametrize(
    "encoded, problem",
    [
        ("utf-16", "saved as UTF-16 text"),
        ("utf-16-le", "saved as UTF-16 text"),
        ("utf-32", "saved as UTF-32 text"),
        ("latin-1", "The file is not UTF-8 text"),
    ],
)
def test_a_file_in_another_encoding_is_a_listed_problem(alice_client, alice, encoded, problem):
    payload = '{"format": "cramp-diary", "version": 1, "cramps": [], "profile": {"display_name": "Zoë"}}'
    upload = SimpleUploadedFile("d.json", payload.encode(encoded))
    response = alice_client.post(reverse("my_data"), {"file": upload})
    assert response.status_code == 400
    assert problem in response.content.decode()


def test_a_file_with_a_utf8_byte_order_mark_imports(alice_client, alice):
    exported = body(alice_client.get(reverse("export_json")))
    exported = exported.replace(b"[\n]", b"[]", 1)  # any layout of the same JSON reads the same
    upload = SimpleUploadedFile("d.json", b"\xef\xbb\xbf" + exported)
    response = alice_client.post(reverse("my_data"), {"file": upload}, follow=True)
    assert response.status_code == 200 and "Imported" in response.content.decode()


@pytest.mark.parametrize("name", ["export_json", "export_fhir"])
def test_a_browser_that_takes_gzip_gets_the_same_file_gzipped(alice_client, alice, name):
    import gzip

    cramp(alice, timezone.now(), notes="Zoë")
    plain = body(alice_client.get(reverse(name)))
    response = alice_client.get(reverse(name), HTTP_ACCEPT_ENCODING="gzip, deflate")
    assert response["Content-Encoding"] == "gzip" and "Accept-Encoding" in response["Vary"]
    assert response["Cache-Control"] == "no-store, private"
    unpacked = json.loads(gzip.decompress(body(response)))
    assert unpacked["resourceType" if name == "export_fhir" else "format"] == json.loads(plain).get(
        "resourceType" if name == "export_fhir" else "format"
    )
    assert len(unpacked["entry" if name == "export_fhir" else "cramps"]) >= 1


def test_the_zip_is_not_compressed_twice(alice_client, alice):
    cramp(alice, timezone.now())
    response = alice_client.get(reverse("export_csv"), HTTP_ACCEPT_ENCODING="gzip")
    assert not response.has_header("Content-Encoding")
    assert zipfile.ZipFile(io.BytesIO(body(response))).testzip() is None
