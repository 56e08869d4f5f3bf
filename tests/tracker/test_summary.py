"""The clinician summary: figures against a hand-computed diary, the page and the PDF."""

import io
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from knowledge.models import Food
from tests.conftest import cramp, drink
from tracker.entries.nights import night_of
from tracker.models import CrampEpisode, Exercise, Meal, Medication, Profile
from tracker.summary.pdf import summary_pdf
from tracker.summary.report import build_summary, figure_rows

pytestmark = pytest.mark.django_db

FIRST, LAST = date(2025, 11, 1), date(2025, 11, 28)
AFTER = datetime(2025, 11, 29, 12, tzinfo=UTC)


def at(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.fixture
def diary(alice):
    """A November written out by hand (UTC). Expected figures are worked out in the tests' comments."""
    cramp(
        alice, at(2025, 9, 1, 3), intensity=9, duration_seconds=300
    )  # night of 31 Aug: the baseline's only cramp
    cramp(alice, at(2025, 11, 1, 11), intensity=2)  # 11:00 on 1 Nov belongs to the night of 31 Oct: outside
    first = cramp(alice, at(2025, 11, 2, 2), intensity=4, duration_seconds=120, woke_from_sleep=True)
    cramp(
        alice,
        at(2025, 11, 2, 23, 30),
        intensity=8,
        duration_seconds=600,
        woke_from_sleep=True,
        side="right",
        warning_signs=["numbness"],
    )
    noted = cramp(
        alice, at(2025, 11, 10, 15), intensity=6, duration_seconds=60, muscle="foot", notes="After gardening"
    )
    drink(alice, at(2025, 11, 3, 9), 1500)
    drink(alice, at(2025, 11, 3, 15), 600)
    drink(alice, at(2025, 11, 4, 9), 1000)
    Exercise.objects.create(user=alice, at=at(2025, 11, 5, 10), activity="Run", minutes=60, effort="vigorous")
    Exercise.objects.create(user=alice, at=at(2025, 11, 6, 10), activity="Walk", minutes=30)
    Meal.objects.create(user=alice, at=at(2025, 11, 7, 12), kind="lunch").foods.set(
        Food.objects.filter(slug="almonds")
    )
    Meal.objects.create(user=alice, at=at(2025, 11, 7, 18), kind="dinner", description="Toast")
    Medication.objects.create(user=alice, name="Furosemide", dose="40 mg", started=date(2025, 10, 1))
    Medication.objects.create(user=alice, name="Vitamin D", kind="supplement", stopped=date(2025, 10, 15))
    Medication.objects.create(user=alice, name="Magnesium", kind="supplement")
    return {"first": first, "noted": noted}


def test_the_figures_match_the_diary_worked_by_hand(alice, diary):
    summary = build_summary(alice, FIRST, LAST, note_ids=[diary["noted"].pk], now=AFTER)
    now = summary.now
    assert now.count == 3  # the 11:00 cramp on 1 Nov is the night of 31 Oct
    # Logged nights: the cramp nights 1, 2 and 10 Nov. Drinks (3, 4), exercise (5, 6) and meals (7) alone say
    # nothing of the night, so those days are not logged nights (tracker/entries/logged_nights.py).
    assert now.kept == 3
    assert now.per_week == 7.0  # 3 cramps * 7 / 3 logged nights
    assert (now.cramp_nights, now.cramp_night_percent) == (3, 100)
    assert now.mean_intensity == 6.0  # (4 + 8 + 6) / 3
    assert now.top_intensity == 8
    assert now.mean_minutes == 4.3  # (2 + 10 + 1) / 3
    assert now.longest_minutes == 10.0
    assert now.night_share == 67  # 02:00 and 23:30 are at night, 15:00 is not
    assert now.nights_woken == 2
    assert [w.count for w in summary.weeks] == [2, 1, 0, 0]  # 1-7, 8-14, 15-21, 22-28 Nov
    assert [w.label for w in summary.weeks] == ["1 Nov", "8 Nov", "15 Nov", "22 Nov"]
    assert summary.muscles == [("Calf, left", 1), ("Calf, right", 1), ("Foot, left", 1)]
    [sign] = summary.warning_signs
    assert (sign.sign, sign.count, sign.first, sign.last) == (
        "Numbness or tingling",
        1,
        date(2025, 11, 2),
        date(2025, 11, 2),
    )
    # Only the period's entries count: the cramp of 31 Oct and the weeks before 1 Nov are outside, so no "worsening"
    assert [p.rule.id for p in summary.prompts] == ["nerve_signs", "medicine_link"]
    assert summary.prompts[0].finding.startswith(
        "Patient reported numbness, tingling or weakness with cramps once"
    )
    assert [(m.name, bool(m.linked)) for m in summary.medicines] == [
        ("Furosemide", True),
        ("Magnesium", False),
    ]
    assert summary.fluid_days == 2
    assert summary.fluid_average == "1550 ml"  # (2100 + 1000) / 2
    assert summary.fluid_days_at_target == 1
    assert summary.exercise_per_week == 22  # 90 minutes * 7 / the period's 28 days = 22.5, rounded to even
    assert (summary.exercise_days, summary.vigorous_days) == (2, 1)
    assert summary.meals == 2
    assert dict(summary.nutrient_shares)["Magnesium"] == 50  # almonds at lunch; toast names no food
    assert [n.notes for n in summary.notes] == ["After gardening"]
    # "At the start", as on Trends: the diary's first 4 weeks (it has over 8), from the night of 31 Aug
    baseline = summary.baseline
    assert (baseline.first, baseline.last, baseline.count, baseline.top_intensity) == (
        date(2025, 8, 31),
        date(2025, 9, 27),
        1,
        9,
    )
    assert baseline.per_week == 7.0  # 1 cramp over the 1 day kept


def test_notes_are_left_out_unless_chosen_and_never_another_persons(alice, bob, diary):
    strangers = cramp(bob, at(2025, 11, 3, 3), notes="Bob's secret")
    summary = build_summary(alice, FIRST, LAST, note_ids=[strangers.pk], offer_notes=True, now=AFTER)
    assert summary.notes == []
    assert [n.notes for n in summary.notes_available] == ["After gardening"]


def test_a_period_inside_the_first_two_weeks_explains_the_missing_baseline(alice, diary):
    summary = build_summary(alice, date(2025, 9, 1), date(2025, 9, 20), now=AFTER)
    assert summary.baseline is None
    assert "the diary's first 4 weeks, 31 Aug to 27 Sep 2025" in summary.baseline_note
    assert build_summary(alice, FIRST, LAST, with_baseline=False, now=AFTER).baseline is None


def test_the_pdf_is_one_valid_page_holding_the_key_figures(alice, diary):
    Profile.objects.filter(user=alice).update(summary_name="Alice Example")
    summary = build_summary(
        alice,
        FIRST,
        LAST,
        note_ids=[diary["noted"].pk],
        name="Alice Example",
        birth_date=date(1950, 5, 17),
        now=AFTER,
    )
    content = summary_pdf(summary)
    assert content.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(content))
    assert len(reader.pages) == 1
    text = " ".join(reader.pages[0].extract_text().split())
    for expected in [
        "Period: 1 Nov 2025 to 28 Nov 2025 (28 nights)",
        "Name: Alice Example",
        "17 May 1950",
        "Cramps per week 7 3 cramps over 3 logged nights At the start: 7",
        "Nights with cramps 100% 3 of 3 logged nights",
        "Counted over 3 of 28 nights logged, 1 Nov to 28 Nov 2025",
        "Mean intensity 6 out of 10; 3 of 3 cramps rated At the start: 9",
        "Highest intensity: 8, at the start 9",
        "At night (22:00-06:00): 67%",
        "Numbness or tingling",
        "Furosemide (medicine), 40 mg; started 1 Oct 2025, still taken; a water tablet (diuretic) on the app's own",
        "1550 ml a day",
        "After gardening",
    ]:
        assert expected in text, expected


