"""The 3 a.m. log, server side: one tap per detail of a saved cramp, a timed cramp, a cramp that replaces a night's
"No cramps", and "not recorded" counted honestly by Trends, the summary and the exports."""

import json
import re
import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

from tests.clock import moment
from tests.conftest import HTMX_FROM_TODAY, cramp
from tracker.data import export, fhir, imports
from tracker.diary.today import when_in_words
from tracker.diary.words import how_bad, how_bad_word
from tracker.entries import counts
from tracker.entries.nights import last_night
from tracker.models import CrampEpisode, NightCheckIn
from tracker.summary.report import build_summary, figure_rows, key_figures

pytestmark = pytest.mark.django_db
OUTBOX = {"Accept": "application/json"}


def two_taps(client) -> CrampEpisode:
    client.post(
        reverse("entry_create", args=["cramp"]),
        {"uuid": str(uuid.uuid4()), "at": ""},
        headers=HTMX_FROM_TODAY,
    )
    return CrampEpisode.objects.latest("pk")


def tap(client, saved: CrampEpisode, headers=HTMX_FROM_TODAY, **detail):
    return client.post(reverse("cramp_detail", args=[saved.uuid]), detail, headers=headers)


def test_each_tap_sets_one_detail_of_the_same_entry(alice_client, alice):
    saved = two_taps(alice_client)
    for detail in (
        {"intensity": "7"},
        {"side": "right"},
        {"minutes": "4"},
        {"woke": "yes"},
        {"relief_add": "stretching"},
    ):
        response = tap(alice_client, saved, **detail)
        assert response.status_code == 200 and b'id="saved-card"' in response.content
    saved.refresh_from_db()
    assert (saved.intensity, saved.side, saved.duration_seconds, saved.woke_from_sleep, saved.relief) == (
        7,
        "right",
        240,
        True,
        ["stretching"],
    )
    assert CrampEpisode.objects.filter(user=alice).count() == 1
    body = tap(alice_client, saved, relief_add="heat").content.decode()
    assert 'name="relief_remove" value="stretching" class="chip-btn" aria-pressed="true"' in body
    assert 'name="intensity" value="7" class="chip-btn" aria-pressed="true"' in body


def test_a_tap_sent_twice_changes_nothing_more(alice_client):
    saved = two_taps(alice_client)
    for _ in range(2):
        assert tap(alice_client, saved, headers=OUTBOX, relief_add="massage").json()["saved"] is True
        tap(alice_client, saved, headers=OUTBOX, intensity="6")
    saved.refresh_from_db()
    assert (saved.relief, saved.intensity) == (["massage"], 6)
    tap(alice_client, saved, relief_remove="massage")
    saved.refresh_from_db()
    assert saved.relief == []


@pytest.mark.parametrize(
    "detail", [{"intensity": "11"}, {"side": "middle"}, {"minutes": "6"}, {"relief_add": "wine"}, {}]
)
def test_a_bad_tap_says_so_and_changes_nothing(alice_client, detail):
    saved = two_taps(alice_client)
    response = tap(alice_client, saved, **detail)
    assert response.status_code == 400 and b"That detail could not be saved." in response.content
    assert tap(alice_client, saved, headers=OUTBOX, **detail).status_code == 400
    fresh = CrampEpisode.objects.get(pk=saved.pk)
    assert (fresh.intensity, fresh.side, fresh.duration_seconds, fresh.relief) == (None, None, None, [])


def test_a_tap_for_a_cramp_not_yet_arrived_is_a_listed_problem_for_the_outbox(alice_client):
    response = alice_client.post(
        reverse("cramp_detail", args=[uuid.uuid4()]), {"intensity": "5"}, headers=OUTBOX
    )
    assert response.status_code == 404 and response.json()["saved"] is False


def test_a_plain_form_tap_goes_back_to_the_save_answer(alice_client):
    saved = two_taps(alice_client)
    response = tap(alice_client, saved, headers={}, side="both")
    assert response.status_code == 302 and response.url == f"{reverse('today')}?saved={saved.uuid}#saved-card"
    assert "both legs" in alice_client.get(response.url).content.decode()


