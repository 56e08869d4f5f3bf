"""A person who forgot their password gets back into their diary from the log-in page, on a phone."""

import re

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.utils import timezone

from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_forgotten_password_is_reset_from_the_log_in_page(phone, artifacts, live_server, settings):
    settings.SITE_URL = live_server.url  # emailed links start from the site's configured address
    person = User.objects.create_user("hana", password=PASSWORD, email="hana@example.org")
    person.profile.email_confirmed_at = timezone.now()
    person.profile.save()
    page = phone
    page.goto("/accounts/login/")
    page.get_by_role("link", name="Forgot your password?").tap()
    page.fill("#id_email", "hana@example.org")
    page.get_by_role("button", name="Send me a link").tap()
    page.get_by_role("heading", name="Check your email").wait_for()
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+", mail.outbox[0].body)[0]
    assert link.startswith(live_server.url + "/accounts/reset/")
    page.goto(link)
    page.fill("#id_new_password1", "a-brand-new-secret-77")
    page.fill("#id_new_password2", "a-brand-new-secret-77")
    page.screenshot(path=str(artifacts / "reset-password.png"))
    page.get_by_role("button", name="Save my new password").tap()
    page.wait_for_url(re.compile(r"^http://[^/]+/$"))  # Today
    assert "Your new password is set" in page.locator(".flashes").inner_text()
    assert page.locator("h1").first.inner_text().startswith("Today")
    person.refresh_from_db()
    assert person.check_password("a-brand-new-secret-77")
    assert page.problems == []
