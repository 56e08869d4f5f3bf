"""Form errors are tied to their fields, so a screen reader reads the reason with the field."""

import re
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from tests.conftest import HTMX_FROM_TODAY, cramp_data


def test_a_rejected_cramp_ties_each_error_to_its_field(alice_client, alice):
    future = (timezone.localtime(timezone.now(), alice.profile.zone) + timedelta(hours=2)).strftime(
        "%Y-%m-%dT%H:%M"
    )
    data = cramp_data(at=future, duration_minutes="0")
    page = alice_client.post(
        reverse("entry_create", args=["cramp"]), data, **HTMX_FROM_TODAY
    ).content.decode()
    for name in ("at", "duration_minutes"):
        field = re.search(rf'<input[^>]*name="{name}"[^>]*>', page).group(0)
        assert 'aria-invalid="true"' in field
        described = re.search(r'aria-describedby="([^"]+)"', field).group(1).split()
        assert f"id_{name}_error" in described
        assert f'id="id_{name}_error" role="alert"' in page  # announced when htmx swaps it in
    assert "That time is in the future" in page


def test_a_rejected_signup_ties_errors_to_fields(client, db):
    page = client.post(
        reverse("signup"), {"username": "x", "password1": "short", "password2": "other"}
    ).content.decode()
    field = re.search(r'<input[^>]*name="password2"[^>]*>', page).group(0)
    assert 'aria-invalid="true"' in field and "id_password2_error" in field
    assert 'id="id_password2_error"' in page
