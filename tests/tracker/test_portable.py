"""All my data: JSON export and import round trip, rejected files, CSV files and the FHIR Bundle."""

import csv
import io
import json
import zipfile
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from fhir.resources.R4B.bundle import Bundle

from tests.conftest import cramp, make_person
from tracker.data import columns, export, fhir, imports
from tracker.data.demo import build_diary
from tracker.models import CrampEpisode, Drink, Medication, NightCheckIn, PromptAcknowledgement

pytestmark = pytest.mark.django_db


def body(response) -> bytes:
    assert response.streaming
    return b"".join(response.streaming_content)


NOW = datetime(2026, 3, 20, 12, tzinfo=UTC)
ZONE = ZoneInfo("America/Los_Angeles")


@pytest.fixture
def full_diary(alice):
    """Three weeks of every kind of entry across the spring-forward change, with odd text."""
    from tracker.models import Profile

    Profile.objects.filter(user=alice).update(
        time_zone="America/Los_Angeles",
        volume_unit="floz",
        summary_name="Zoë Ünïcode",
        summary_birth_date=date(1948, 2, 29),
    )
    alice.refresh_from_db()
    build_diary(alice, ZONE, date(2026, 3, 1), date(2026, 3, 19), NOW, cramps_max_per_day=2, foods_per_meal=3)
    cramp(
        alice,
        datetime(2026, 3, 8, 1, 30, tzinfo=ZONE),
        notes="<script>alert(1)</script> Nuit blanche 夜",
        relief=["stretching", "heat"],
        warning_signs=["numbness"],
        sleep_disturbance=7,
    )
    Medication.objects.create(
        user=alice, name="Furosemide", dose="40 mg", started=date(2025, 1, 1), stopped=date(2026, 1, 1)
    )
    PromptAcknowledgement.objects.create(user=alice, rule_id="nerve_signs", acknowledged_at=NOW)
    return alice


def strip(data: dict) -> dict:
    return {key: value for key, value in data.items() if key != "exported_at"}


def test_export_then_import_gives_identical_data(full_diary):
    exported = export.export_data(full_diary, NOW)
    assert len(exported["cramps"]) > 5 and exported["meals"][0]["foods"]
    text = json.dumps(exported, ensure_ascii=False)
    newcomer = make_person("newcomer")
    result = imports.import_data(newcomer, json.loads(text), NOW)
    assert result.added["drinks"] == len(exported["drinks"])
    assert strip(export.export_data(newcomer, NOW)) == strip(exported)


def test_importing_the_same_file_twice_adds_nothing(full_diary):
    exported = export.export_data(full_diary, NOW)
    counts = CrampEpisode.objects.count(), Drink.objects.count()
    result = imports.import_data(full_diary, exported, NOW)
    assert result.total == 0 and result.already > 0
    assert (CrampEpisode.objects.count(), Drink.objects.count()) == counts


def test_times_keep_their_offset_across_daylight_saving(full_diary):
    exported = export.export_data(full_diary, NOW)
    offsets = {row["at"][-6:] for row in exported["drinks"]}
    assert offsets == {"-08:00", "-07:00"}


def _bad(exported: dict, section: str, index: int, **changes) -> dict:
    broken = json.loads(json.dumps(exported))
    broken[section][index].update(changes)
    return broken


