"""Times are stored in UTC and read and shown in the person's own zone, nights included, across DST."""

import uuid
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from tests.conftest import cramp_data
from tracker.entries.local_time import moment_meant
from tracker.entries.nights import night_of
from tracker.models import CrampEpisode

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "typed, utc, night",
    [
        # 02:30 on the night the clocks go back (1 Nov 2026, 02:00 PDT -> 01:00 PST): 02:30 PST = 10:30 UTC.
        ("2026-11-01T02:30", datetime(2026, 11, 1, 10, 30, tzinfo=UTC), date(2026, 10, 31)),
        # 02:30 the night after the clocks went forward (8 March 2026): 02:30 PDT = 09:30 UTC.
        ("2026-03-09T02:30", datetime(2026, 3, 9, 9, 30, tzinfo=UTC), date(2026, 3, 8)),
        # A winter night before the change: 02:30 PST = 10:30 UTC.
        ("2026-03-07T02:30", datetime(2026, 3, 7, 10, 30, tzinfo=UTC), date(2026, 3, 6)),
    ],
)
def test_it_reads_shows_and_files_a_2_30_cramp_in_los_angeles(bob_client, bob, typed, utc, night):
    bob_client.post(
        reverse("entry_create", args=["cramp"]),
        cramp_data(at=typed, duration_minutes="2", intensity="6"),
    )
    episode = CrampEpisode.objects.get(user=bob)
    assert episode.at == utc
    assert night_of(episode.at, bob.profile.zone) == night
    history = bob_client.get(reverse("history")).content.decode()
    assert ">02:30</time>" in history
    edit = bob_client.get(reverse("entry_edit", args=["cramp", episode.pk])).content.decode()
    assert f'value="{typed}"' in edit
    # The night it belongs to now has an entry: it can't also be checked in as cramp-free.
    response = bob_client.post(
        reverse("night_checkin"), {"uuid": str(uuid.uuid4()), "night": night.isoformat()}, follow=True
    )
    assert "You logged a cramp that night" in response.content.decode()


def test_it_refuses_a_time_that_does_not_exist_in_the_persons_zone(bob_client):
    # 02:30 on 8 March 2026 never happened in Los Angeles: the clocks jumped from 02:00 to 03:00.
    response = bob_client.post(
        reverse("entry_create", args=["cramp"]),
        cramp_data(at="2026-03-08T02:30", duration_minutes="2", intensity="6"),
    )
    assert "America/Los_Angeles" in response.content.decode()
    assert not CrampEpisode.objects.exists()


LONDON = ZoneInfo("Europe/London")


@pytest.mark.parametrize(
    "typed, now, meant",
    [
        # London's clocks go back at 02:00 BST on 31 October 2027, to 01:00 GMT: 01:00 to 02:00 happens twice.
        # At the second 01:50 (00:50 UTC), "01:40" is ten minutes ago (the second 01:40), not an hour and ten.
        (
            "2027-10-31T01:40",
            datetime(2027, 10, 31, 1, 50, tzinfo=UTC),
            datetime(2027, 10, 31, 1, 40, tzinfo=UTC),
        ),
        # At the first 01:50 (00:50 UTC) only the first 01:40 has happened.
        (
            "2027-10-31T01:40",
            datetime(2027, 10, 31, 0, 50, tzinfo=UTC),
            datetime(2027, 10, 31, 0, 40, tzinfo=UTC),
        ),
        # Up to five minutes ahead is still now (a phone's clock a little fast): the second 01:54 at 01:50.
        (
            "2027-10-31T01:54",
            datetime(2027, 10, 31, 1, 50, tzinfo=UTC),
            datetime(2027, 10, 31, 1, 54, tzinfo=UTC),
        ),
        # Later that day: the second one, both long past.
        (
            "2027-10-31T01:40",
            datetime(2027, 10, 31, 9, 0, tzinfo=UTC),
            datetime(2027, 10, 31, 1, 40, tzinfo=UTC),
        ),
        # Either side of the repeated hour, and any other night: that time, in the zone.
        (
            "2027-10-31T00:59",
            datetime(2027, 10, 31, 9, 0, tzinfo=UTC),
            datetime(2027, 10, 30, 23, 59, tzinfo=UTC),
        ),
        (
            "2027-10-31T02:00",
            datetime(2027, 10, 31, 9, 0, tzinfo=UTC),
            datetime(2027, 10, 31, 2, 0, tzinfo=UTC),
        ),
        ("2027-07-01T01:40", datetime(2027, 7, 1, 9, 0, tzinfo=UTC), datetime(2027, 7, 1, 0, 40, tzinfo=UTC)),
        # Clocks go forward at 01:00 GMT on 28 March 2027 to 02:00 BST: 01:00 to 01:59 never happened.
        ("2027-03-28T01:30", datetime(2027, 3, 28, 9, 0, tzinfo=UTC), None),
        (
            "2027-03-28T00:59",
            datetime(2027, 3, 28, 9, 0, tzinfo=UTC),
            datetime(2027, 3, 28, 0, 59, tzinfo=UTC),
        ),
        (
            "2027-03-28T02:00",
            datetime(2027, 3, 28, 9, 0, tzinfo=UTC),
            datetime(2027, 3, 28, 1, 0, tzinfo=UTC),
        ),
    ],
)
def test_a_typed_time_is_the_moment_a_person_means_across_a_clock_change(typed, now, meant):
    assert moment_meant(datetime.fromisoformat(typed), LONDON, now) == meant


@pytest.mark.parametrize(
    "now, saved",
    [
        ("2027-10-31T01:50", datetime(2027, 10, 31, 0, 40, tzinfo=UTC)),  # the first 01:50 (BST)
        (
            datetime(2027, 10, 31, 1, 50, fold=1),
            datetime(2027, 10, 31, 1, 40, tzinfo=UTC),
        ),  # the second (GMT)
    ],
)
def test_a_cramp_typed_in_the_hour_the_clocks_go_back_is_saved_at_the_time_meant(
    client, alice, clock, now, saved
):
    clock.at(now)
    client.force_login(alice)  # after the clock is set, so the session is not already out of date
    response = client.post(reverse("entry_create", args=["cramp"]), cramp_data(at="2027-10-31T01:40"))
    assert response.status_code == 302
    assert CrampEpisode.objects.get(user=alice).at == saved
    history = client.get(reverse("history")).content.decode()
    assert ">01:40</time>" in history


def test_it_shows_the_same_moment_to_each_person_in_their_own_zone(alice_client, alice, client, bob):
    moment = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
    CrampEpisode.objects.create(user=alice, at=moment, duration_seconds=60, intensity=3)
    assert ">10:00</time>" in alice_client.get(reverse("history")).content.decode()  # London, BST


def test_an_entrys_time_element_holds_a_valid_html_date_and_time_in_the_persons_zone(alice_client, alice):
    """No microseconds (invalid in HTML's datetime attribute), the offset of the person's zone."""
    CrampEpisode.objects.create(
        user=alice, at=datetime(2026, 6, 1, 9, 0, 5, 123456, tzinfo=UTC), duration_seconds=60, intensity=3
    )
    history = alice_client.get(reverse("history")).content.decode()
    assert '<time class="entry-time" datetime="2026-06-01T10:00:05+0100">10:00</time>' in history
