"""Trends and experiments in another language: dates, bucket labels and decimals follow the active language, and the
charts' data is built (and kept) in the reader's language. No catalogues exist yet, so the German words asserted are
Django's own (month names) and the decimal comma; the lead adds the app's words once translated."""

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from tracker.app import l10n
from tracker.data.demo import build_diary
from tracker.entries import logged_nights
from tracker.entries.counts import Span
from tracker.experiments import stats as experiment_stats
from tracker.experiments import words
from tracker.trends import stats

pytestmark = pytest.mark.django_db
DATA = reverse("trends_data")


@pytest.fixture
def diary(alice, clock):
    clock.at("2026-12-04T21:30")
    now = timezone.now()
    today = timezone.localtime(now, alice.profile.zone).date()
    build_diary(
        alice, alice.profile.zone, today - timedelta(days=120), today, now, seed=3, cramps_max_per_day=2
    )
    return alice


def reads_in(person, language: str) -> None:
    person.profile.language = language
    person.profile.save(update_fields=["language"])


def test_a_bucket_label_and_a_span_use_the_languages_month_names():
    december = Span(date(2026, 11, 30), date(2026, 12, 9), None)
    with translation.override("de"):
        assert l10n.day_month(date(2026, 12, 4)) == "4. Dez."
        _, weeks = stats.buckets(december)
        assert [week.first for week in weeks] == [date(2026, 11, 30), date(2026, 12, 7)]
        assert weeks[1].label.startswith("7. Dez") and weeks[1].partial
        _, months = stats.buckets(Span(date(2025, 10, 3), date(2026, 12, 9), None))
        assert months[-1].label.startswith("Dez. 2026") and months[-1].partial
        assert "Okt. 2025" in months[0].label
        assert logged_nights.span_words(date(2026, 10, 6), date(2026, 12, 3)).endswith("3. Dez. 2026")
    with translation.override("en"):
        assert stats.buckets(december)[1][1].label == "7 Dec (part)"


def test_the_charts_data_is_in_the_readers_language_and_kept_apart_per_language(client, diary):
    client.force_login(diary)
    english = client.get(DATA, {"range": "26w"}).json()
    reads_in(diary, "de")
    german = client.get(DATA, {"range": "26w"}).json()
    assert any("Oct" in label for label in english["cramps"]["labels"])
    assert any("Okt" in label for label in german["cramps"]["labels"])
    assert not any("Oct" in label for label in german["cramps"]["labels"])
    assert german["cramps"]["count"] == english["cramps"]["count"]  # the same figures, in other words
    reads_in(diary, "")
    assert client.get(DATA, {"range": "26w"}).json() == english  # the English copy was kept apart


def test_the_headlines_decimal_figures_take_a_comma_in_german(client, diary):
    client.force_login(diary)
    english = client.get(reverse("trends")).content.decode()
    found = re.search(r"How bad, on average: (\d+)\.(\d) out of 10", english)
    assert found, "the diary built above has intensities with a decimal mean"
    reads_in(diary, "de")
    german = client.get(reverse("trends")).content.decode()
    assert f"{found[1]},{found[2]} von 10" in german
    assert f"{found[1]}.{found[2]} out of 10" not in german


def test_an_experiments_ratio_takes_the_languages_decimal_mark():
    ratio = experiment_stats.RateRatio(0.456, 0.1234, 2.675, 1.75)
    change, usual = experiment_stats.Arm(3, 12, 2), experiment_stats.Arm(8, 12, 5)
    with translation.override("de"):
        said = words.ratio_for_person(ratio, change, usual)
        assert "0,46" in said and "0,12" in said and "2,67" in said  # rounded, not cut
        assert "0,46 (95-%-Intervall 0,12 bis 2,67; erweitert wegen Häufung, Dispersion 1,8)" in (
            words.ratio_for_clinician(ratio)
        )
    with translation.override("en"):
        assert "anywhere from 0.12 to 2.67 times" in words.ratio_for_person(ratio, change, usual)
