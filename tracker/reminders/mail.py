"""The reminder as an email: one short message (the morning one with its two answers as links, the evening one
with a link to Today), and RFC 8058 one-click unsubscribe
(`List-Unsubscribe` with an https address, `List-Unsubscribe-Post: List-Unsubscribe=One-Click`). Sent by the
accounts' background mail task. Written in the person's own language (Profile.language), whoever's request or
which worker writes it."""

from datetime import date

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext

from tracker.accounts.mail import send_message
from tracker.app import l10n
from tracker.models import ReminderKind
from tracker.reminders.answers import cramp_form_path
from tracker.reminders.tokens import email_off_token, no_cramps_token


def email_off_url(user_id: int) -> str:
    return settings.SITE_URL + reverse("reminders_email_off", args=[email_off_token(user_id)])


def send_reminder_email(user, kind: str, for_date: date, words: dict, *, sample: bool = False) -> None:
    """One reminder, or a sample of one (`sample`: it answers for no night), queued for the mail task. The greeting
    uses the name the person gave, else their username."""
    with l10n.in_language(l10n.person_language(user.profile)):
        off = email_off_url(user.pk)
        context = {
            "name": str(user.profile),
            "sample": sample,
            "words": words,
            "link": settings.SITE_URL + words["path"],
            "settings_link": settings.SITE_URL + reverse("reminders"),
            "off": off,
            "for_date": for_date,
        }
        if kind == ReminderKind.MORNING:
            # The two answers, each its own link: "No cramps" signed for this person and night (its page has the
            # one button that records it, so a mail scanner opening links changes nothing), and the cramp form for
            # that night.
            context["cramps_link"] = settings.SITE_URL + cramp_form_path(for_date)
            if not sample:
                token = no_cramps_token(user.pk, for_date)
                context["no_cramps_link"] = settings.SITE_URL + reverse("reminders_answer", args=[token])
        title = str(words["title"])
        send_message.enqueue(
            user.email,
            gettext("A sample reminder: %(title)s") % {"title": title} if sample else title,
            render_to_string("tracker/reminders/email/reminder.txt", context),
            render_to_string("tracker/reminders/email/reminder.html", context),
            {"List-Unsubscribe": f"<{off}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
        )
