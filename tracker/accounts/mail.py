"""Email to a person: plain text with an HTML twin, in their own words, never with diary contents in it. Messages
are sent by a background task (Django's tasks framework, `manage.py run_worker`), so a slow mail server never slows a
page. Every link in them starts from the configured site address (settings.SITE_URL), never from the Host a request
named, so a forged Host can't turn a link towards another site."""

import logging
from contextlib import nullcontext

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from tracker.accounts import throttle
from tracker.app import l10n
from tracker.models import Profile

log = logging.getLogger(__name__)
CONFIRM_SALT = "tracker.accounts.confirm-email"


@task()
def send_message(to: str, subject: str, text: str, html: str, headers: dict | None = None) -> None:
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [to], headers=headers or {})
    message.attach_alternative(html, "text/html")
    message.send()
    log.info("email sent (%s)", subject[:40])


def rendered(template: str, context: dict, profile: Profile | None = None) -> tuple[str, str, str]:
    """The subject, text and HTML of `template`_subject.txt, .txt and .html, in the language of the person they
    are for: `profile`'s, else that of the context's `user` (Django's reset email has one). A message is often
    written away from the person's own request (the worker, someone else's request), so the active language is
    not theirs."""
    user = context.get("user")
    if profile is None and user is not None:
        profile = getattr(user, "profile", None)
    language = l10n.in_language(l10n.person_language(profile)) if profile is not None else nullcontext()
    with language:
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        return (
            subject,
            render_to_string(f"{template}.txt", context),
            render_to_string(f"{template}.html", context),
        )


def render_and_send(to: str, template: str, context: dict, profile: Profile | None = None) -> None:
    """`template` rendered with `context` now, in `profile`'s language (`rendered`), sent in the background."""
    send_message.enqueue(to, *rendered(template, context, profile))


def site_link(path: str) -> str:
    """A link for an email: the site's own address, whatever Host the request that caused the email named."""
    return settings.SITE_URL + path


@task()
def send_password_reset(email: str) -> None:
    """The worker's half of a reset request: Django's reset form finds each active account whose confirmed address
    this is and mails it a link. The request only queues this task, for any address, known or not, so it does the
    same work and takes the same time whoever the address belongs to."""
    from tracker.accounts.forms import ResetForm  # forms.py imports this module

    form = ResetForm({"email": email})
    if form.is_valid():
        form.send_links()


def confirmation_token(user) -> str:
    return signing.dumps({"user": user.pk, "email": user.email}, salt=CONFIRM_SALT)


def confirmation_allowed(user) -> bool:
    """Count one confirmation link for the person's account and address; False, counting nothing, once either has
    had its links for the day (tracker/accounts/throttle.py)."""
    return throttle.allowed_all({"confirm-account": str(user.pk), "confirm-address": user.email})


def send_confirmation(user) -> bool:
    """Ask the person to confirm their address: until they do, no message but this one goes to it. False, and
    nothing sent, when the account or the address has had its links for the day."""
    if not confirmation_allowed(user):
        log.info("confirmation link not sent for user %s: daily limit", user.pk)
        return False
    context = {
        "name": user.profile.display_name or user.get_username(),
        "link": site_link(reverse("confirm_email", args=[confirmation_token(user)])),
        "days": settings.EMAIL_CONFIRMATION_DAYS,
    }
    render_and_send(user.email, "registration/email/confirm", context, user.profile)
    return True


def profile_to_confirm(token: str) -> Profile | None:
    """The profile whose address the token names, changing nothing; None for a bad, old or stale token (the address
    changed since)."""
    try:
        found = signing.loads(token, salt=CONFIRM_SALT, max_age=settings.EMAIL_CONFIRMATION_DAYS * 24 * 3600)
    except signing.BadSignature:
        return None
    profile = Profile.objects.select_related("user").filter(user_id=found.get("user")).first()
    if profile is None or not profile.user.email or profile.user.email != found.get("email"):
        return None
    return profile


def confirm(profile: Profile) -> None:
    if profile.email_confirmed_at is None:
        profile.email_confirmed_at = timezone.now()
        profile.save(update_fields=["email_confirmed_at"])