def test_a_timed_cramp_keeps_its_start_and_stores_its_length(alice_client, alice):
    alice_client.post(reverse("cramp_start"), {"uuid": str(uuid.uuid4())}, headers=HTMX_FROM_TODAY)
    timed = CrampEpisode.objects.get(user=alice)
    assert timed.ongoing and timed.duration_seconds is None
    page = alice_client.get(reverse("today")).content.decode()
    assert "A cramp is being timed" in page and "It stopped" in page
    CrampEpisode.objects.filter(pk=timed.pk).update(at=timezone.now() - timedelta(seconds=250))
    response = alice_client.post(reverse("cramp_stop", args=[timed.uuid]), headers=HTMX_FROM_TODAY)
    assert b"Cramp saved at" in response.content and b"A cramp is being timed" not in response.content
    timed.refresh_from_db()
    assert not timed.ongoing and 249 <= timed.duration_seconds <= 252
    # Stopping again (a double tap) changes nothing.
    alice_client.post(reverse("cramp_stop", args=[timed.uuid]), headers=HTMX_FROM_TODAY)
    timed.refresh_from_db()
    assert 249 <= timed.duration_seconds <= 252


def test_a_timer_left_running_past_three_hours_keeps_no_length(alice_client, alice):
    alice_client.post(reverse("cramp_start"), {"uuid": str(uuid.uuid4())})
    timed = CrampEpisode.objects.get(user=alice)
    CrampEpisode.objects.filter(pk=timed.pk).update(at=timezone.now() - timedelta(hours=5))
    alice_client.post(reverse("cramp_stop", args=[timed.uuid]))
    timed.refresh_from_db()
    assert not timed.ongoing and timed.duration_seconds is None


def test_a_cramp_replaces_that_nights_no_cramps_and_says_so(alice_client, alice):
    zone = alice.profile.zone
    night = last_night(timezone.now(), zone)
    NightCheckIn.objects.create(user=alice, at=timezone.now(), night=night)
    # 3 a.m. after that night's evening, or a minute ago if that is still to come (just after midnight).
    after = night + timedelta(days=1)
    three_am = datetime(after.year, after.month, after.day, 3, tzinfo=zone)
    three_am = min(three_am, timezone.localtime(timezone.now() - timedelta(minutes=1), zone))
    response = alice_client.post(
        reverse("entry_create", args=["cramp"]),
        {"uuid": str(uuid.uuid4()), "at": three_am.strftime("%Y-%m-%dT%H:%M")},
        headers=HTMX_FROM_TODAY,
    )
    assert not NightCheckIn.objects.filter(user=alice).exists()
    assert f'It replaces "No cramps" for the night of {night:%a %-d %b}' in response.content.decode()


def test_means_count_only_what_was_recorded(alice, clock):
    clock.at(
        "2026-12-05T13:00"
    )  # two hours ago is in the night of 4 Dec, over at noon: counted in every figure
    now = timezone.now() - timedelta(hours=2)
    cramp(alice, now, intensity=8, duration_seconds=120)
    cramp(alice, now - timedelta(minutes=5), intensity=None, duration_seconds=None, muscle=None, side=None)
    today = timezone.localdate()
    summary = build_summary(alice, today - timedelta(days=27), today)
    assert (summary.now.count, summary.now.mean_intensity, summary.now.rated) == (2, 8.0, 1)
    assert (summary.now.mean_minutes, summary.now.timed) == (2.0, 1)
    rows = dict((label, now) for label, now, _ in figure_rows(summary))
    mean = next(figure for figure in key_figures(summary) if figure.label == "Mean intensity")
    assert (mean.now, mean.detail) == ("8", "out of 10; 1 of 2 cramps rated")
    assert rows["Mean duration"] == "2 min (1 of 2 recorded)"
    assert "Muscle not recorded, side not recorded" in dict(summary.muscles)
    span = counts.Span(today - timedelta(days=2), today, alice.profile.zone)
    nights = counts.cramps_by_night(alice, span)
    night = next(iter(nights.values()))
    assert (night.count, night.rated, night.intensity_sum, night.top, night.timed) == (2, 1, 8, 8, 1)


def test_trends_say_how_many_cramps_had_an_intensity(client, alice, clock):
    clock.at("2026-12-05T13:00")  # as above: a night that is over, whatever the real time
    client.force_login(alice)
    alice_client = client
    now = timezone.now() - timedelta(hours=2)
    cramp(alice, now, intensity=6)
    cramp(alice, now - timedelta(minutes=5), intensity=None, side=None)
    page = alice_client.get(reverse("trends")).content.decode()
    assert "Mean intensity 6 out of 10 over the 1 cramp with an intensity recorded (of 2)" in page
    data = alice_client.get(reverse("trends_data")).json()
    assert "Not recorded" in data["muscles"]["sides"]
    assert sum(x for x in data["intensity"]["mean"] if x is not None) == 6.0


