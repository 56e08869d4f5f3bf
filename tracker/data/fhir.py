"""Cramps as a FHIR R4 Bundle, one Observation per cramp, after the HL7 Symptoms Implementation Guide.

Each Observation follows the guide's Symptom Observation profile: code LOINC 75325-1 "Symptom", the value SNOMED CT
55300003 "Cramp (finding)", the body site coded on its own (the side goes in its text), the period from the start
and duration, a severity component (LOINC 64750-3) and meta.security PATRPT, since the person reported it.
Codes and systems are from LOINC, SNOMED CT, HL7 terminology and the guide (http://hl7.org/fhir/uv/symptoms).

`bundle_chunks` writes the Bundle as it reads the cramps, a chunk at a time, so 20 years of cramps take the memory
of one chunk; `bundle` is the same Bundle as one dict.

The words meant for people (each `text` and `note`) are in the language asked for, else the one active when the
Bundle is asked for; codes, systems and the code systems' own `display` names stay as those systems publish them.
"""

import json
import uuid
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Any, NamedTuple

from django.db.models import Count, Min, Q
from django.utils import timezone, translation
from django.utils.translation import gettext

from tracker.app import l10n
from tracker.data.reading import raw_chunks, value_reader
from tracker.entries import counts, day_totals, logged_nights
from tracker.entries.nights import night_bounds
from tracker.models import CrampEpisode, DiaryDay, Muscle, Relief, Side, WarningSign

LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
SYMPTOM_PROFILE = "http://hl7.org/fhir/uv/symptoms/StructureDefinition/SymptomObservation"
SYMPTOM_CATEGORY = "http://hl7.org/fhir/uv/symptoms/CodeSystem/SymptomTemporary"
PATIENT_REPORTED = {
    "system": "http://terminology.hl7.org/CodeSystem/v3-ObservationValue",
    "code": "PATRPT",
    "display": "patient reported",
}
CRAMP = {"system": SNOMED, "code": "55300003", "display": "Cramp (finding)"}
# SNOMED CT body structures; shin and the two sides of the thigh use their parent structure
BODY_SITES: dict[str, tuple[str, str]] = {
    Muscle.CALF: ("53840002", "Structure of calf of leg"),
    Muscle.FOOT: ("56459004", "Foot structure"),
    Muscle.TOES: ("29707007", "Toe structure"),
    Muscle.SHIN: ("30021000", "Lower leg structure"),
    Muscle.FRONT_THIGH: ("68367000", "Thigh structure"),
    Muscle.BACK_THIGH: ("68367000", "Thigh structure"),
    Muscle.OTHER: ("61685007", "Lower limb structure"),
}
# The usual reading of a 0-10 numeric rating scale: 0-3 mild, 4-6 moderate, 7-10 severe (SNOMED CT qualifiers).
SEVERITIES = (
    (3, "255604002", "Mild"),
    (6, "6736007", "Moderate"),
    (10, "24484000", "Severe"),
)


RELIEF_WORDS = dict(Relief.choices)
SIGN_WORDS = dict(WarningSign.choices)
SIDE_WORDS = dict(Side.choices)
MUSCLE_WORDS = dict(Muscle.choices)


class CrampRow(NamedTuple):
    """What an Observation reads of a cramp, read as a plain row (values_list) rather than a model instance, for
    speed at 20 years; it reads like a CrampEpisode."""

    uuid: str
    at: datetime
    created_at: datetime
    duration_seconds: int | None
    ongoing: bool
    intensity: int | None
    muscle: str | None
    side: str | None
    woke_from_sleep: bool
    relief: list[str]
    warning_signs: list[str]
    triggers: str
    notes: str


FIELDS = CrampRow._fields
READ = [
    value_reader(
        {
            "uuid": "uuid",
            "at": "datetime",
            "created_at": "datetime",
            "ongoing": "bool",
            "woke_from_sleep": "bool",
        }.get(name, "json" if name in ("relief", "warning_signs") else "")
    )
    for name in FIELDS
]


def _severity(intensity: int) -> dict:
    code, display = next((code, display) for top, code, display in SEVERITIES if intensity <= top)
    # Translators: a cramp's intensity on the 0 to 10 scale: "7 of 10".
    text = gettext("%(intensity)s of 10") % {"intensity": intensity}
    return {"coding": [{"system": SNOMED, "code": code, "display": display}], "text": text}


def _component(loinc: str, display: str, value: dict) -> dict:
    return {
        "code": {"coding": [{"system": LOINC, "code": loinc, "display": display}]},
        "valueCodeableConcept": value,
    }