@pytest.mark.parametrize(
    "section, changes, problem",
    [
        ("cramps", {"intensity": 11}, "cramps[0].intensity: must be from 0 to 10"),
        (
            "cramps",
            {"intensity": float("nan")},
            "The file is not valid JSON (line 1, column",
        ),  # NaN isn't JSON
        ("cramps", {"intensity": 1e308}, "cramps[0].intensity: must be from 0 to 10"),
        ("cramps", {"intensity": "5"}, "cramps[0].intensity: must be a whole number"),
        ("cramps", {"at": "2099-01-01T00:00:00+00:00"}, "cramps[0].at: is in the future"),
        ("cramps", {"at": "2026-03-01T00:00:00"}, "cramps[0].at: needs a UTC offset"),
        ("cramps", {"at": "yesterday"}, "cramps[0].at: is not an ISO 8601 date and time"),
        ("cramps", {"muscle": "neck"}, "cramps[0].muscle: is not one of the allowed values"),
        ("cramps", {"notes": "x" * 1_000_000}, "cramps[0].notes: is longer than 2000 characters"),
        ("cramps", {"uuid": "not-a-uuid"}, "cramps[0].uuid: is not a UUID"),
        ("cramps", {"relief": ["prayer"]}, "cramps[0].relief: has unknown values: prayer"),
        ("cramps", {"hacker": True}, "cramps[0].hacker: is not a field of this kind"),
        ("drinks", {"amount_ml": -5}, "drinks[0].amount_ml: must be from 1 to 3000"),
        ("meals", {"foods": ["unicorn"]}, "meals[0].foods: has unknown values: unicorn"),
        (
            "medications",
            {"stopped": "2000-01-01"},
            "medications[0].stopped: is before the day it was started",
        ),
        ("checkins", {"night": "31-02-2026"}, "checkins[0].night: is not a date"),
    ],
)
def test_a_bad_value_is_reported_by_place_and_nothing_is_imported(full_diary, section, changes, problem):
    exported = export.export_data(full_diary, NOW)
    if section == "checkins" and not exported["checkins"]:
        exported["checkins"] = [
            {"uuid": "6f1c5a8e-7d0e-4c7e-9b1a-2f1f4b6f0c11", "at": NOW.isoformat(), "night": "2026-03-19"}
        ]
    newcomer = make_person("newcomer")
    with pytest.raises(imports.Rejected) as rejected:
        imports.import_data(newcomer, _bad(exported, section, 0, **changes), NOW)
    assert any(p.startswith(problem) for p in rejected.value.problems), rejected.value.problems
    assert not CrampEpisode.objects.filter(user=newcomer).exists()
    assert not Drink.objects.filter(user=newcomer).exists()
    newcomer.profile.refresh_from_db()
    assert newcomer.profile.time_zone == "UTC"


def test_a_uuid_twice_in_the_file_is_refused(full_diary):
    exported = export.export_data(full_diary, NOW)
    exported["drinks"][1]["uuid"] = exported["drinks"][0]["uuid"]
    with pytest.raises(imports.Rejected) as rejected:
        imports.import_data(make_person("newcomer"), exported, NOW)
    assert rejected.value.problems == ["drinks[1].uuid: appears twice in the file"]


