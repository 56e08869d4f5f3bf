"""A date and time as a person types it, or as their phone keeps it: a wall-clock time in their own zone, read as
the moment they mean, even in the hour a clock change skips or repeats.

Django's own DateTimeField refuses both ("it may be ambiguous or it may not exist"), which on the night the clocks
go back is every time between 01:00 and 02:00: a cramp logged then, or kept on a phone offline and sent later,
could not be saved. A repeated time has a clear meaning (below); a skipped one never happened and is refused with
a reason."""

from datetime import UTC, datetime, timedelta, tzinfo

from django import forms
from django.utils import formats, timezone
from django.utils.translation import gettext, pgettext

from tracker.app import l10n

FUTURE_GRACE = timedelta(minutes=5)  # a phone's clock a little ahead of the server's is still "now"


def moment_meant(wall: datetime, zone: tzinfo, now: datetime) -> datetime | None:
    """The aware moment a person means by the naive wall-clock time `wall` in `zone`, at `now`; None for a time
    the clocks skipped (01:30 when they go forward), which no one lived through.

    A time the clocks pass twice (01:30 when they go back) is the later of the two that is not in the future: at
    the second 01:50, "01:40" is ten minutes ago, not an hour and ten; at the first 01:50, only the first 01:40
    has happened. Any other time is simply that time in `zone`."""
    first, second = wall.replace(tzinfo=zone, fold=0), wall.replace(tzinfo=zone, fold=1)
    if first.utcoffset() == second.utcoffset():
        return first
    if first.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != wall:
        return None
    # In UTC: a time in the repeated hour never compares equal to one in another zone (PEP 495).
    earlier, later = sorted(moment.astimezone(UTC) for moment in (first, second))
    return later if later <= now + FUTURE_GRACE else earlier


class LocalMomentField(forms.DateTimeField):
    """A date and time in the current zone (the person's), read by `moment_meant`; checks of range are the form's."""

    def to_python(self, value):
        if isinstance(value, datetime) and value.tzinfo is not None:
            return value
        with timezone.override(UTC):  # read the wall-clock time as typed, refusing nothing yet
            typed = super().to_python(value)
        if typed is None:
            return None
        zone = timezone.get_current_timezone()
        meant = moment_meant(typed.replace(tzinfo=None), zone, timezone.now())
        if meant is None:
            raise forms.ValidationError(
                gettext(
                    "%(time)s on %(day)s did not happen in %(zone)s: the clocks jumped past it. Choose a time before "
                    "or after the change."
                )
                % {
                    "time": l10n.clock(typed),
                    # Translators: a Django date format: day and month in full ("29 March"). Reorder or punctuate
                    # only, e.g. "j. F" in German.
                    "day": formats.date_format(typed, pgettext("date format", "j F")),
                    "zone": zone,
                },
                code="skipped",
            )
        return meant
