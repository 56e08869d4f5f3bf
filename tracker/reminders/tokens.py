"""Signed, single-purpose tokens (each its own salt): one answers "No cramps" for one person and night, from a
notification or from the link in a reminder email; the other turns email reminders off from an email. Neither
logs anyone in or does anything else."""

from datetime import date

from django.core import signing

NO_CRAMPS_SALT = "tracker.reminders.no-cramps"
EMAIL_OFF_SALT = "tracker.reminders.email-off"
NO_CRAMPS_DAYS = 3  # a notification answered days later still counts; older ones are refused


def no_cramps_token(user_id: int, night: date) -> str:
    return signing.dumps({"u": user_id, "n": night.isoformat()}, salt=NO_CRAMPS_SALT)


def read_no_cramps(token: str) -> tuple[int, date] | None:
    try:
        found = signing.loads(token, salt=NO_CRAMPS_SALT, max_age=NO_CRAMPS_DAYS * 24 * 3600)
        return int(found["u"]), date.fromisoformat(found["n"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


def email_off_token(user_id: int) -> str:
    """No expiry: an unsubscribe link in an old message must still work (RFC 8058)."""
    return signing.dumps({"u": user_id}, salt=EMAIL_OFF_SALT)


def read_email_off(token: str) -> int | None:
    try:
        return int(signing.loads(token, salt=EMAIL_OFF_SALT)["u"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
