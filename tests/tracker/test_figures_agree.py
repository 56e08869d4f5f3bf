"""One diary, one count of logged nights everywhere: the nights calendar, Trends' headline, the summary page, its
PDF, a share link and FHIR all count a night with a cramp or a "no cramps" check-in, and nothing else."""

import html
import io
import json
import re
from datetime import date, datetime, timedelta

import pytest
from django.urls import reverse
from pypdf import PdfReader

from knowledge.models import Food
from tests.conftest import cramp, drink, local
from tracker.data import fhir
from tracker.entries import calendar, day_totals, logged_nights
from tracker.entries.counts import Span
from tracker.models import Meal, Medication, NightCheckIn, Profile
from tracker.trends import stats

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 4)
FIRST, LAST = date(2026, 11, 6), date(2026, 12, 3)  # the last 28 nights, up to last night
COVERS = "over 6 of 28 nights logged, 6 Nov to 3 Dec 2026"
DAY = timedelta(days=1)


def london(*args) -> datetime:
    return local("Europe/London", *args)


@pytest.fixture
def diary(alice, clock):
    """Cramp nights 10 Nov, 15 Nov (its cramp at 01:30 on the 16th) and 1 Dec; "no cramps" check-ins for 8 Nov,
    20 Nov and 3 Dec: 6 logged nights. Drinks alone on 24, 25, 26, 30 Nov and 2 Dec and a meal alone on 12 Nov
    are not logged nights. A cramp this evening is tonight's: not over, counted nowhere yet. The diary began 12
    weeks ago, so the headline compares 4-week windows."""
    clock.at("2026-12-04T21:30")
    cramp(alice, london(2026, 9, 11, 2), intensity=5)  # night of 10 Sep
    cramp(alice, london(2026, 11, 10, 23), intensity=4)
    cramp(alice, london(2026, 11, 16, 1, 30), intensity=6, woke_from_sleep=True)
    cramp(alice, london(2026, 12, 1, 22), intensity=8)
    for night in (date(2026, 11, 8), date(2026, 11, 20), date(2026, 12, 3)):
        NightCheckIn.objects.create(
            user=alice, at=london(night.year, night.month, night.day + 1, 8), night=night
        )
    for day in (24, 25, 26, 30):
        drink(alice, london(2026, 11, day, 10), 1500)
    drink(alice, london(2026, 12, 2, 10), 1500)
    Meal.objects.create(user=alice, at=london(2026, 11, 12, 13), kind="lunch", description="Soup")
    cramp(alice, london(2026, 12, 4, 20), intensity=3)  # tonight
    return alice


def test_the_definition_counts_cramps_and_check_ins_only(diary):
    day_totals.make_current(diary)
    assert logged_nights.count(diary, FIRST, LAST) == 6
    assert logged_nights.latest(28, TODAY) == logged_nights.Nights(FIRST, LAST)
    assert logged_nights.window(FIRST, TODAY, TODAY).last == LAST  # tonight is not over
    assert logged_nights.over(6, FIRST, LAST) == COVERS


def test_the_calendar_and_trends_headline_agree(diary, client):
    day_totals.make_current(diary)
    start = day_totals.first_day(diary)
    shown = [
        night
        for first in (date(2026, 11, 1), date(2026, 12, 1))
        for night in calendar.month(diary, first, TODAY, start).nights
        if FIRST <= night.day <= LAST
    ]
    assert sum(night.state in ("cramps", "none") for night in shown) == 6
    assert [n.day.day for n in shown if n.state == "unlogged" and n.day.month == 12] == [2]

    now = stats.headline(diary, TODAY, start).now
    assert now is not None
    assert (now.first, now.last, now.kept, now.count, now.cramp_nights) == (FIRST, LAST, 6, 3, 3)
    client.force_login(diary)
    page = client.get(reverse("trends")).content.decode()
    assert COVERS in page


