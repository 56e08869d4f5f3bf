"""Trends at a glance: the headline's windows, rates and wording rule, the nights calendar, the medicine markers and
the nutrient comparison, against figures worked out by hand here."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from knowledge.models import Food
from tests.conftest import cramp, local, make_person
from tests.tracker.test_trends import chart_data
from tracker.entries import calendar, day_totals
from tracker.models import Meal, Medication, NightCheckIn
from tracker.trends import stats

pytestmark = pytest.mark.django_db
DAY = timedelta(days=1)
TRENDS = reverse("trends")


def check_in(user, night: date) -> None:
    at = local("Europe/London", night.year, night.month, night.day, 12) + DAY - timedelta(hours=3)
    NightCheckIn.objects.create(user=user, at=at, night=night)


def night_cramp(user, night: date, **fields) -> None:
    """A cramp at 03:00 after the evening of `night`: that night's."""
    after = night + DAY
    cramp(user, local("Europe/London", after.year, after.month, after.day, 3), **fields)


@pytest.mark.parametrize(
    "now, before, trend",
    [
        (3.0, 4.0, "down"),  # exactly a quarter less is a change
        (3.1, 4.0, "same"),  # less than a quarter
        (5.0, 4.0, "up"),
        (4.9, 4.0, "same"),
        (0.5, 1.0, "down"),  # half a cramp a week is a change...
        (0.6, 1.0, "same"),  # ...less is not, even though it is 40% of the start
        (0.0, 0.0, "same"),
        (0.5, 0.0, "up"),
        (None, 2.0, None),  # nothing logged lately: no verdict
    ],
)
def test_the_about_the_same_rule_at_its_boundaries(now, before, trend):
    assert stats.trend_of(now, before) == trend


def test_the_headline_compares_the_latest_4_weeks_with_the_first_4(alice):
    start, today = date(2026, 8, 1), date(2026, 10, 20)  # last night: 19 Oct; 80 nights kept
    for n in range(28):  # first 4 weeks: 8 cramps on 8 nights, every other night checked in
        night = start + n * DAY
        if n < 8:
            night_cramp(alice, night, intensity=6)
        else:
            check_in(alice, night)
    latest = date(2026, 9, 22)  # the latest 4 weeks: 22 Sep to 19 Oct
    for n in range(28):
        night = latest + n * DAY
        if n in (3, 10):
            night_cramp(alice, night, intensity=None if n == 10 else 4)
        elif n < 14:
            check_in(alice, night)  # the last 14 nights are not logged at all
    night_cramp(alice, date(2026, 9, 10), intensity=10)  # between the windows: in neither
    night_cramp(alice, today, intensity=10)  # tonight's night: not over
    day_totals.make_current(alice)

    card = stats.headline(alice, today, day_totals.first_day(alice))
    assert (card.weeks, card.trend) == (4, "down")
    assert (card.before.first, card.before.last) == (date(2026, 8, 1), date(2026, 8, 28))
    assert (card.now.first, card.now.last) == (date(2026, 9, 22), date(2026, 10, 19))
    assert (card.before.kept, card.before.count, card.before.per_week, card.before.mean) == (28, 8, 2.0, 6.0)
    # 2 cramps over the 14 days logged (not 28): 1.0 a week; the mean is over the one with an intensity.
    assert (card.now.kept, card.now.count, card.now.per_week) == (14, 2, 1.0)
    assert (card.now.rated, card.now.mean, card.now.cramp_night_percent) == (1, 4.0, 14)


def test_a_younger_diary_compares_2_weeks_and_a_new_one_says_how_long_to_wait(alice):
    today = date(2026, 10, 20)
    night_cramp(alice, date(2026, 9, 10))  # 40 nights kept: 2-week windows
    check_in(alice, date(2026, 10, 18))
    day_totals.make_current(alice)
    card = stats.headline(alice, today, day_totals.first_day(alice))
    assert (card.weeks, card.before.first, card.now.first) == (2, date(2026, 9, 10), date(2026, 10, 6))
    assert (card.before.per_week, card.now.per_week, card.trend) == (7.0, 0.0, "down")

    carol = make_person("carol", "Europe/London")
    night_cramp(carol, date(2026, 10, 9))  # 11 nights: no comparison yet
    day_totals.make_current(carol)
    card = stats.headline(carol, today, day_totals.first_day(carol))
    assert (card.trend, card.now.count, card.now.kept, card.days_to_go) == (None, 1, 1, 17)


