"""A heavy diary: 20 years of busy logging for one person, about 200,000 entries, written as the import writes.

`build_heavy(user, days=7305)` gives about 76,000 cramps (on 72 nights in 100, 1 to 28 a night, with intensity,
length, muscle and side mostly recorded, some warning signs and notes in several scripts), a check-in for each
night without cramps, 13 drinks and 3 meals (with 1 to 3 foods) a day, exercise on 9 days in 10, 40 medicines and
supplements and two personal experiments with nights marked done. The same seed and days give the same diary.
A smaller `days` gives the same kind of diary at a smaller size (73 days: about 2,000 entries) for the test suite.
"""

import random
import uuid
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from knowledge.models import Food
from tracker.data.inserts import insert_many
from tracker.entries.changes import diary_changed
from tracker.experiments.schedule import draw_orders
from tracker.models import (
    CrampEpisode,
    Drink,
    DrinkKind,
    Effort,
    Exercise,
    Experiment,
    ExperimentNight,
    Meal,
    MealKind,
    Medication,
    MedicationKind,
    Muscle,
    NightCheckIn,
    Relief,
    Side,
    WarningSign,
)

TWENTY_YEARS = 7305
NOTES = [
    "Woke at 3, calf like a rock",
    "Nuit blanche, crampe au mollet",
    "夜中に足がつった",
    "=after the long walk",  # starts like a spreadsheet formula
    "Stretched, walked it off; sore next morning",
    "Zoë's wedding: danced all evening",
]
TRIGGERS = ["long walk", "hot day", "little to drink", "new shoes", ""]
ACTIVITIES = [("Walking", Effort.LIGHT), ("Cycling", Effort.MODERATE), ("Tennis", Effort.VIGOROUS)]
BATCH = 5000


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def build_heavy(
    user, days: int = TWENTY_YEARS, seed: int = 20, end: date | None = None, zone_name: str = "Europe/London"
) -> dict[str, int]:
    """Add `days` days of heavy logging to `user`'s diary, ending two days ago (or `end`: a night's cramps and its
    check-in fall on the next morning, so nothing is in the future); returns the count of each kind."""
    rng = random.Random(seed)
    zone = ZoneInfo(zone_name)
    last = end or timezone.now().astimezone(zone).date() - timedelta(days=2)
    first = last - timedelta(days=days - 1)
    foods = list(Food.objects.order_by("slug").values_list("pk", flat=True))
    muscles, sides = list(Muscle.values), list(Side.values)
    reliefs, signs = [r for r in Relief.values if r != Relief.NOTHING], list(WarningSign.values)
    drink_kinds = list(DrinkKind.values)
    counts = dict.fromkeys(["cramps", "checkins", "drinks", "exercise", "meals", "medications"], 0)
    pending: dict[type, list[dict]] = {CrampEpisode: [], NightCheckIn: [], Drink: [], Exercise: [], Meal: []}
    now = timezone.now()
    meal_foods: list[tuple[uuid.UUID, list[int]]] = []

    def at(day: date, hour: float) -> datetime:
        return datetime.combine(day, time(0), tzinfo=zone) + timedelta(hours=hour)

    def flush(force: bool = False) -> None:
        for model, objects in pending.items():
            if objects and (force or len(objects) >= BATCH):
                insert_many(model, objects, {"user_id": user.pk}, now)
                objects.clear()
        if meal_foods and (force or len(meal_foods) >= BATCH):
            by_uuid = dict(
                Meal.objects.filter(user=user, uuid__in=[u for u, _ in meal_foods]).values_list("uuid", "pk")
            )
            Meal.foods.through.objects.bulk_create(
                [
                    Meal.foods.through(meal_id=by_uuid[u], food_id=f)
                    for u, picked in meal_foods
                    for f in picked
                ],
                batch_size=1000,
            )
            meal_foods.clear()

    with transaction.atomic():
        day = first
        while day <= last:
            if rng.random() < 0.72:
                for _ in range(rng.randint(1, 28)):
                    pending[CrampEpisode].append(
                        dict(
                            uuid=_uuid(rng),
                            at=at(day, 21 + rng.random() * 10),
                            intensity=None if rng.random() < 0.1 else rng.randint(0, 10),
                            duration_seconds=None if rng.random() < 0.15 else rng.randint(5, 900),
                            muscle=None if rng.random() < 0.1 else rng.choice(muscles),
                            side=None if rng.random() < 0.1 else rng.choice(sides),
                            woke_from_sleep=rng.random() < 0.6,
                            sleep_disturbance=rng.randint(0, 10) if rng.random() < 0.3 else None,
                            relief=rng.sample(reliefs, rng.randint(0, 2)),
                            warning_signs=rng.sample(signs, 1) if rng.random() < 0.01 else [],
                            triggers=rng.choice(TRIGGERS) if rng.random() < 0.2 else "",
                            notes=rng.choice(NOTES) if rng.random() < 0.05 else "",
                        )
                    )
                    counts["cramps"] += 1
            else:
                pending[NightCheckIn].append(dict(uuid=_uuid(rng), at=at(day, 31 + rng.random()), night=day))
                counts["checkins"] += 1
            for index in range(13):
                pending[Drink].append(
                    dict(
                        uuid=_uuid(rng),
                        at=at(day, 7 + index + rng.random()),
                        amount_ml=rng.choice((150, 200, 250, 330, 500)),
                        kind=rng.choice(drink_kinds),
                    )
                )
            counts["drinks"] += 13
            for kind, hour in ((MealKind.BREAKFAST, 8), (MealKind.LUNCH, 13), (MealKind.DINNER, 19)):
                meal = dict(
                    uuid=_uuid(rng),
                    at=at(day, hour + rng.random()),
                    kind=kind,
                    description=rng.choice(["", "Porridge", "Salmon and greens", "Lentil soup, bread"]),
                )
                pending[Meal].append(meal)
                meal_foods.append((meal["uuid"], rng.sample(foods, rng.randint(1, min(3, len(foods))))))
            counts["meals"] += 3
            if rng.random() < 0.9:
                activity, effort = rng.choice(ACTIVITIES)
                pending[Exercise].append(
                    dict(
                        uuid=_uuid(rng),
                        at=at(day, 17 + rng.random()),
                        activity=activity,
                        minutes=rng.randint(10, 90),
                        effort=effort,
                        heavy_sweating=rng.random() < 0.2,
                    )
                )
                counts["exercise"] += 1
            flush()
            day += timedelta(days=1)
        flush(force=True)
        medications = []
        for index in range(40):
            started = first + timedelta(days=rng.randint(0, days - 1))
            stopped = started + timedelta(days=rng.randint(10, 400)) if index % 3 else None
            medications.append(
                Medication(
                    user=user,
                    uuid=_uuid(rng),
                    name=f"Medicine {index + 1}",
                    dose=rng.choice(["", "1 tablet", "40 mg"]),
                    kind=rng.choice(MedicationKind.values),
                    started=started,
                    stopped=stopped if stopped and stopped <= last else None,
                    as_needed=index % 7 == 0,
                )
            )
        Medication.objects.bulk_create(medications)
        counts["medications"] = len(medications)
        _experiments(user, rng, first, last)
        diary_changed(user.pk, whole_diary=True)
    return counts


def _experiments(user, rng: random.Random, first: date, last: date) -> None:
    """One finished experiment with a pause, one stopped early; each with nights marked done."""
    for start, stopped, pauses in (
        (first + timedelta(days=3), None, [[(first + timedelta(days=10)).isoformat(), None]]),
        (max(first, last - timedelta(days=20)), last - timedelta(days=2), []),
    ):
        if pauses:
            pauses[0][1] = (first + timedelta(days=12)).isoformat()
        seed = rng.getrandbits(32)
        experiment = Experiment.objects.create(
            user=user,
            change_key="stretch",
            change="stretch your calves before bed",
            block_days=7,
            pairs=2,
            seed=seed,
            orders=draw_orders(seed, 2),
            start=start,
            pauses=pauses,
            stopped_on=stopped if stopped and stopped >= start else None,
        )
        ExperimentNight.objects.bulk_create(
            ExperimentNight(
                experiment=experiment,
                night=start + timedelta(days=offset),
                at=datetime.combine(start + timedelta(days=offset), time(21), tzinfo=ZoneInfo("UTC")),
            )
            for offset in range(0, 14, 2)
            if start + timedelta(days=offset) <= last
        )