def observation(cramp, patient: str, zone) -> dict:
    """The Observation for a cramp: a CrampEpisode, or a row with its FIELDS."""
    start = cramp.at.astimezone(zone)
    relief = RELIEF_WORDS
    signs = SIGN_WORDS
    notes = []
    if cramp.woke_from_sleep:
        notes.append(gettext("Woke the person from sleep."))
    if cramp.warning_signs:
        said = ", ".join(str(signs.get(s, s)) for s in cramp.warning_signs)
        notes.append(gettext("Warning signs: %(signs)s.") % {"signs": said})
    if cramp.triggers:
        # Translators: followed by what the person typed.
        notes.append(gettext("Possible triggers: %(triggers)s") % {"triggers": cramp.triggers})
    if cramp.notes:
        notes.append(cramp.notes)
    resource: dict[str, Any] = {
        "resourceType": "Observation",
        "id": f"cramp-{cramp.uuid}",
        "meta": {"profile": [SYMPTOM_PROFILE], "security": [PATIENT_REPORTED]},
        "identifier": [{"system": "urn:ietf:rfc:3986", "value": f"urn:uuid:{cramp.uuid}"}],
        "status": "final",
        "category": [{"coding": [{"system": SYMPTOM_CATEGORY, "code": "symptom", "display": "Symptom"}]}],
        "code": {"coding": [{"system": LOINC, "code": "75325-1", "display": "Symptom"}]},
        "subject": {"reference": patient},
        # What the person did not record is left out, never filled with a guess: no end without a length, no
        # body site without a muscle, no severity without an intensity.
        "effectivePeriod": {"start": start.isoformat()},
        "issued": cramp.created_at.astimezone(zone).isoformat(),
        "performer": [{"reference": patient}],
        "valueCodeableConcept": {"coding": [CRAMP], "text": gettext("Leg cramp")},
        "component": [
            *(
                [_component("64750-3", "Severity of symptoms", _severity(cramp.intensity))]
                if cramp.intensity is not None
                else []
            ),
            *(
                _component(
                    "100753-3", "Alleviating factors - Reported", {"text": str(relief.get(code, code))}
                )
                for code in cramp.relief
                if code != Relief.NOTHING
            ),
        ],
    }
    if cramp.duration_seconds is not None and not cramp.ongoing:
        resource["effectivePeriod"]["end"] = (start + timedelta(seconds=cramp.duration_seconds)).isoformat()
    if cramp.muscle:
        site_code, site_display = BODY_SITES[cramp.muscle]
        site = l10n.mid_sentence(MUSCLE_WORDS[cramp.muscle])
        if cramp.side:
            # Translators: a body side, then a muscle in lower case: "Left calf".
            site = gettext("%(side)s %(muscle)s") % {"side": SIDE_WORDS[cramp.side], "muscle": site}
        resource["bodySite"] = {
            "coding": [{"system": SNOMED, "code": site_code, "display": site_display}],
            "text": site,
        }
    elif cramp.side:
        notes.insert(0, gettext("Side: %(side)s.") % {"side": str(SIDE_WORDS[cramp.side]).lower()})
    if not resource["component"]:
        del resource["component"]
    if notes:
        resource["note"] = [{"text": " ".join(notes)}]
    return resource


def nights_observation(user, first: date | None, last: date | None, patient: str, zone) -> dict | None:
    """How many nights of the period (or of the whole diary) were logged nights, and how many of those had cramps,
    counted as every other figure counts them (tracker/entries/logged_nights.py): a reader of the cramps alone
    could not tell a night without cramps from a night not logged. None while no night is over."""
    over = logged_nights.tonight(timezone.now(), zone) - timedelta(days=1)  # the last night that is over
    last_night = min(last or over, over)
    profile = user.profile
    if profile.rollup_key == day_totals.key(profile):  # the day totals are current: one query
        inside = Q(day__lte=last_night) if first is None else Q(day__gte=first, day__lte=last_night)
        found = DiaryDay.objects.filter(user=user).aggregate(
            start=Min("day"),
            kept=Count("id", filter=inside & logged_nights.LOGGED),
            with_cramps=Count("id", filter=inside & Q(cramps__gt=0)),
        )
        start, kept, with_cramps = first or found["start"], found["kept"], found["with_cramps"]
    else:  # right after a bulk write: counted from the entries, rather than recounting the whole diary first
        start = first or counts.diary_start(user, zone)
        if start is None or start > last_night:
            return None
        span = counts.Span(start, last_night, zone)
        cramp_nights = set(counts.cramps_by_night(user, span))
        checked = counts.checkin_nights(user, span)
        nights_seen = {
            n for n in cramp_nights | checked if logged_nights.is_logged(n in cramp_nights, n in checked)
        }
        kept, with_cramps = len(nights_seen), len(cramp_nights)
    if start is None or start > last_night:
        return None
    nights = logged_nights.Nights(start, last_night)
    # Translators: %(over)s says which nights, as "over 18 of 28 nights logged, 6 Nov to 3 Dec 2026".
    note = gettext(
        "Nights logged in a leg cramp diary: a cramp or a 'no cramps' check-in that night (noon to noon). "
        "Nights not logged are unknown, not free of cramps. Counted %(over)s."
    ) % {"over": logged_nights.over(kept, nights.first, nights.last)}

    def nights_value(n: int) -> dict:
        return {"value": n, "unit": "nights", "system": "http://unitsofmeasure.org", "code": "{nights}"}

    return {
        "resourceType": "Observation",
        "id": f"logged-nights-{nights.first:%Y%m%d}-{nights.last:%Y%m%d}",
        "meta": {"security": [PATIENT_REPORTED]},
        "status": "final",
        "code": {"text": gettext("Nights logged in the leg cramp diary")},
        "subject": {"reference": patient},
        "effectivePeriod": {
            "start": night_bounds(nights.first, zone)[0].isoformat(),
            "end": night_bounds(nights.last, zone)[1].isoformat(),
        },
        "performer": [{"reference": patient}],
        "valueQuantity": nights_value(kept),
        "component": [
            {
                "code": {"text": gettext("Logged nights with cramps")},
                "valueQuantity": nights_value(with_cramps),
            }
        ],
        "note": [{"text": note}],
    }


