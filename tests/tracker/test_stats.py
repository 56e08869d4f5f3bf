"""Trend series against hand-computed expectations: the night rule, daylight-saving weeks, the association guard."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from knowledge.models import Food
from tests.conftest import cramp, drink, local
from tracker.entries import counts
from tracker.models import Exercise, Meal
from tracker.trends import stats

LA = ZoneInfo("America/Los_Angeles")
LONDON = ZoneInfo("Europe/London")


def test_offset_changes_finds_each_daylight_saving_change_to_the_second():
    start, end = datetime(2026, 1, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC)
    assert counts.offset_changes("Europe/London", start, end) == (
        (start, 0),
        (datetime(2026, 3, 29, 1, 0, tzinfo=UTC), 3600),
        (datetime(2026, 10, 25, 1, 0, tzinfo=UTC), 0),
    )
    assert counts.offset_changes("Asia/Kolkata", start, end) == ((start, 19800),)


# Daylight saving starts in Los Angeles at 02:00 on Sunday 8 March 2026: that week's Sunday has 23 hours.
DST_WEEK = counts.Span(date(2026, 3, 2), date(2026, 3, 15), LA)


@pytest.fixture
def dst_week_cramps(bob):
    for at, intensity, seconds in [
        (local("America/Los_Angeles", 2026, 3, 2, 0, 30), 9, 60),  # Monday 00:30: the night of Sunday 1 March
        (local("America/Los_Angeles", 2026, 3, 7, 23, 30), 4, 120),  # Saturday night
        (local("America/Los_Angeles", 2026, 3, 8, 1, 30), 6, 180),  # 01:30 PST, same night
        (local("America/Los_Angeles", 2026, 3, 8, 3, 30), 8, 300),  # 03:30 PDT, same night
        (local("America/Los_Angeles", 2026, 3, 9, 0, 30), 2, 60),  # Monday 00:30 PDT: Sunday's night, week 1
        (local("America/Los_Angeles", 2026, 3, 9, 12, 30), 5, 30),  # Monday 12:30: Monday's night, week 2
    ]:
        cramp(bob, at, intensity=intensity, duration_seconds=seconds)
    return bob


def test_cramps_are_counted_by_night_across_the_spring_change(dst_week_cramps):
    nights = counts.cramps_by_night(dst_week_cramps, DST_WEEK)
    assert nights == {
        date(2026, 3, 7): counts.NightCramps(
            count=3, intensity_sum=18, top=8, seconds=600, woke=0, rated=3, timed=3
        ),
        date(2026, 3, 8): counts.NightCramps(
            count=1, intensity_sum=2, top=2, seconds=60, woke=0, rated=1, timed=1
        ),
        date(2026, 3, 9): counts.NightCramps(
            count=1, intensity_sum=5, top=5, seconds=30, woke=0, rated=1, timed=1
        ),
    }


def test_weekly_series_files_a_monday_small_hours_cramp_under_the_week_before(dst_week_cramps):
    unit, weeks = stats.buckets(DST_WEEK)
    series = stats.cramp_series(counts.cramps_by_night(dst_week_cramps, DST_WEEK), weeks)
    assert unit == "week"
    assert [(b.bucket.first, b.count, b.mean, b.top, b.minutes) for b in series] == [
        (date(2026, 3, 2), 4, 5.0, 8, 11.0),
        (date(2026, 3, 9), 1, 5.0, 5, 0.5),
    ]


def test_cramps_by_hour_use_the_local_clock_either_side_of_the_change(dst_week_cramps):
    hours = stats.cramps_by_hour(dst_week_cramps, DST_WEEK)
    assert {hour: count for hour, count in enumerate(hours) if count} == {0: 1, 1: 1, 3: 1, 12: 1, 23: 1}
    assert stats.night_share(hours) == 80


def test_fluid_is_summed_by_local_day_even_when_utc_has_moved_on(bob):
    drink(bob, local("America/Los_Angeles", 2026, 3, 8, 23, 30), ml=500)  # 06:30 UTC on the 9th
    drink(bob, local("America/Los_Angeles", 2026, 3, 8, 0, 10), ml=250)  # before the change, PST
    drink(bob, local("America/Los_Angeles", 2026, 3, 9, 0, 10), ml=300)
    drink(bob, local("America/Los_Angeles", 2026, 3, 16, 0, 10), ml=999)  # after the span
    assert counts.fluid_by_day(bob, DST_WEEK) == {date(2026, 3, 8): 750, date(2026, 3, 9): 300}


def test_autumn_change_in_london_keeps_the_repeated_hour_on_its_day(alice):
    span = counts.Span(date(2026, 10, 19), date(2026, 11, 1), LONDON)
    first_one = datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # 01:30 BST
    second_one = datetime(2026, 10, 25, 1, 30, tzinfo=UTC)  # 01:30 GMT, an hour later
    cramp(alice, first_one)
    cramp(alice, second_one)
    drink(alice, datetime(2026, 10, 24, 23, 30, tzinfo=UTC), ml=400)  # 00:30 BST on the 25th
    assert counts.cramps_by_night(alice, span)[date(2026, 10, 24)].count == 2
    assert stats.cramps_by_hour(alice, span)[1] == 2
    assert counts.fluid_by_day(alice, span) == {date(2026, 10, 25): 400}


def test_a_half_hour_zone_is_grouped_on_its_own_clock(db):
    from tests.conftest import make_person

    person = make_person("adelaide", "Australia/Adelaide")  # +10:30 in summer
    zone = ZoneInfo("Australia/Adelaide")
    drink(person, datetime(2026, 1, 10, 13, 20, tzinfo=UTC), ml=200)  # 23:50 local on the 10th
    drink(person, datetime(2026, 1, 10, 13, 40, tzinfo=UTC), ml=300)  # 00:10 local on the 11th
    span = counts.Span(date(2026, 1, 5), date(2026, 1, 18), zone)
    assert counts.fluid_by_day(person, span) == {date(2026, 1, 10): 200, date(2026, 1, 11): 300}


def test_exercise_and_meals_by_day(alice):
    day = date(2026, 6, 10)
    span = counts.Span(day, day, LONDON)
    at = local("Europe/London", 2026, 6, 10, 10)
    Exercise.objects.create(
        user=alice, at=at, activity="Run", minutes=40, effort="vigorous", heavy_sweating=True
    )
    Exercise.objects.create(user=alice, at=at, activity="Walk", minutes=20, effort="light")
    spinach, salmon = Food.objects.get(slug="spinach"), Food.objects.get(slug="salmon")
    Meal.objects.create(user=alice, at=at, kind="lunch").foods.set([spinach, salmon])
    Meal.objects.create(user=alice, at=at, kind="dinner").foods.set([salmon])
    Meal.objects.create(user=alice, at=at, kind="snack", description="Biscuit")  # no foods: still a meal
    assert counts.exercise_by_day(alice, span) == {day: counts.DayExercise(minutes=60, vigorous=1, sweaty=1)}
    meals = counts.meals_by_day(alice, span)[day]
    assert meals.meals == 3
    assert meals.with_nutrient["Magnesium"] == 2  # both foods have it; counted once per meal
    assert meals.with_nutrient["Potassium"] == 1  # spinach
    assert meals.with_nutrient["Vitamin D"] == 2  # salmon, twice
    assert meals.with_nutrient["B vitamins"] == 2  # spinach (B1, B6) and salmon (B12)
    assert meals.with_nutrient["Vitamin K2"] == 0


def test_buckets_are_monday_weeks_clipped_to_the_span_then_months_beyond_a_year():
    unit, weeks = stats.buckets(counts.Span(date(2026, 11, 4), date(2026, 11, 21), LONDON))
    assert unit == "week"
    assert [(b.first, b.last) for b in weeks] == [
        (date(2026, 11, 4), date(2026, 11, 8)),
        (date(2026, 11, 9), date(2026, 11, 15)),
        (date(2026, 11, 16), date(2026, 11, 21)),
    ]
    unit, months = stats.buckets(counts.Span(date(2024, 2, 15), date(2026, 11, 21), LONDON))
    assert unit == "month"
    assert (months[0].first, months[0].last, months[0].label) == (
        date(2024, 2, 15),
        date(2024, 2, 29),
        "Feb 2024 (part)",  # the range cuts it short: marked
    )
    assert months[0].partial and not months[1].partial and months[-1].partial
    assert [w.partial for w in weeks] == [True, False, True] and weeks[0].label == "4 Nov (part)"
    assert (months[-1].first, months[-1].last) == (date(2026, 11, 1), date(2026, 11, 21))
    assert len(months) == 34


def day(n: int, cramp_night: bool, fluid=None, vigorous=False, magnesium=None) -> stats.Day:
    exercise = counts.DayExercise(minutes=45, vigorous=1, sweaty=0) if vigorous else None
    meals = None if magnesium is None else counts.DayMeals(2, {"Magnesium": magnesium})
    return stats.Day(date(2026, 5, n), fluid, exercise, meals, cramp_night)


def test_association_is_hidden_with_6_nights_on_a_side_and_shown_with_7():
    """5 or 6 nights on a side used to be enough to say "went with more cramp nights": now each side needs 7."""
    six_low = [day(n, n % 3 != 0, fluid=800) for n in range(1, 7)] + [
        day(n, n % 2 == 0, fluid=2500) for n in range(7, 15)
    ]
    below = stats.associations(six_low, fluid_target_ml=2000)[0]
    assert (below.with_factor, below.without) == (stats.Rate(6, 4), stats.Rate(8, 4))
    assert not below.shown
    assert stats.MIN_DAYS_EACH_SIDE == 7

    seven_low = [*six_low, day(15, True, fluid=1000)]
    below = stats.associations(seven_low, fluid_target_ml=2000)[0]
    assert (below.with_factor, below.without) == (stats.Rate(7, 5), stats.Rate(8, 4))
    assert below.shown
    assert (below.with_factor.percent, below.without.percent, below.direction) == (71, 50, "more")


def test_associations_count_only_days_where_the_factor_could_be_known():
    days = [day(n, n <= 3, vigorous=n <= 4, magnesium=0 if n <= 5 else 1) for n in range(1, 11)]
    days.append(day(11, True))  # a cramp night after a day with no meals or drinks logged
    fluid, vigorous, sweating, magnesium = stats.associations(days, fluid_target_ml=2000)
    assert (fluid.with_factor.days, fluid.without.days) == (0, 0)  # no drinks logged at all
    assert (vigorous.with_factor, vigorous.without) == (stats.Rate(4, 3), stats.Rate(7, 1))
    assert (sweating.with_factor, sweating.without) == (stats.Rate(0, 0), stats.Rate(11, 4))
    assert not sweating.shown
    assert (magnesium.with_factor, magnesium.without) == (stats.Rate(5, 3), stats.Rate(5, 0))
    assert magnesium.direction == "more"


def test_fluid_and_exercise_bands():
    days = [
        day(1, True, fluid=900),
        day(2, False, fluid=1000),
        day(3, True, fluid=1999),
        day(4, False, fluid=2600, vigorous=True),
        day(5, False),
    ]
    bands = stats.fluid_bands(days, lambda ml: ml, "ml")
    assert [(b.label, b.short, b.rate) for b in bands] == [
        ("Under 1000 ml", "under 1000", stats.Rate(1, 1)),
        ("1000 to 1500 ml", "1000 to 1500", stats.Rate(1, 0)),
        ("1500 to 2000 ml", "1500 to 2000", stats.Rate(1, 1)),
        ("2000 to 2500 ml", "2000 to 2500", stats.Rate(0, 0)),
        ("2500 ml or more", "2500+", stats.Rate(1, 0)),
    ]
    exercise = stats.exercise_bands(days)
    assert [(b.label, b.rate) for b in exercise] == [
        ("No exercise", stats.Rate(4, 2)),
        ("Under 30 min", stats.Rate(0, 0)),
        ("30 to 59 min", stats.Rate(1, 0)),
        ("60 min or more", stats.Rate(0, 0)),
        ("Heavy-sweat days", stats.Rate(0, 0)),
    ]


def test_diary_days_take_logged_nights_only_up_to_the_last_finished_night():
    """A day with a drink alone (1 May) says nothing of its night: it is not a logged night, so it is left out."""
    span = counts.Span(date(2026, 5, 1), date(2026, 5, 10), LONDON)
    nights = {
        date(2026, 5, 2): counts.NightCramps(1, 5, 5, 60, 0, 1, 1),
        date(2026, 5, 10): counts.NightCramps(1, 5, 5, 60, 0, 1, 1),
    }
    days = stats.diary_days(
        span,
        until=date(2026, 5, 9),
        nights=nights,
        fluid={date(2026, 5, 1): 1500},
        exercise={},
        meals={},
        checkins={date(2026, 5, 3)},
    )
    assert [(d.day.day, d.cramp_night) for d in days] == [(2, True), (3, False)]


def test_diary_start_is_the_first_local_day_of_any_entry(bob):
    assert counts.diary_start(bob, LA) is None
    drink(bob, datetime(2026, 4, 2, 5, 0, tzinfo=UTC))  # 22:00 on 1 April in Los Angeles
    cramp(bob, datetime(2026, 4, 5, 5, 0, tzinfo=UTC))
    assert counts.diary_start(bob, LA) == date(2026, 4, 1)


def test_a_span_of_nights_reaches_to_noon_after_its_last_day():
    span = counts.Span(date(2026, 3, 7), date(2026, 3, 8), LA)
    start, end = span.night_range
    assert start == local("America/Los_Angeles", 2026, 3, 7, 12)
    assert end == local("America/Los_Angeles", 2026, 3, 9, 12)
    assert end.astimezone(UTC) - start.astimezone(UTC) == timedelta(
        hours=47
    )  # one hour lost to daylight saving