def test_the_headline_on_the_page_says_the_figures_and_the_rule(alice_client, alice):
    today = timezone.localtime(timezone.now(), alice.profile.zone).date()  # Alice's today, not the server's
    for n in range(70):
        night = today - (70 - n) * DAY
        if n % 3 == 0 and n < 28:
            night_cramp(alice, night, intensity=5)
        else:
            check_in(alice, night)
    page = alice_client.get(TRENDS).content.decode()
    card = stats.headline(alice, today, day_totals.first_day(alice))
    assert card.trend == "down"
    assert f"Last 4 weeks: {card.now.per_week:g} cramps a week</strong>" in page
    assert f"down from {card.before.per_week:g} when you started." in page
    assert "less than a quarter of your starting figure, or by less than half a cramp a week" in page
    # The answer comes first: the headline, then what goes with the cramps, then the chart.
    assert (
        page.index("At a glance")
        < page.index("What goes with my cramps")
        < page.index("Cramps in each week of 7 nights")
    )


def test_the_calendar_marks_each_night_across_a_clock_change(alice):
    """Clocks go back in London at 02:00 on 25 Oct 2026. A cramp at 01:30 that morning is 24 Oct's night."""
    cramp(alice, local("Europe/London", 2026, 10, 25, 1, 30), intensity=8)
    cramp(alice, local("Europe/London", 2026, 10, 25, 4, 0), intensity=None)
    check_in(alice, date(2026, 10, 25))
    night_cramp(alice, date(2026, 10, 27), intensity=2)
    night_cramp(alice, date(2026, 10, 28), intensity=None)
    day_totals.make_current(alice)
    start = day_totals.first_day(alice)
    month = calendar.month(alice, date(2026, 10, 1), date(2026, 10, 30), start)
    nights = {night.day: night for night in month.nights}
    assert month.weeks[0][:3] == [None, None, None]  # 1 Oct 2026 is a Thursday
    assert len(month.weeks) == 5 and all(len(week) == 7 for week in month.weeks)
    assert (nights[date(2026, 10, 24)].state, nights[date(2026, 10, 24)].count) == ("cramps", 2)
    assert (nights[date(2026, 10, 24)].worst, nights[date(2026, 10, 24)].band) == (8, "severe")
    assert nights[date(2026, 10, 24)].said == "2 cramps, worst 8 out of 10"
    assert nights[date(2026, 10, 25)].state == "none"
    assert nights[date(2026, 10, 26)].state == "unlogged"
    assert (nights[date(2026, 10, 27)].band, nights[date(2026, 10, 28)].band) == ("mild", None)
    assert nights[date(2026, 10, 28)].said == "1 cramp, intensity not recorded"
    assert nights[date(2026, 10, 23)].state == "before"  # the diary starts on the 24th
    assert nights[date(2026, 10, 30)].state == "future"  # tonight is not over
    assert (month.cramp_nights, month.free_nights, month.unlogged_nights) == (
        3,
        1,
        2,
    )  # the 26th and the 29th
    assert month.earlier is None and month.later is None  # nothing before the diary, nothing after today


@pytest.mark.parametrize(
    "asked, shown",
    [("2026-09", date(2026, 9, 1)), ("1999-01", date(2026, 8, 1)), ("2031-01", date(2026, 11, 1))]
    + [(bad, date(2026, 11, 1)) for bad in ("", "2026-13", "x", "2026-1-1", "99999999999-01")],
)
def test_a_month_asked_for_is_kept_within_the_diary(asked, shown):
    assert calendar.month_of(asked, date(2026, 11, 21), date(2026, 8, 15)) == shown


