"""Times are stored in UTC and read and shown in the person's own zone, nights included, across DST."""

import uuid
from datetime import UTC, date, datetime

import pytest
from django.urls import reverse

from tests.conftest import cramp_data
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


def test_it_shows_the_same_moment_to_each_person_in_their_own_zone(alice_client, alice, client, bob):
    moment = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
    CrampEpisode.objects.create(user=alice, at=moment, duration_seconds=60, intensity=3)
    assert ">10:00</time>" in alice_client.get(reverse("history")).content.decode()  # London, BST