def test_exports_leave_out_what_was_not_recorded_and_import_it_back(alice, bob):
    cramp(
        alice,
        timezone.now() - timedelta(hours=1),
        intensity=None,
        duration_seconds=None,
        muscle=None,
        side=None,
    )
    data = export.export_data(alice)
    row = data["cramps"][0]
    assert (row["intensity"], row["duration_seconds"], row["muscle"], row["side"]) == (None, None, None, None)
    resource = fhir.bundle(alice)["entry"][1]["resource"]
    assert "bodySite" not in resource and "component" not in resource
    assert "end" not in resource["effectivePeriod"]
    imports.import_data(bob, json.loads(json.dumps(data)))
    copied = CrampEpisode.objects.get(user=bob)
    assert (copied.intensity, copied.duration_seconds, copied.muscle, copied.side) == (None, None, None, None)


# Words: how bad on the scale's anchors, a fluid target only when chosen, a chosen time in words ---------------


@pytest.mark.parametrize(
    ("value", "word"),
    [
        (0, "none"),
        (1, "mild"),
        (3, "mild"),
        (4, "moderate"),
        (6, "moderate"),
        (7, "severe"),
        (9, "severe"),
        (10, "worst"),
    ],
)
def test_how_bad_has_a_word_at_every_point_of_the_scale(value, word):
    assert how_bad_word(value) == word
    assert how_bad(value) == f"how bad: {word} ({value})"


def test_the_scale_shows_its_words_with_the_numbers_and_a_cramp_says_how_bad_in_them(alice_client, alice):
    saved = two_taps(alice_client)
    body = tap(alice_client, saved, intensity="7").content.decode()
    key = (
        "0\u00a0none · 1–\u20603\u00a0mild · 4–\u20606\u00a0moderate · 7–\u20609\u00a0severe · 10\u00a0worst"
    )
    assert (
        key.replace("\u00a0", " ").replace("\u2060", "")
        == "0 none · 1–3 mild · 4–6 moderate · 7–9 severe · 10 worst"
    )
    assert key in body  # the one-tap row
    saved_line = body.split('class="saved-what">')[1].split("</p>")[0]
    assert saved_line == "how bad: severe (7)"
    timeline = body.split('class="timeline"')[1]
    assert "how bad: severe (7)" in timeline
    assert "intensity" not in saved_line and "intensity 7" not in timeline
    sheet = alice_client.get(reverse("entry_create", args=["cramp"])).content.decode()
    assert key in sheet  # the form's scale too
    assert "How bad?" in sheet and "= worst" not in sheet


def test_the_fluid_line_shows_a_target_only_when_the_person_chose_one(alice_client, alice):
    page = alice_client.get(reverse("today")).content.decode()
    assert "0 ml</strong> so far" in page
    assert "of 2000 ml" not in page
    assert (
        "Suggested: 2000 ml a day." in page
        and f'href="{reverse("profile")}#id_fluid_target">Change it' in page
    )
    alice.profile.fluid_target_ml = 2500
    alice.profile.save()
    page = alice_client.get(reverse("today")).content.decode()
    assert "0 ml</strong> of your 2500 ml target" in page and "Suggested" not in page


@pytest.mark.parametrize(
    ("local", "words"),
    [
        ("2026-12-04T03:00", "Last night, about 3\u00a0a.m."),
        ("2026-12-04T03:10", "Today at 03:10"),
        ("2026-12-03T22:40", "Yesterday at 22:40"),
        ("2026-11-30T03:00", "Mon 30 Nov at 03:00"),
        ("2025-12-31T23:00", "Wed 31 Dec 2025 at 23:00"),
    ],
)
def test_a_chosen_time_reads_in_words(clock, local, words):
    now = clock.at("2026-12-04T08:15")
    assert when_in_words(moment(local), now, ZoneInfo("Europe/London")) == words


def test_a_cramp_form_with_a_time_says_it_in_words_not_leave_empty(clock, alice_client, alice):
    clock.at("2026-12-04T08:15")
    night = cramp(alice, at=moment("2026-12-04T03:00"), intensity=None)
    page = alice_client.get(reverse("entry_edit", args=["cramp", night.pk])).content.decode()
    help_text = page.split('id="id_at_helptext"')[1].split("</p>")[0]
    assert help_text.endswith(">Last night, about 3\u00a0a.m.")
    assert "Leave empty for now." not in page
    blank = alice_client.get(reverse("entry_create", args=["cramp"])).content.decode()
    assert ">Leave it empty to use the time now.</p>" in blank