def test_the_summary_its_pdf_a_share_link_and_fhir_agree(diary, client):
    client.force_login(diary)
    query = {"start": FIRST.isoformat(), "end": LAST.isoformat()}
    page = client.get(reverse("summary"), query).content.decode()
    assert COVERS in page
    assert "3 of 6 logged nights" in page
    assert re.search(r"<strong class=\"key-now\">50%</strong>", page)  # 3 cramp nights of 6

    default = client.get(reverse("summary")).content.decode()  # the default period is the same 28 nights
    assert COVERS in default

    pdf = client.get(reverse("summary_pdf"), query).content
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages)
    assert COVERS in text and "3 of 6 logged nights" in text

    made = client.post(reverse("share_links"), {**query, "expires_in": "14"})
    assert made.status_code == 302
    listed = client.get(reverse("share_links")).content.decode()
    url = (
        re.search(r'id="share-url" type="url" value="([^"]+)"', listed)
        .group(1)
        .replace("http://testserver", "")
    )
    client.logout()
    shared = client.get(url).content.decode()
    assert COVERS in shared and "3 of 6 logged nights" in shared
    shared_pdf = client.get(url + "pdf/").content
    shared_text = " ".join(
        " ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(shared_pdf)).pages
    )
    assert COVERS in shared_text

    client.force_login(diary)
    response = client.get(reverse("export_fhir"), query)
    bundle = json.loads(b"".join(response.streaming_content))
    counted = [
        e["resource"]
        for e in bundle["entry"]
        if e["resource"]["resourceType"] == "Observation" and "valueQuantity" in e["resource"]
    ]
    assert len(counted) == 1
    assert counted[0]["valueQuantity"]["value"] == 6
    assert counted[0]["component"][0]["valueQuantity"]["value"] == 3
    assert counted[0]["effectivePeriod"]["start"].startswith("2026-11-06T12:00")
    assert counted[0]["effectivePeriod"]["end"].startswith("2026-12-04T12:00")
    cramps = [e for e in bundle["entry"] if e["resource"].get("valueCodeableConcept")]
    assert len(cramps) == 3  # tonight's cramp is after the period's last night


def test_a_drink_only_day_is_left_out_of_what_goes_with_cramps(diary):
    """The associations and the fluid bands count nights after days: only logged nights, so the five drink-only
    days (their nights not logged) are not read as nights without cramps."""
    day_totals.make_current(diary)
    span = Span(FIRST, LAST, diary.profile.zone)
    days = stats.day_groups(diary, span, LAST, diary.profile.fluid_target_ml)
    assert sum(day.weight for day in days) == 6
    assert sum(day.weight for day in days if day.fluid_ml is not None) == 0


# ---------------------------------------------------------------------------------------------------------------
# Windows that agree


def chart_data(response) -> dict:
    found = re.search(r'data-charts="([^"]*)"', response.content.decode())
    return json.loads(html.unescape(found.group(1)))


def test_the_4_week_chip_covers_the_headlines_latest_4_weeks(diary, client):
    """The headline's 4 weeks ran 6 Nov to 3 Dec while the chip ran 9 Nov to 4 Dec (Monday weeks to today)."""
    client.force_login(diary)
    data = client.get(reverse("trends_data"), {"range": "4w"}).json()
    assert (data["first"], data["last"]) == (FIRST.isoformat(), LAST.isoformat())
    assert sum(data["cramps"]["count"]) == 3  # the headline's 3 cramps; tonight's is not counted
    assert len(data["cramps"]["labels"]) == 4 and not any("(part)" in x for x in data["cramps"]["labels"])
    page = client.get(reverse("trends"), {"range": "4w"}).content.decode()
    assert "3 cramps in this range, " + COVERS in page


def test_a_week_cut_short_is_marked_on_trends_and_the_summary(diary, client):
    client.force_login(diary)
    query = {"range": "custom", "start": "2026-11-04", "end": "2026-11-24"}
    response = client.get(reverse("trends"), query)
    labels = chart_data(response)["cramps"]["labels"]
    assert labels == ["4 Nov", "11 Nov", "18 Nov"]  # 21 nights: 3 whole weeks ending 24 Nov...
    query["start"] = "2026-11-06"  # ...19 nights: the first week is cut to 5
    response = client.get(reverse("trends"), query)
    assert chart_data(response)["cramps"]["labels"][0] == "6 Nov (part)"
    assert "“(part)”: a week the range cuts short" in response.content.decode()

    page = client.get(reverse("summary"), {"start": "2026-11-01", "end": "2026-12-03"}).content.decode()
    assert "1 Nov (part): " in page  # 33 nights: 4 whole weeks ending 3 Dec and 5 nights before them
    pdf = client.get(reverse("summary_pdf"), {"start": "2026-11-01", "end": "2026-12-03"}).content
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "(part)" in text


