"""Email to a person: plain text with an HTML twin, in their own words, never with diary contents in it. Messages
are rendered in the request and sent by a background task (Django's tasks framework, `manage.py db_worker`), so a
slow mail server never slows a page, and a page takes as long whether or not a message was sent."""

import logging

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from tracker.models import Profile

log = logging.getLogger(__name__)
CONFIRM_SALT = "tracker.accounts.confirm-email"


@task()
def send_message(to: str, subject: str, text: str, html: str, headers: dict | None = None) -> None:
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [to], headers=headers or {})
    message.attach_alternative(html, "text/html")
    message.send()
    log.info("email sent (%s)", subject[:40])


def render_and_send(to: str, template: str, context: dict) -> None:
    """`template`_subject.txt, .txt and .html rendered with `context`, sent in the background."""
    subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
    send_message.enqueue(
        to,
        subject,
        render_to_string(f"{template}.txt", context),
        render_to_string(f"{template}.html", context),
    )


def confirmation_token(user) -> str:
    return signing.dumps({"user": user.pk, "email": user.email}, salt=CONFIRM_SALT)


def send_confirmation(request, user) -> None:
    """Ask the person to confirm their address: until they do, no message but this one goes to it."""
    link = request.build_absolute_uri(reverse("confirm_email", args=[confirmation_token(user)]))
    context = {
        "name": user.profile.display_name or user.get_username(),
        "link": link,
        "days": settings.EMAIL_CONFIRMATION_DAYS,
    }
    render_and_send(user.email, "registration/email/confirm", context)


def confirm(token: str) -> Profile | None:
    """The profile whose address the token confirms, now marked confirmed; None for a bad, old or stale token (the
    address changed since)."""
    try:
        found = signing.loads(token, salt=CONFIRM_SALT, max_age=settings.EMAIL_CONFIRMATION_DAYS * 24 * 3600)
    except signing.BadSignature:
        return None
    profile = Profile.objects.select_related("user").filter(user_id=found.get("user")).first()
    if profile is None or not profile.user.email or profile.user.email != found.get("email"):
        return None
    if profile.email_confirmed_at is None:
        profile.email_confirmed_at = timezone.now()
        profile.save(update_fields=["email_confirmed_at"])
    return profile