@pytest.mark.parametrize(
    "now, night, value, words",
    [
        (
            "2026-12-04T08:00",
            "2026-12-03",
            "2026-12-04T03:00",
            "Last night, about 3\u00a0a.m.",
        ),  # the morning email
        ("2026-12-09T19:00", "2026-12-03", "2026-12-04T03:00", "Fri 4 Dec at 03:00"),  # read days later
        ("2026-12-04T01:00", "2026-12-03", "2026-12-04T01:00", "Today at 01:00"),  # 3 a.m. is still to come
        ("2026-12-04T08:00", "2026-12-04", None, None),  # tonight has not begun
        ("2026-12-04T08:00", "2025-12-03", None, None),  # a year-old link
        ("2026-12-04T08:00", "3 Dec", None, None),
    ],
)
def test_the_cramp_form_opened_for_a_night_starts_at_about_3_am_after_it(
    clock, alice_client, now, night, value, words
):
    clock.at(now)
    page = alice_client.get(reverse("entry_create", args=["cramp"]), {"night": night}).content.decode()
    if value is None:
        assert 'name="at" value=' not in page and "Leave it empty to use the time now." in page
    else:
        assert f'name="at" value="{value}"' in page
        assert f">{words}</p>" in page  # the help under the field says the time, not "Leave it empty"


# "3 a.m. last night" is 03:00 in the night Today calls "last night" --------------------------------------------


def chip_value(body: str) -> str | None:
    """The "3 a.m. last night" chip's time on a page, or None when the page offers no such chip."""
    found = re.search(r'data-value="([0-9T:-]+)">3 a\.m\. last night<', body)
    return found.group(1) if found else None


@pytest.mark.parametrize(
    ("now", "chip", "night"),
    [
        ("2026-12-05T00:34", None, "Fri 4 Dec"),  # the reviewer's moment: 3 a.m. has not come yet
        ("2026-12-05T02:59", None, "Fri 4 Dec"),
        ("2026-12-05T03:01", "2026-12-05T03:00", "Fri 4 Dec"),
        ("2026-12-05T11:59", "2026-12-05T03:00", "Fri 4 Dec"),
        ("2026-12-05T12:01", "2026-12-05T03:00", "Fri 4 Dec"),
        ("2026-12-05T23:59", "2026-12-05T03:00", "Fri 4 Dec"),
        ("2027-03-28T00:30", None, "Sat 27 Mar"),  # the clocks go forward at 01:00
        ("2027-03-28T03:01", "2027-03-28T03:00", "Sat 27 Mar"),
        ("2027-10-31T01:30+00:00", None, "Sat 30 Oct"),  # the second 01:30, the clocks gone back
        ("2027-10-31T03:01", "2027-10-31T03:00", "Sat 30 Oct"),
    ],
)
def test_the_3_am_chip_is_in_the_night_today_calls_last_night(client, alice, clock, now, chip, night):
    clock.at(now)
    client.force_login(alice)
    today = client.get(reverse("today")).content.decode()
    assert f"Last night {night}" in " ".join(strip_tags(today).split())
    assert chip_value(today) == chip
    form = client.get(reverse("entry_create", args=["cramp"])).content.decode()
    assert chip_value(form) == chip
    if chip is None:
        return
    # Saved with the chip, the cramp is last night's: Today no longer offers "No cramps last night".
    client.post(
        reverse("entry_create", args=["cramp"]),
        {"uuid": str(uuid.uuid4()), "at": chip},
        headers=HTMX_FROM_TODAY,
    )
    saved = CrampEpisode.objects.get(user=alice)
    assert timezone.localtime(saved.at, ZoneInfo("Europe/London")).strftime("%Y-%m-%dT%H:%M") == chip
    today = client.get(reverse("today")).content.decode()
    assert "No cramps last night" not in today and "Last night: 1 cramp logged." in today
    assert (
        when_in_words(saved.at, timezone.now(), ZoneInfo("Europe/London")) == "Last night, about 3\u00a0a.m."
    )


def test_the_saved_cards_summary_keeps_a_length_and_its_unit_together(alice_client, alice):
    """The card read "· 2 / min" on a phone: the number and "min" are joined by a no-break space."""
    saved = two_taps(alice_client)
    body = tap(alice_client, saved, minutes="2").content.decode()
    assert "2\u00a0min" in body and "· 2 min" not in body
    history = alice_client.get(reverse("history")).content.decode()
    assert "2\u00a0min" in history


@pytest.mark.parametrize(
    ("fields", "said"),
    [
        ({}, "Only the time is saved."),
        ({"warning_signs": ["swelling"]}, "warning signs: swelling of one leg"),
        (
            {"warning_signs": ["swelling"], "woke_from_sleep": True},
            "woke me · warning signs: swelling of one leg",
        ),
    ],
)
def test_the_saved_card_says_what_was_saved_warning_signs_too(alice_client, alice, fields, said):
    saved = cramp(
        alice, timezone.now(), duration_seconds=None, intensity=None, muscle=None, side=None, **fields
    )
    page = alice_client.get(f"{reverse('today')}?saved={saved.uuid}").content.decode()
    what = strip_tags(re.search(r'<p class="saved-what">(.*?)</p>', page, re.S).group(1)).strip()
    assert what == said