def test_what_goes_with_cramps_needs_7_nights_on_each_side_and_says_so(alice, client, clock):
    """5 nights below the fluid target against 20 above used to read "went with more cramp nights"."""
    clock.at("2026-12-04T21:30")
    for n in range(1, 26):
        night = TODAY - n * DAY
        drink(alice, london(night.year, night.month, night.day, 10), 800 if n <= 5 else 2500)
        if n <= 5:
            cramp(alice, london(night.year, night.month, night.day, 23))
        else:
            NightCheckIn.objects.create(
                user=alice, at=london(night.year, night.month, night.day, 23), night=night
            )
    client.force_login(alice)
    page = client.get(reverse("trends"), {"range": "4w"}).content.decode()
    assert "Days below your fluid target</strong> went with" not in page
    assert "too few nights to say yet (5 with, 20 days at or above it" in page
    assert "each side needs at least 7 logged nights" in page


def test_nutrients_are_compared_only_with_20_meals_on_each_side(alice, client, clock, foods):
    """245 meals against "the 9 in the 82 days before" used to be drawn as a comparison."""
    clock.at("2026-12-04T21:30")
    spinach = Food.objects.get(slug="spinach")
    for n in range(1, 25):
        Meal.objects.create(user=alice, at=london(2026, 12, 4, 9) - n * DAY, kind="lunch").foods.add(spinach)
    for n in range(9):
        Meal.objects.create(user=alice, at=london(2026, 10, 20, 9) - n * DAY, kind="lunch")
    client.force_login(alice)
    response = client.get(reverse("trends"), {"range": "4w"})
    assert chart_data(response)["nutrients"]["before"] is None
    page = response.content.decode()
    # the days before the range, from the diary's first (12 Oct) to 5 Nov
    assert "Not compared with the 25 days before: each side needs at least 20 meals logged" in page
    assert "the days before have 9" in page


def test_the_calendar_opens_on_the_latest_month_with_logged_nights(alice, client, clock):
    """A diary last kept in September opened on December's empty month."""
    clock.at("2026-12-20T21:30")
    cramp(alice, london(2026, 9, 10, 23))
    NightCheckIn.objects.create(user=alice, at=london(2026, 9, 12, 8), night=date(2026, 9, 11))
    drink(alice, london(2026, 11, 5, 10))  # a drink alone is not a logged night
    client.force_login(alice)
    page = client.get(reverse("trends")).content.decode()
    assert '<span class="month-name" aria-live="polite">September 2026</span>' in page


def test_a_young_month_shows_the_month_before_too(alice, client, clock):
    clock.at("2026-12-04T21:30")
    cramp(alice, london(2026, 11, 10, 23))
    cramp(alice, london(2026, 12, 2, 23))
    client.force_login(alice)
    page = client.get(reverse("trends")).content.decode()
    assert '<span class="month-name" aria-live="polite">November and December 2026</span>' in page
    assert page.count('<table class="nights-grid">') == 2


# ---------------------------------------------------------------------------------------------------------------
# The clinician's voice


def summary_texts(client, query) -> tuple[str, str]:
    page = client.get(reverse("summary"), query).content.decode()
    pdf = client.get(reverse("summary_pdf"), query).content
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages)
    return html.unescape(page), text


def test_findings_are_in_the_third_person_and_the_sleep_count_goes_by_the_night(alice, client, clock):
    """Woken on the nights of 28 Nov, 1 Dec and (at 01:30 on 4 Dec) 3 Dec: 3 of the 7 nights 27 Nov to 3 Dec.
    The summary said "Cramps are breaking your sleep", and stopped counting at midnight, so it missed the 01:30
    cramp; "Nights woken: 4" stood beside "3 of the 7 nights" (two counts of one fact, windows unsaid)."""
    clock.at("2026-12-04T21:30")
    cramp(alice, london(2026, 11, 10, 23), woke_from_sleep=True)
    for at in (london(2026, 11, 28, 23), london(2026, 12, 2, 3), london(2026, 12, 4, 1, 30)):
        cramp(alice, at, woke_from_sleep=True)
    client.force_login(alice)
    for text in summary_texts(client, {"start": FIRST.isoformat(), "end": LAST.isoformat()}):
        assert "breaking your sleep" not in text and "woke you" not in text
        assert "Sleep disturbed by cramps." in text
        assert "Cramps woke the patient on 3 of 3 logged nights (27 Nov to 3 Dec 2026)." in text
        assert re.search(r"Nights woken(</th><td>|: )4 of 4 logged nights", text)