def _bundle_parts(user, first: date | None, last: date | None, name: str, birth_date):
    """The Bundle without its entries, the Patient's entry, the cramps to list after it, and the logged nights'
    entry that ends the Bundle (if any night is over)."""
    zone = user.profile.zone
    found = CrampEpisode.objects.for_user(user)
    if first and last:
        found = found.between(night_bounds(first, zone)[0], night_bounds(last, zone)[1])
    cramps = found.order_by("at", "uuid").values_list(*FIELDS)
    patient_url = f"urn:uuid:{uuid.uuid4()}"
    patient: dict[str, Any] = {"resourceType": "Patient", "id": patient_url.rsplit(":", 1)[1]}
    if name:
        patient["name"] = [{"text": name}]
    if birth_date:
        patient["birthDate"] = birth_date.isoformat()
    head = {
        "resourceType": "Bundle",
        "id": str(uuid.uuid4()),
        "meta": {"security": [PATIENT_REPORTED]},
        "type": "collection",
        "timestamp": timezone.now().astimezone(zone).isoformat(),
    }
    counted = nights_observation(user, first, last, patient_url, zone)
    last_entries = [] if counted is None else [{"fullUrl": f"urn:uuid:{uuid.uuid4()}", "resource": counted}]
    return head, {"fullUrl": patient_url, "resource": patient}, cramps, zone, last_entries


def _row(raw) -> CrampRow:
    return CrampRow(*(read(value) for read, value in zip(READ, raw, strict=True)))


def _entry(cramp, patient_url: str, zone) -> dict:
    return {"fullUrl": f"urn:uuid:{cramp.uuid}", "resource": observation(cramp, patient_url, zone)}


def bundle(
    user,
    first: date | None = None,
    last: date | None = None,
    name: str = "",
    birth_date=None,
    language: str | None = None,
) -> dict:
    """Every cramp, or those of the nights `first` to `last`, with a Patient holding only what the person typed;
    its words in `language` (one of settings.LANGUAGES), else the active language."""
    with l10n.in_language(language or translation.get_language()):
        head, patient, cramps, zone, last_entries = _bundle_parts(user, first, last, name, birth_date)
        rows = (_row(raw) for chunk in raw_chunks(cramps, 2000) for raw in chunk)
        return {
            **head,
            "entry": [patient, *(_entry(row, patient["fullUrl"], zone) for row in rows), *last_entries],
        }


def bundle_chunks(
    user,
    first: date | None = None,
    last: date | None = None,
    name: str = "",
    birth_date=None,
    chunk_rows: int = 2000,
    language: str | None = None,
) -> Iterator[bytes]:
    """`bundle` as UTF-8 JSON, compact (a file for a machine to read), written a chunk of cramps at a time, one
    entry per line; its words in `language`, else the language active now (the chunks are written later, after the
    view has returned, so the language is taken here and each chunk is written in it)."""
    return _chunks(user, first, last, name, birth_date, chunk_rows, language or translation.get_language())


def _chunks(user, first, last, name, birth_date, chunk_rows: int, language: str | None) -> Iterator[bytes]:
    # Each chunk is made inside the language and handed over outside it, so the language never leaks to whatever
    # runs between two chunks.
    with l10n.in_language(language):
        head, patient, cramps, zone, last_entries = _bundle_parts(user, first, last, name, birth_date)
    encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    yield (encode(head)[:-1] + ',\n"entry": [\n' + encode(patient)).encode()
    for chunk in raw_chunks(cramps, chunk_rows):
        with l10n.in_language(language):
            lines = [encode(_entry(_row(raw), patient["fullUrl"], zone)) for raw in chunk]
        yield (",\n" + ",\n".join(lines)).encode()
    for entry in last_entries:
        yield (",\n" + encode(entry)).encode()
    yield b"\n]}\n"