@pytest.mark.parametrize(
    "raw, problem",
    [
        (b"{not json", "The file is not valid JSON (line 1, column 3)"),
        (b"\xff\xfe\x00", "The file was saved as UTF-16 text"),
        (b"\xe9t\xe9", "The file is not UTF-8 text"),
        (b"[1, 2]", "The file must hold one JSON object"),
        (b'{"format": "other"}', "this is not a Cramp Diary export"),
        (b'{"format": "cramp-diary", "version": 99}', "this app reads version 1 files"),
        (b'{"cramps": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", "nests too deeply"),
    ],
)
def test_a_malformed_file_changes_nothing(alice_client, alice, raw, problem):
    cramp(alice, timezone.now() - timedelta(hours=1))
    upload = SimpleUploadedFile("export.json", raw, content_type="application/json")
    response = alice_client.post(reverse("my_data"), {"file": upload})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Nothing was imported" in page and problem in page
    assert CrampEpisode.objects.filter(user=alice).count() == 1


def test_the_import_page_round_trip_says_what_it_added(alice_client, alice, bob):
    cramp(bob, timezone.now() - timedelta(hours=2), notes="from bob's phone")
    exported = export.export_data(bob)
    upload = SimpleUploadedFile("export.json", json.dumps(exported).encode(), content_type="application/json")
    response = alice_client.post(reverse("my_data"), {"file": upload}, follow=True)
    assert "Imported 1 cramp." in response.content.decode()
    assert CrampEpisode.objects.get(user=alice).notes == "from bob's phone"


def test_the_json_download_is_an_attachment_of_the_persons_own_data(alice_client, alice, bob):
    cramp(alice, timezone.now() - timedelta(hours=1), notes="mine")
    cramp(bob, timezone.now() - timedelta(hours=1), notes="not mine")
    response = alice_client.get(reverse("export_json"))
    assert response["Content-Disposition"].startswith('attachment; filename="cramp-diary-')
    data = json.loads(body(response))
    assert [c["notes"] for c in data["cramps"]] == ["mine"]


def test_the_csv_zip_has_a_documented_file_per_kind(alice_client, full_diary):
    response = alice_client.get(reverse("export_csv"))
    archive = zipfile.ZipFile(io.BytesIO(body(response)))
    assert archive.testzip() is None
    assert set(archive.namelist()) == {
        "columns.txt",
        "experiments.csv",
        *(f"{s.key}.csv" for s in columns.SECTIONS),
    }
    docs = archive.read("columns.txt").decode()
    for section in columns.SECTIONS:
        rows = list(csv.DictReader(io.StringIO(archive.read(f"{section.key}.csv").decode())))
        assert rows == [] or list(rows[0]) == [c.name for c in section.columns]
        for column in section.columns:
            assert f"  {column.name}: " in docs
    cramps = list(csv.DictReader(io.StringIO(archive.read("cramps.csv").decode())))
    odd = next(row for row in cramps if "Nuit blanche" in row["notes"])
    assert odd["at"] == "2026-03-08T01:30:00-08:00"
    assert odd["relief"] == "stretching;heat" and odd["woke_from_sleep"] == "false"
    assert datetime.fromisoformat(cramps[0]["at"]).utcoffset() is not None


def test_the_fhir_bundle_validates_and_codes_each_cramp(full_diary):
    data = fhir.bundle(full_diary, name="Zoë Ünïcode", birth_date=date(1948, 2, 29))
    Bundle.model_validate(data)  # raises if anything breaks the R4 model
    resources = [entry["resource"] for entry in data["entry"]]
    patient, observations, nights = resources[0], resources[1:-1], resources[-1]
    assert patient["resourceType"] == "Patient" and patient["birthDate"] == "1948-02-29"
    assert nights["code"]["text"] == "Nights logged in the leg cramp diary"  # the one count of logged nights
    assert len(observations) == CrampEpisode.objects.filter(user=full_diary).count()
    odd = next(o for o in observations if "Nuit blanche" in o.get("note", [{}])[0].get("text", ""))
    assert odd["code"]["coding"][0]["code"] == "75325-1"
    assert odd["valueCodeableConcept"]["coding"][0] == {
        "system": fhir.SNOMED,
        "code": "55300003",
        "display": "Cramp (finding)",
    }
    assert odd["bodySite"]["coding"][0]["code"] == "53840002" and odd["bodySite"]["text"] == "Left calf"
    assert odd["effectivePeriod"] == {
        "start": "2026-03-08T01:30:00-08:00",
        "end": "2026-03-08T01:33:00-08:00",
    }
    severity = odd["component"][0]
    assert severity["code"]["coding"][0]["code"] == "64750-3"
    assert severity["valueCodeableConcept"]["coding"][0]["code"] == "6736007"  # 5 of 10: moderate
    assert odd["meta"]["security"][0]["code"] == "PATRPT"
    assert odd["subject"]["reference"] == data["entry"][0]["fullUrl"]


def test_the_fhir_download_keeps_to_the_period_and_refuses_a_bad_one(alice_client, alice):
    cramp(alice, timezone.now() - timedelta(days=40))
    cramp(alice, timezone.now() - timedelta(days=2))
    today = timezone.localdate()
    response = alice_client.get(reverse("export_fhir") + f"?start={today - timedelta(days=27)}&end={today}")
    assert response["Content-Type"].startswith("application/fhir+json")
    assert len(json.loads(body(response))["entry"]) == 3  # the patient, one cramp and the logged nights
    assert alice_client.get(reverse("export_fhir") + "?start=2026-99-01&end=x").status_code == 400


def test_check_ins_for_nights_already_in_the_diary_are_kept_once(alice):
    NightCheckIn.objects.create(user=alice, at=NOW, night=date(2026, 3, 18))
    exported = export.export_data(alice, NOW)
    exported["checkins"][0]["uuid"] = "0b7d2c1e-1111-4c7e-9b1a-2f1f4b6f0c11"
    result = imports.import_data(alice, exported, NOW)
    assert result.already == 1 and NightCheckIn.objects.count() == 1


@pytest.fixture
def experiment(alice):
    """A stretching experiment with a pause that ended, stopped early, with three nights marked done."""
    from tracker.experiments.schedule import draw_orders
    from tracker.models import Experiment, ExperimentNight

    found = Experiment.objects.create(
        user=alice,
        change_key="clinician",
        change="walk ten minutes after dinner; «doucement»",
        block_days=7,
        pairs=3,
        seed=4_000_000_001,
        orders=draw_orders(4_000_000_001, 3),
        start=date(2026, 1, 5),
        pauses=[["2026-01-09", "2026-01-11"]],
        stopped_on=date(2026, 2, 20),
    )
    Experiment.objects.filter(pk=found.pk).update(created_at=datetime(2026, 1, 5, 21, 30, tzinfo=UTC))
    for day in (5, 6, 12):
        ExperimentNight.objects.create(
            experiment=found, night=date(2026, 1, day), at=datetime(2026, 1, day, 22, tzinfo=UTC)
        )
    return found


def test_an_experiment_comes_back_exactly_with_its_nights(alice, experiment):
    from tracker.experiments import progress
    from tracker.models import Experiment

    exported = export.export_data(alice, NOW)
    assert exported["experiments"][0]["orders"] == experiment.orders
    assert exported["experiments"][0]["nights_done"][0] == {
        "night": "2026-01-05",
        "at": "2026-01-05T22:00:00+00:00",
    }
    newcomer = make_person("newcomer", "Europe/London")
    result = imports.import_data(newcomer, json.loads(json.dumps(exported)), NOW)
    assert result.added["experiments"] == 1
    assert strip(export.export_data(newcomer, NOW)) == strip(exported)
    restored = Experiment.objects.get(user=newcomer)
    night = date(2026, 3, 1)
    assert progress.blocks_of(restored, night) == progress.blocks_of(experiment, night)
    assert progress.state_of(restored, night) == progress.STOPPED
    assert progress.results(restored, night).blocks == progress.results(experiment, night).blocks

    again = imports.import_data(newcomer, json.loads(json.dumps(exported)), NOW)
    assert again.added["experiments"] == 0 and Experiment.objects.filter(user=newcomer).count() == 1


def test_the_csv_zip_lists_experiments(alice_client, alice, experiment):
    archive = zipfile.ZipFile(io.BytesIO(body(alice_client.get(reverse("export_csv")))))
    rows = list(csv.DictReader(io.StringIO(archive.read("experiments.csv").decode())))
    assert rows[0]["pauses"] == "2026-01-09/2026-01-11"
    assert rows[0]["nights_done"] == "2026-01-05;2026-01-06;2026-01-12"
    assert "experiments.csv: Personal experiments" in archive.read("columns.txt").decode()


@pytest.mark.parametrize(
    "changes, problem",
    [
        ({"change_key": "cure-all"}, "experiments[0].change_key: is not one of the allowed values"),
        ({"change": ""}, "experiments[0].change: is missing"),
        ({"start": "2026-02-30"}, "experiments[0].start: is not a date"),
        ({"start": "1999-12-31"}, "experiments[0].start: is out of range"),
        ({"block_days": 10}, "experiments[0].block_days: must be 7, 14, 21 or 28"),
        ({"pairs": 4}, "experiments[0].pairs: must be 2 or 3"),
        ({"orders": ["CU", "XX", "UC"]}, "experiments[0].orders: must be a list of CU or UC"),
        ({"orders": ["CU"]}, "experiments[0].orders: must have one order for each pair"),
        ({"seed": 10**30}, "The file holds a number far too long"),  # past 64 bits: the parser refuses it
        ({"stopped_on": "2026-01-01"}, "experiments[0].stopped_on: is before the first night"),
        ({"pauses": [["2026-01-12", "2026-01-10"]]}, "experiments[0].pauses[0]: ends before it begins"),
        ({"pauses": [["2026-01-01", None]]}, "experiments[0].pauses[0]: is out of range"),
        ({"pauses": "soon"}, "experiments[0].pauses: must be a list"),
        (
            {"nights_done": [{"night": "2026-01-04", "at": "2026-01-04T22:00:00+00:00"}]},
            "before the first night",
        ),
        ({"nights_done": [{"night": "2026-01-05"}]}, "experiments[0].nights_done[0]: must be an object"),
        ({"cured": True}, "experiments[0].cured: is not a field of an experiment"),
    ],
)
def test_a_tampered_experiment_is_a_listed_problem_and_nothing_is_imported(
    alice, experiment, changes, problem
):
    from tracker.models import Experiment

    exported = export.export_data(alice, NOW)
    exported["experiments"][0].update(changes)
    newcomer = make_person("newcomer")
    with pytest.raises(imports.Rejected) as rejected:
        imports.import_data(newcomer, json.loads(json.dumps(exported)), NOW)
    assert any(problem in p for p in rejected.value.problems), rejected.value.problems
    assert not Experiment.objects.filter(user=newcomer).exists()
    assert not CrampEpisode.objects.filter(user=newcomer).exists()


def test_an_experiment_twice_in_the_file_is_refused(alice, experiment):
    exported = export.export_data(alice, NOW)
    exported["experiments"].append(dict(exported["experiments"][0]))
    with pytest.raises(imports.Rejected) as rejected:
        imports.import_data(make_person("newcomer"), exported, NOW)
    assert rejected.value.problems == ["experiments[1]: appears twice in the file"]


def refused(alice, **changes) -> list[str]:
    """The problems of alice's export imported by a newcomer, with her experiment changed; nothing is written."""
    from tracker.models import Experiment

    exported = export.export_data(alice, NOW)
    exported["experiments"][0].update(changes)
    newcomer = make_person("newcomer")
    with pytest.raises(imports.Rejected) as rejected:
        imports.import_data(newcomer, exported, NOW)
    assert not Experiment.objects.filter(user=newcomer).exists()
    return rejected.value.problems


def test_an_experiment_with_a_million_pauses_is_refused(alice, experiment):
    # 7-night blocks in 3 pairs: 42 nights, so 42 pauses at most (each takes a night out of the plan).
    # A million is more than any export writes: the file is refused there, read no further.
    problems = refused(alice, pauses=[["2026-01-09", "2026-01-09"]] * 1_000_000)
    assert problems == [
        "experiments[0].pauses: holds more than any export writes, so the file was read no further."
    ]


def test_an_experiment_with_more_pauses_than_nights_is_refused(alice, experiment):
    problems = refused(alice, pauses=[["2026-01-09", "2026-01-09"]] * 43)
    assert problems == ["experiments[0].pauses: has more than 42 pauses, one for each night of the plan"]


def test_pauses_that_overlap_are_refused(alice, experiment):
    problems = refused(alice, pauses=[["2026-01-09", "2026-01-11"], ["2026-01-11", "2026-01-12"]])
    assert problems == ["experiments[0].pauses[1]: begins before the experiment or inside an earlier pause"]


def test_more_nights_done_than_the_plan_has_are_refused(alice, experiment):
    nights = [
        {"night": f"2026-02-{day:02}", "at": f"2026-02-{day:02}T22:00:00+00:00"} for day in range(1, 29)
    ]
    nights += [
        {"night": f"2026-01-{day:02}", "at": f"2026-01-{day:02}T22:00:00+00:00"} for day in range(5, 20)
    ]
    problems = refused(alice, nights_done=nights)
    assert problems == ["experiments[0].nights_done: has more than 42 nights, one for each night of the plan"]


def test_orders_that_are_not_the_seeds_draw_are_refused(alice, experiment):
    flipped = ["UC" if order == "CU" else "CU" for order in experiment.orders]
    problems = refused(alice, orders=flipped)
    assert problems == [
        "experiments[0].orders: are not the order drawn from its seed, so its results can't be trusted"
    ]


def test_times_read_the_same_whatever_the_servers_own_zone(full_diary, monkeypatch):
    """The exports read times as the database stores them (UTC): the server's zone never shifts them."""
    import time

    expected = export.export_data(full_diary, NOW)
    monkeypatch.setenv("TZ", "Asia/Kathmandu")
    time.tzset()
    try:
        assert export.export_data(full_diary, NOW) == expected
        assert (
            fhir.bundle(full_diary)["entry"][1]["resource"]["effectivePeriod"]["start"]
            == expected["cramps"][0]["at"]
        )
    finally:
        monkeypatch.undo()
        time.tzset()