def test_a_night_not_over_yet_is_in_no_figure(diary, client, clock):
    """At 00:33 on 5 Dec the night of 4 Dec lasts until noon. The summary ran to it: its calendar said "not
    logged", its figures and the sleep finding ("3 of the 7 nights 28 Nov to 4 Dec", 4 of them logged) counted it.
    Now the default period ends with 3 Dec, and a period chosen to 4 Dec shows it "not over yet" and leaves it out."""
    for at in (london(2026, 11, 28, 23), london(2026, 12, 2, 3), london(2026, 12, 4, 1, 30)):
        cramp(diary, at, woke_from_sleep=True)
    NightCheckIn.objects.create(user=diary, at=london(2026, 11, 30, 8), night=date(2026, 11, 29))
    clock.at("2026-12-05T00:33")
    client.force_login(diary)
    sleep = "Cramps woke the patient on 3 of 4 logged nights (27 Nov to 3 Dec 2026)."
    for text in summary_texts(client, {}):
        assert "over 8 of 28 nights logged, 6 Nov to 3 Dec 2026" in text
        assert sleep in text
    page, pdf = summary_texts(client, {"start": "2026-11-07", "end": "2026-12-04"})
    for text in (page, pdf):
        assert "over 8 of 27 nights logged, 7 Nov to 3 Dec 2026" in text
        assert sleep in text
    assert "Night of Friday 4 December: not over yet" in page
    assert "Night of Friday 4 December: not logged" not in page
    trends = html.unescape(client.get(reverse("trends")).content.decode())
    assert "6 Nov to 3 Dec 2026" in trends and "4 Dec 2026" not in trends
    assert "Night of Friday 4 December: not over yet" in trends


def test_medicines_show_their_real_dates_their_dose_as_entered_and_what_the_sources_say(alice, client, clock):
    clock.at("2026-12-04T21:30")
    cramp(alice, london(2026, 11, 10, 23))
    Medication.objects.create(
        user=alice, name="Atorvastatin", dose="20 mg at night", started=date(2019, 3, 3)
    )
    Medication.objects.create(
        user=alice, name="Furosemide", dose="40 mg", started=date(2026, 11, 1), stopped=date(2026, 11, 20)
    )
    Medication.objects.create(user=alice, name="Paracetamol", dose="500 mg", as_needed=True)
    Medication.objects.create(
        user=alice, name="Magnesium", kind="supplement", dose="1 tablet a day (as on the pack)"
    )
    client.force_login(alice)
    for text in summary_texts(client, {"start": FIRST.isoformat(), "end": LAST.isoformat()}):
        assert "from before the period" not in text
        assert (
            "Atorvastatin (medicine), 20 mg at night; started 3 Mar 2019, still taken; a statin on the app's own list"
        ) in text
        assert (
            "Furosemide (medicine), 40 mg; started 1 Nov 2026, stopped 20 Nov 2026; a water tablet (diuretic) on the "
            "app's own list"
        ) in text
        assert "Paracetamol (medicine), 500 mg, as needed; start not recorded, still taken" in text
        # Said once under the list, in plain words, not "not in the sources*" on every line
        assert "The app's reference texts link none of these with cramps" in text
        # "1 tablet a day (as on the pack) (supplement)": the kind comes first, so no two brackets meet
        assert "Magnesium (supplement), 1 tablet a day (as on the pack); start not recorded" in text
        assert "sources*" not in text and ") (" not in text
        assert "documented as linked with cramps</" not in text


# ---------------------------------------------------------------------------------------------------------------
# The PDF


def test_the_pdf_calendar_is_a_month_grid_with_day_numbers_and_the_chart_has_a_titled_axis(diary, client):
    """The PDF's calendar held only 0 / 1 / - without dates; its chart had ticks 0 and 3 and no axis title, and
    weeks starting on Saturday under a key that said Monday."""
    client.force_login(diary)
    query = {"start": "2026-11-01", "end": "2026-11-30"}
    pdf = client.get(reverse("summary_pdf"), query).content
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    text = " ".join(reader.pages[0].extract_text().split())
    november = text[text.index("November 2026") :]
    numbers = [int(word) for word in re.findall(r"\b\d{1,2}\b", november[:1500])]
    assert all(day in numbers for day in range(1, 31))  # every night has its date
    assert "Small number: the date." in text
    # The bars are counts, not the headline's rate: titled as what they are, each with its logged nights
    assert text.count("Cramps per week") == 1 and "Cramps in each week of 7 nights" in text  # 1: the rate
    assert "1 Nov (part): 0 (0 of 2 logged); 3 Nov: 0 (1 of 7 logged); 10 Nov: 2 (2 of 7 logged)" in text
    # 30 nights ending Monday 30 Nov: whole weeks run Tuesday to Monday, and the key says so
    assert "Each bar: the cramps of 7 nights, Tuesday to Monday, the last ending 30 Nov." in text
    assert "A bar marked (part) has fewer nights." in text and "1 Nov (part)" in text


