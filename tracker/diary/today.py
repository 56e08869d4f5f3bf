"""What Today shows: today's entries, last night, the fluid so far, the forms, and the advice, read together.

One `RecentDiary` read (tracker/advice/facts.py) feeds the timeline, the night's check-in, the tips and the
prompts, so Today costs the same few queries whatever the size of the diary.
"""

import uuid
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from typing import cast

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext, pgettext

from knowledge import consult
from knowledge.tips import tips_for
from tracker.advice.facts import RecentDiary
from tracker.app import l10n
from tracker.app.http import AuthedHtmxRequest
from tracker.diary import words
from tracker.diary.forms import INTENSITY_CHOICES, MINUTE_CHIPS, CrampForm, NightCheckInForm, QuickDrinkForm
from tracker.diary.kinds import KINDS
from tracker.diary.timeline import Item
from tracker.entries.local_time import moment_meant
from tracker.entries.nights import day_bounds, last_night, night_bounds
from tracker.entries.page_cache import Placeholders
from tracker.experiments.today import today_card
from tracker.models import CrampEpisode, Drink, Muscle, Profile, Relief, Side, TimedEntry

TODAY_TIPS = 2


def detail_url_template() -> str:
    """The one-tap detail URL with a placeholder the phone replaces with the UUID of a cramp kept offline."""
    return reverse("cramp_detail", args=[uuid.UUID(int=0)]).replace(str(uuid.UUID(int=0)), "CRAMP-UUID")


# A reminder email may be read days later; a link older than this opens the plain form.
NIGHTS_A_LINK_REACHES = 31


def three_am_last_night(now: datetime, zone) -> datetime | None:
    """About 3 a.m. in the night Today calls "last night" (tracker/entries/nights.py's last_night): 03:00 local on
    the morning after it, the usual answer to 'when did it wake you?'. None from midnight until then, when that
    moment has not come: the form then offers "Now" alone rather than a time in the night before."""
    local = now.astimezone(zone)
    at = datetime.combine(last_night(now, zone) + timedelta(days=1), time(3, 0), tzinfo=zone)
    return at if at <= local else None


def three_am_value(now: datetime, zone) -> str:
    """The "3 a.m. last night" chip's value for a form, or '' when the chip is not offered (before 03:00)."""
    at = three_am_last_night(now, zone)
    return at.strftime("%Y-%m-%dT%H:%M") if at else ""


def three_am_after(asked: str, now: datetime, zone) -> datetime | None:
    """Where the cramp form starts when it is opened for a night (`?night=YYYY-MM-DD`, a morning reminder's "I had
    cramps"): about 3 a.m. after that night, or now if that has not come yet. None for anything but a night that has
    begun, so a bad, future or far-off date gives the plain form."""
    try:
        night = date.fromisoformat(asked)
    except ValueError:
        return None
    if not last_night(now, zone) - timedelta(days=NIGHTS_A_LINK_REACHES) <= night <= last_night(now, zone):
        return None
    at = moment_meant(datetime.combine(night + timedelta(days=1), time(3, 0)), zone, now)
    return None if at is None else min(at, now)


def fluid_target_chosen(profile: Profile) -> bool:
    """Whether the person chose their fluid target. The profile keeps no flag, so a target other than the one every
    new profile starts with is one they chose; the starting one is shown as a suggestion they can change."""
    return profile.fluid_target_ml != Profile._meta.get_field("fluid_target_ml").get_default()


def when_in_words(at: datetime, now: datetime, zone) -> str:
    """A chosen time as a person says it: 'Last night, about 3 a.m.', 'Today at 08:15', 'Yesterday at 22:40', or
    'Thu 3 Dec 2025 at 03:00' (static/js/app.js says the same as the time is chosen)."""
    local = at.astimezone(zone)
    today = now.astimezone(zone).date()
    if local == three_am_last_night(now, zone):
        # Translators: keep "3" and "a.m." (or your words for them) together with a no-break space.
        # (The no-break space is written as itself: gettext's extraction does not read Python's escapes.)
        return gettext("Last night, about 3 a.m.")
    clock = l10n.clock(local)
    if local.date() == today:
        return gettext("Today at %(time)s") % {"time": clock}
    if local.date() == today - timedelta(days=1):
        return gettext("Yesterday at %(time)s") % {"time": clock}
    if local.year == today.year:
        day = l10n.weekday_day_month(local)
    else:
        # Translators: a Django date format: short weekday, day, short month, year. Reorder or add punctuation only.
        day = formats.date_format(local, pgettext("date format", "D j M Y"))
    # Translators: a day and a time: "Thu 3 Dec at 03:00".
    return gettext("%(day)s at %(time)s") % {"day": day, "time": clock}