def test_the_pdf_survives_text_outside_latin_1(alice):
    cramp(alice, at(2025, 11, 2, 2), notes="Крамп 夜 — “ok” 🦵 naïve ő")
    summary = build_summary(alice, FIRST, LAST, note_ids=[alice_first_cramp(alice)], now=AFTER)
    text = PdfReader(io.BytesIO(summary_pdf(summary))).pages[0].extract_text()
    assert "naïve" in text and '"ok"' in text and " o" in text  # ő has no Latin-1 form: its letter stays


def alice_first_cramp(user) -> int:

    return CrampEpisode.objects.for_user(user).values_list("pk", flat=True).first()


def test_the_page_shows_the_summary_and_keeps_chosen_notes(alice_client, diary):
    url = reverse("summary") + f"?start=2025-11-01&end=2025-11-28&note={diary['noted'].pk}"
    response = alice_client.get(url)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Leg cramp diary summary" in page
    assert "After gardening" in page
    assert 'class="week-chart"' in page
    assert (
        "1 Nov: 2 (2 of 7 logged); 8 Nov: 1 (1 of 7 logged); 15 Nov: 0 (0 of 7 logged); 22 Nov: 0 (0 of 7 logged)."
        in page
    )
    assert f"note={diary['noted'].pk}" in page  # the PDF link keeps the choice
    assert "When to see a clinician" in page


