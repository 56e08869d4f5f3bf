"""Downloads are never cached, CSV never carries a formula a spreadsheet would run, and an import with a number no
value could have is a listed problem, not a server error."""

import csv
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tests.conftest import cramp
from tracker.models import CrampEpisode

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ["export_json", "export_csv", "export_fhir", "summary_pdf"])
def test_every_download_says_no_store(alice_client, alice, name):
    cramp(alice, timezone.now())
    response = alice_client.get(reverse(name))
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store, private"


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
    archive = zipfile.ZipFile(io.BytesIO(alice_client.get(reverse("export_csv")).content))
    rows = list(csv.DictReader(io.StringIO(archive.read("cramps.csv").decode())))
    assert (rows[0]["triggers"], rows[0]["notes"]) == (written, written)
    exported = alice_client.get(reverse("export_json")).json()
    assert exported["cramps"][0]["notes"] == typed  # the JSON keeps what was typed, exactly


def test_an_import_with_a_5000_digit_number_is_a_listed_problem(alice_client, alice):
    payload = b'{"format": "cramp-diary", "version": 1, "cramps": [{"intensity": ' + b"9" * 5000 + b"}]}"
    response = alice_client.post(reverse("my_data"), {"file": SimpleUploadedFile("d.json", payload)})
    assert response.status_code == 400
    assert "a number far too long to be a real value" in response.content.decode()
    assert not CrampEpisode.objects.exists()