def chosen_time_in_words(form, now: datetime, zone) -> str:
    """The cramp form's time in words when it holds one (an entry being edited, a form sent back or opened with a
    time), else ''."""
    value = form["at"].value()
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return ""
    if not isinstance(value, datetime):
        return ""
    if timezone.is_naive(value):
        value = value.replace(tzinfo=zone)
    return when_in_words(value, now, zone)


def todays_items(recent: RecentDiary, start: datetime, end: datetime) -> list[Item]:
    """Every timed entry in [start, end), newest first, from what `recent` already read."""
    by_kind: dict[str, Sequence[TimedEntry]] = {
        "cramp": recent.cramps,
        "drink": recent.drinks,
        "exercise": recent.exercises,
        "meal": recent.meals,
        "checkin": recent.checkins,
    }
    items = [
        Item(KINDS[slug], entry)
        for slug, entries in by_kind.items()
        for entry in entries
        if start <= entry.at < end
    ]
    return sorted(items, key=lambda item: (item.at, item.entry.pk), reverse=True)


def detail_choices() -> dict:
    """What the one-tap rows offer, for a saved cramp and for the offline copy of the card."""
    return {
        "intensities": INTENSITY_CHOICES,
        "scale_key": words.scale_key(),
        "scale_words": words.scale_words(),
        "sides": Side.choices,
        "minutes": MINUTE_CHIPS,
        "reliefs": Relief.choices,
        "muscles": Muscle.choices,
    }


def saved_cramp(cramp: CrampEpisode, recent: RecentDiary, replaced=None) -> dict:
    """The answer to saving a cramp: what was saved, the urgent prompts it raised, and the one-tap rows."""
    urgent = [
        prompt
        for prompt in recent.prompts()
        if prompt.level == consult.URGENT
        and any(isinstance(e, consult.CrampFact) and e.ref == cramp.pk for e in prompt.evidence)
    ]
    local = timezone.localtime(cramp.at)
    seconds = cramp.duration_seconds
    return {
        **detail_choices(),
        "cramp": cramp,
        "recorded": words.recorded(cramp),
        "urgent": urgent,
        "replaced": replaced,
        "heading": (
            gettext("Cramp saved at %(time)s") % {"time": l10n.clock(local)}
            if local.date() == timezone.localdate()
            else gettext("Cramp saved at %(time)s, %(day)s")
            % {"time": l10n.clock(local), "day": l10n.weekday_day_month(local)}
        ),
        "minutes_chosen": seconds // 60 if seconds is not None and seconds % 60 == 0 else None,
    }


def today_context(
    request: AuthedHtmxRequest,
    placeholders: Placeholders,
    now: datetime,
    cramp_form: CrampForm | None,
    recent: RecentDiary,
) -> dict:
    profile = request.user.profile
    zone = timezone.get_current_timezone()
    today = now.astimezone(zone).date()
    items = todays_items(recent, *day_bounds(today, zone))
    fluid_ml = sum(cast(Drink, item.entry).amount_ml for item in items if item.kind.slug == "drink")
    night = last_night(now, zone)
    night_start, night_end = night_bounds(night, zone)
    night_cramps = sum(1 for c in recent.cramps if night_start <= c.at < night_end)
    checked_in = not night_cramps and any(c.night == night for c in recent.checkins)
    quick_drinks = [
        {"ml": ml, "label": profile.format_volume(ml), "form": QuickDrinkForm(initial={"amount_ml": ml})}
        for ml in profile.quick_drink_sizes_ml
    ]
    checkin_form = NightCheckInForm(user=request.user, initial={"night": night})
    cramp_form = cramp_form if cramp_form is not None else CrampForm()
    start_form = CrampForm()
    placeholders.put_in_uuid_fields(
        cramp_form, start_form, checkin_form, *(drink["form"] for drink in quick_drinks)
    )
    timing = next((c for c in reversed(recent.cramps) if c.ongoing), None)
    return {
        "profile": profile,
        "today": today,
        "items": items,
        "fluid_ml": fluid_ml,
        "fluid_label": profile.format_volume(fluid_ml),
        "fluid_target_label": profile.format_volume(profile.fluid_target_ml),
        "fluid_target_chosen": fluid_target_chosen(profile),
        "fluid_percent": min(100, round(100 * fluid_ml / profile.fluid_target_ml)),
        "quick_drinks": quick_drinks,
        "night": night,
        "night_cramps": night_cramps,
        "checked_in": checked_in,
        "checkin_form": checkin_form,
        "cramp_form": cramp_form,
        "sheet_open": cramp_form.is_bound,
        "three_am": three_am_value(now, zone),
        "at_words": chosen_time_in_words(cramp_form, now, zone),
        "minute_chips": MINUTE_CHIPS,
        "start_form": start_form,
        "timing": timing,
        "details": {
            **detail_choices(),
            "detail_url_template": detail_url_template(),
        },
        "prompts": recent.prompts(),
        "tips": tips_for(recent.tip_facts())[:TODAY_TIPS],
        "experiment_card": today_card(request.user, now),
    }