def test_the_owners_pdf_downloads(alice_client, diary):
    response = alice_client.get(reverse("summary_pdf") + "?start=2025-11-01&end=2025-11-28")
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")


@pytest.mark.parametrize(
    "query, message",
    [
        ("start=2025-11-01&end=2099-01-01", "can&#x27;t be after today"),
        ("start=2025-11-10&end=2025-11-01", "must come before the last day"),
        ("start=1999-12-31&end=2025-11-01", "before 2000"),
        ("start=2025-11-01", "Choose both a first and a last day"),
        ("start=nonsense&end=2025-11-01", "Enter a valid date"),
        ("start=2025-11-01&end=2025-11-02&note=abc", "damaged or out of date"),
    ],
)
def test_a_bad_period_says_why_and_shows_the_last_four_weeks(alice_client, query, message):
    response = alice_client.get(reverse("summary") + "?" + query)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert "(28 nights)" in response.content.decode()


def test_name_and_date_of_birth_are_asked_for_the_pdf_and_kept(alice_client, alice, diary):
    response = alice_client.post(
        reverse("summary_pdf"),
        {"start": "2025-11-01", "end": "2025-11-28", "name": " A.  Example ", "birth_date": "1950-05-17"},
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "no-store, private"
    assert response["Content-Disposition"].startswith("attachment;")
    text = " ".join(PdfReader(io.BytesIO(response.content)).pages[0].extract_text().split())
    assert "Name: A. Example Date of birth: 17 May 1950" in text
    alice.profile.refresh_from_db()
    assert (alice.profile.summary_name, alice.profile.summary_birth_date) == ("A. Example", date(1950, 5, 17))
    # Left blank: left off, and forgotten
    response = alice_client.post(reverse("summary_pdf"), {"start": "2025-11-01", "end": "2025-11-28"})
    text = " ".join(PdfReader(io.BytesIO(response.content)).pages[0].extract_text().split())
    assert "Name: not given Date of birth: not given" in text
    # A birth date in the future changes nothing and says why
    response = alice_client.post(
        reverse("summary_pdf"),
        {
            "start": "2025-11-01",
            "end": "2025-11-28",
            "name": "x",
            "birth_date": "2999-01-01",
            "query": "start=2025-11-01",
        },
    )
    assert response.status_code == 302 and response.url == reverse("summary") + "?start=2025-11-01"
    alice.profile.refresh_from_db()
    assert alice.profile.summary_name == ""


def test_the_summary_costs_the_same_queries_with_or_without_a_baseline(alice_client, alice):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert alice_client.get(reverse("summary")).status_code == 200
        return len(captured)

    cramp(alice, timezone.now())
    queries()  # the first read makes the day totals the nights calendar reads
    without = queries()
    cramp(alice, timezone.now() - timedelta(days=200))
    assert "At the start" not in alice_client.get(reverse("summary")).content.decode()
    assert "At the start" in alice_client.get(reverse("summary"), {"baseline": "on"}).content.decode()
    assert queries() == without


def test_the_summary_carries_the_nights_calendar_of_its_period(alice, alice_client, diary):
    summary = build_summary(alice, FIRST, LAST, now=AFTER)
    [month] = summary.months
    nights = {night.day: night for night in month.nights}
    assert month.first == date(2025, 11, 1) and summary.months_left_out == 0
    assert set(nights) == {FIRST + timedelta(days=n) for n in range(28)}  # the 29th and 30th: outside
    cramp_nights = {day for day, night in nights.items() if night.state == "cramps"}
    zone = alice.profile.zone
    expected = {
        night_of(at, zone) for at in CrampEpisode.objects.filter(user=alice).values_list("at", flat=True)
    }
    assert cramp_nights == expected & set(nights) and cramp_nights
    assert all(night.state in {"cramps", "none", "unlogged"} for night in nights.values())
    text = " ".join(PdfReader(io.BytesIO(summary_pdf(summary))).pages[0].extract_text().split())
    assert "Nights November 2025" in text and "0: checked in, no cramps" in text

    page = alice_client.get(reverse("summary"), {"start": FIRST, "end": LAST}).content.decode()
    assert '<table class="nights-grid">' in page and "<caption>November 2025:" in page


def test_a_long_summary_shows_its_last_three_months_and_says_so(alice, diary):
    summary = build_summary(alice, date(2025, 6, 1), LAST, now=AFTER)
    assert [m.first.month for m in summary.months] == [9, 10, 11]
    assert summary.months_left_out == 3
    text = " ".join(PdfReader(io.BytesIO(summary_pdf(summary))).pages[0].extract_text().split())
    assert "The last 3 months; 3 earlier not shown." in text
    assert len(PdfReader(io.BytesIO(summary_pdf(summary))).pages) == 1


def test_a_refused_pdf_goes_back_to_the_period_asked_whatever_its_hidden_query_holds(alice_client):
    tampered = "start=2026-11-01&end=2026-11-28&note=7&note=9&baseline=on&junk=" + "x" * 20_000
    response = alice_client.post(reverse("summary_pdf"), {"birth_date": "0", "query": tampered})
    assert response.status_code == 302
    assert response["Location"] == "/summary/?start=2026-11-01&end=2026-11-28&baseline=on&note=7&note=9"
    page = alice_client.get(response["Location"]).content.decode()
    assert "Enter a valid date." in page and "Leg cramp diary summary" in page  # the reason, on the page


def test_the_summary_reads_the_cramps_once_and_works_out_each_ones_hour_once(alice, diary):
    """The 20-year summary spent most of its time on the cramps: one query over them, whose local hour (for the
    share at night) was worked out again in every window's filter. Now the cramps are grouped by muscle, side and
    hour, so the hour is worked out once a cramp, with the baseline as without it; the rest comes from the day
    totals."""
    build_summary(alice, FIRST, LAST, now=AFTER)  # the day totals made current
    with CaptureQueriesContext(connection) as captured:
        summary = build_summary(alice, FIRST, LAST, now=AFTER, with_baseline=True)
    assert summary.baseline is not None
    over_cramps = [
        q["sql"] for q in captured if 'FROM "tracker_crampepisode"' in q["sql"] and "LIMIT" not in q["sql"]
    ]
    hour = "strftime('%H'" if connection.vendor == "sqlite" else "EXTRACT(HOUR"
    figures = [sql for sql in over_cramps if hour in sql]
    assert len(figures) == 1 and figures[0].count(hour) == 1
    assert len(captured) <= 16


def test_each_figure_says_what_it_is_over_in_both_columns(alice, diary):
    """The table compared "Cramps 3 / 1" over different numbers of nights, and dropped "of n recorded" in the
    start's column when every cramp there had the value."""
    rows = {
        label: (now, before)
        for label, now, before in figure_rows(build_summary(alice, FIRST, LAST, now=AFTER))
    }
    assert rows["Cramps"] == ("3 over 3 logged nights", "1 over 1 logged night")
    assert rows["Mean duration"] == ("4.3 min (3 of 3 recorded)", "5 min (1 of 1 recorded)")
    assert rows["Nights woken"] == ("2 of 3 logged nights", "0 of 1 logged night")


def test_the_app_prompted_not_advised_and_the_diary_length_rounds_down(alice, diary):
    """'Advised to book an appointment' read as a clinical recommendation; 84 days read '3 months'."""
    summary = build_summary(alice, FIRST, LAST, now=AFTER)
    nerve = next(f for f in summary.findings if f.title.startswith("Numbness"))
    assert nerve.advised == (
        "The app prompted the patient to book an appointment (rule: numbness, tingling or weakness in 4 weeks)"
    )
    assert not any("Advised" in f.advised for f in summary.findings)
    lengths = {days: replace(summary, diary_days=days).diary_length for days in (13, 84, 90, 200, 729, 800)}
    assert lengths == {
        13: "13 days",
        84: "12 weeks",
        90: "12 weeks",
        200: "6 months",
        729: "23 months",
        800: "2 years",
    }