def test_fhir_counts_the_same_logged_nights_before_the_day_totals_are_recounted(diary, client):
    """Right after a bulk write the day totals wait for the next read; FHIR counts from the entries then, alike."""
    client.force_login(diary)
    query = {"start": FIRST.isoformat(), "end": LAST.isoformat()}
    for stale in (False, True):
        if stale:
            Profile.objects.filter(user=diary).update(rollup_key="")
        bundle = json.loads(b"".join(client.get(reverse("export_fhir"), query).streaming_content))
        counted = bundle["entry"][-1]["resource"]
        assert (counted["valueQuantity"]["value"], counted["component"][0]["valueQuantity"]["value"]) == (
            6,
            3,
        )


def test_a_months_grid_starts_at_the_week_holding_the_periods_first_night(diary, client):
    """A period from 7 Nov: the PDF's November grid began with an empty row, the week 26 Oct to 1 Nov."""
    day_totals.make_current(diary)
    months, _ = calendar.months_of_period(
        diary, date(2026, 11, 7), date(2026, 12, 3), TODAY, date(2026, 9, 10)
    )
    november, december = months
    assert [night.day if night else None for night in november.weeks[0]] == [None] * 5 + [
        date(2026, 11, 7),
        date(2026, 11, 8),
    ]
    assert len(november.weeks) == 5 and len(december.weeks) == 1  # 2 Nov to 6 Dec, then 30 Nov to 6 Dec
    client.force_login(diary)
    pdf = client.get(reverse("summary_pdf"), {"start": "2026-11-07", "end": "2026-12-03"}).content
    text = " ".join(PdfReader(io.BytesIO(pdf)).pages[0].extract_text().split())
    assert "07 Nov" not in text and "03 Dec" not in text  # one date format: 7 Nov 2026
    assert "Period: 7 Nov 2026 to 3 Dec 2026 (27 nights)" in text
    assert re.search(r"made 4 Dec 2026 21:3\d London time", text)


def test_at_the_start_is_the_same_weeks_on_trends_and_the_summary(diary, client):
    """Trends compared with the diary's first 4 weeks, the summary's "Include how I started" with its first 2."""
    client.force_login(diary)
    day_totals.make_current(diary)
    start = day_totals.first_day(diary)
    before = stats.headline(diary, TODAY, start).before
    assert before is not None and (before.first, before.last) == (date(2026, 9, 10), date(2026, 10, 7))
    page, pdf = summary_texts(client, {"start": FIRST.isoformat(), "end": LAST.isoformat(), "baseline": "on"})
    said = '"At the start": the diary\'s first 4 weeks, 10 Sep to 7 Oct 2026 (1 of 28 nights logged), as on Trends.'
    assert said in page and said in pdf
    trends = html.unescape(client.get(reverse("trends")).content.decode())
    assert "first 4 weeks (10 Sep 2026 to 7 Oct 2026)" in trends


def test_trends_weekly_bars_are_titled_as_counts_with_their_logged_nights(diary, client):
    """Trends' chart was "Cramps per week", like the headline's rate, over bars of raw counts with no nights."""
    client.force_login(diary)
    page = client.get(reverse("trends"), {"range": "4w"}).content.decode()
    assert "Cramps per week" not in page and "Cramps in each week of 7 nights" in page
    rows = re.findall(r"<tr><td>(\d+ \w+ 2026)</td><td>(\d+)</td><td>(\d+ of \d+)</td></tr>", page)
    assert rows == [
        ("6 Nov 2026", "1", "2 of 7"),
        ("13 Nov 2026", "1", "1 of 7"),
        ("20 Nov 2026", "0", "1 of 7"),
        ("27 Nov 2026", "1", "2 of 7"),
    ]


def test_fhir_leaves_out_the_night_going_on_before_noon(diary, clock):
    """At 08:00 on 5 Dec the night of 4 Dec (its cramp at 20:00) is not over: FHIR ends with the night of 3 Dec,
    as the summary does."""
    clock.at("2026-12-05T08:00")
    day_totals.make_current(diary)
    nights = fhir.nights_observation(diary, None, None, "urn:uuid:x", diary.profile.zone)
    assert nights is not None
    assert nights["valueQuantity"]["value"] == 7  # 4 cramp nights and 3 check-ins up to the night of 3 Dec
    assert nights["component"][0]["valueQuantity"]["value"] == 4
    assert nights["effectivePeriod"]["end"].startswith("2026-12-04T12:00")