def test_the_calendar_changes_month_by_htmx_and_without_javascript(alice_client, alice, clock):
    clock.at(
        "2026-12-16T21:30"
    )  # mid-month: this month has nights that are over, so the month before has "Later"
    today = timezone.localtime(timezone.now(), alice.profile.zone).date()
    night_cramp(alice, today - 70 * DAY, intensity=3)
    earlier = (today.replace(day=1) - DAY).replace(day=1)
    response = alice_client.get(
        TRENDS, {"month": f"{earlier:%Y-%m}"}, headers={"HX-Request": "true", "HX-Target": "nights"}
    )
    page = response.content.decode()
    assert page.lstrip().startswith('<section id="nights"')
    assert f"{earlier:%B %Y}" in page and "Later ›</a>" in page
    full = alice_client.get(TRENDS, {"range": "4w", "month": f"{earlier:%Y-%m}"}).content.decode()
    assert f'<span class="month-name" aria-live="polite">{earlier:%B %Y}</span>' in full
    assert f"?range=4w&amp;month={today:%Y-%m}#nights" in full  # "Later" keeps the range without JavaScript


def test_medicines_started_or_stopped_are_marked_on_the_cramps_chart(alice_client, alice, clock):
    clock.at(
        "2026-12-04T21:30"
    )  # after noon: last night is over (before noon the range ends a night earlier)
    today = timezone.localtime(timezone.now(), alice.profile.zone).date()  # Alice's today, not the server's
    for n in range(1, 40, 3):
        night_cramp(alice, today - n * DAY)
    Medication.objects.create(
        user=alice, name="Magnesium-rich snack", kind="supplement", started=today - 20 * DAY
    )
    Medication.objects.create(
        user=alice, name="Quinine", started=today - 400 * DAY, stopped=today - 10 * DAY
    )  # started long before the range: only the stop is marked
    Medication.objects.create(
        user=alice, name="Old pills", started=date(2020, 1, 1), stopped=date(2020, 2, 1)
    )
    response = alice_client.get(TRENDS)
    markers = chart_data(response)["cramps"]["markers"]
    lines = [line for marker in markers for line in marker["lines"]]
    assert lines == ["Started Magnesium-rich snack", "Stopped Quinine"]
    labels = chart_data(response)["cramps"]["labels"]
    last_week = today - 7 * DAY  # whole weeks of nights ending last night
    for marker, day in zip(markers, [today - 20 * DAY, today - 10 * DAY], strict=True):
        week_start = last_week - ((last_week - day).days + 6) // 7 * 7 * DAY
        assert labels[marker["at"]] == f"{week_start.day} {week_start:%b}"
    page = response.content.decode()
    assert f"<li>{today - 20 * DAY:%-d %b %Y}: Started Magnesium-rich snack</li>" in page
    assert f"{last_week.day} {last_week:%b}" == labels[-1]  # the range ends with the week to last night


def test_nutrients_compare_this_range_with_the_one_before(alice_client, alice, foods, clock):
    clock.at(
        "2026-12-04T21:30"
    )  # after noon: last night is over (before noon the range ends a night earlier)
    spinach = Food.objects.get(slug="spinach")
    now = timezone.now()
    for n in range(20):  # 20 meals in the range: 10 with spinach
        meal = Meal.objects.create(user=alice, at=now - (n + 1) * DAY, kind="lunch")
        if n < 10:
            meal.foods.add(spinach)
    for n in range(20):  # the 12 weeks before: 20 of 20
        Meal.objects.create(user=alice, at=now - (90 + n) * DAY, kind="lunch").foods.add(spinach)
    data = chart_data(alice_client.get(TRENDS))["nutrients"]
    magnesium = data["labels"].index("Magnesium")
    assert (data["now"][magnesium], data["before"][magnesium]) == (50, 100)


def test_a_new_diary_says_its_cramps_as_a_count_until_a_week_of_nights_is_logged(alice_client, alice, clock):
    clock.at("2026-12-05T19:00")
    night_cramp(alice, date(2026, 12, 4))  # one cramp on the one logged night
    page = alice_client.get(TRENDS).content.decode()
    assert "So far: 1 cramp</strong>" in page
    assert "7 cramps a week" not in page and "A weekly figure comes once 7 nights are logged." in page
    for days in range(1, 7):
        check_in(alice, date(2026, 12, 4) - days * DAY)  # a week of logged nights
    page = alice_client.get(TRENDS).content.decode()
    assert "So far: 1 cramp a week</strong>" in page
