"""A realistic demo diary: deterministic for a given start day, built with bulk inserts."""

import random
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction

from knowledge.models import Food
from tracker.entries.changes import diary_changed
from tracker.entries.nights import night_of
from tracker.models import (
    CrampEpisode,
    Drink,
    DrinkKind,
    Effort,
    Exercise,
    Meal,
    MealKind,
    Medication,
    MedicationKind,
    Muscle,
    NightCheckIn,
    Relief,
    Side,
)

ACTIVITIES = [
    ("Walking", Effort.LIGHT),
    ("Cycling", Effort.MODERATE),
    ("Gardening", Effort.MODERATE),
    ("Swimming", Effort.MODERATE),
    ("Hill walk", Effort.VIGOROUS),
    ("Tennis", Effort.VIGOROUS),
]
MEAL_TIMES = [(MealKind.BREAKFAST, 8), (MealKind.LUNCH, 13), (MealKind.DINNER, 19)]
MEAL_WORDS = {
    MealKind.BREAKFAST: ["Porridge with banana", "Yogurt and almonds", "Eggs on toast", "Cereal with milk"],
    MealKind.LUNCH: ["Spinach salad", "Salmon sandwich", "Lentil soup", "Jacket sweet potato"],
    MealKind.DINNER: [
        "Salmon, greens and rice",
        "Chicken and vegetables",
        "Bean chilli",
        "Pasta with spinach",
    ],
}


def build_diary(
    user,
    zone: ZoneInfo,
    first_day: date,
    last_day: date,
    now: datetime,
    seed: int = 7,
    cramps_max_per_day: int = 1,
    drinks_per_day: int = 4,
    foods_per_meal: int = 2,
    exercise_chance: float = 0.7,
) -> dict[str, int]:
    """Replace `user`'s diary with generated entries from first_day to last_day (local days).

    Cramps come more often after low-fluid or vigorous, sweaty days, the way such diaries tend to look, so the
    trends and tips have something real to find.
    """
    rng = random.Random(seed)
    foods = list(Food.objects.all())
    cramps: list[CrampEpisode] = []
    checkins, drinks, exercises, meals, meal_foods = [], [], [], [], []

    def at(day: date, hour: float) -> datetime:
        moment = datetime.combine(day, time(0), tzinfo=zone) + timedelta(hours=hour)
        return moment

    day = first_day
    kind: DrinkKind | MealKind
    while day <= last_day:
        fluid = 0
        for index in range(drinks_per_day):
            when = at(day, 7.5 + index * (12 / drinks_per_day) + rng.random())
            if when > now:
                break
            kind = (
                DrinkKind.COFFEE_TEA
                if index == 0
                else rng.choice(
                    [DrinkKind.WATER] * 6 + [DrinkKind.MILK, DrinkKind.ELECTROLYTE, DrinkKind.COCONUT_WATER]
                )
            )
            amount = rng.choice([200, 250, 300, 500, 500, 750])
            fluid += amount
            drinks.append(Drink(user=user, at=when, amount_ml=amount, kind=kind))
        sweaty = False
        if rng.random() < exercise_chance:
            activity, effort = rng.choice(ACTIVITIES)
            when = at(day, 10 + rng.random() * 6)
            if when <= now:
                sweaty = effort == Effort.VIGOROUS and rng.random() < 0.7
                exercises.append(
                    Exercise(
                        user=user,
                        at=when,
                        activity=activity,
                        minutes=rng.choice([20, 30, 45, 60]),
                        effort=effort,
                        heavy_sweating=sweaty,
                    )
                )
        for kind, hour in MEAL_TIMES:
            when = at(day, hour + rng.random())
            if when > now:
                break
            meal = Meal(user=user, at=when, kind=kind, description=rng.choice(MEAL_WORDS[kind]))
            meals.append(meal)
            meal_foods.append(rng.sample(foods, min(foods_per_meal, len(foods))) if foods else [])
        risk = 0.25 + (0.25 if fluid < 1200 else 0) + (0.3 if sweaty else 0)
        count = sum(1 for _ in range(cramps_max_per_day) if rng.random() < risk)
        night_start = at(day, 22)
        for _ in range(count):
            when = night_start + timedelta(hours=rng.random() * 8)
            if when > now:
                continue
            intensity = min(10, max(1, round(rng.gauss(5, 2))))
            cramp = CrampEpisode(
                user=user,
                at=when,
                duration_seconds=rng.choice([30, 60, 120, 180, 300, 480]),
                intensity=intensity,
                muscle=rng.choice([Muscle.CALF] * 5 + [Muscle.FOOT, Muscle.TOES, Muscle.BACK_THIGH]),
                side=rng.choice(Side.values),
                woke_from_sleep=when.astimezone(zone).hour < 6,
                relief=[rng.choice([Relief.STRETCHING, Relief.WALKING, Relief.MASSAGE])],
                triggers="Long walk" if sweaty else "",
            )
            # As in real diaries, some cramps were saved in two taps and never given the details.
            if len(cramps) % 6 == 5:
                cramp.intensity = cramp.side = None
            if len(cramps) % 9 == 8:
                cramp.duration_seconds = cramp.muscle = None
            cramps.append(cramp)
        if count == 0 and night_start + timedelta(hours=10) <= now and rng.random() < 0.8:
            checkins.append(NightCheckIn(user=user, at=night_start + timedelta(hours=10), night=day))
        day += timedelta(days=1)

    # A cramp may fall after midnight into the next day; the check-in is for nights with none.
    cramp_nights = {night_of(c.at, zone) for c in cramps}
    checkins = [c for c in checkins if c.night not in cramp_nights]

    with transaction.atomic():
        for model in (CrampEpisode, NightCheckIn, Drink, Exercise, Meal, Medication):
            model.objects.filter(user=user).delete()
        CrampEpisode.objects.bulk_create(cramps, batch_size=2000)
        NightCheckIn.objects.bulk_create(checkins, batch_size=2000)
        Drink.objects.bulk_create(drinks, batch_size=2000)
        Exercise.objects.bulk_create(exercises, batch_size=2000)
        created_meals = Meal.objects.bulk_create(meals, batch_size=2000)
        if created_meals and created_meals[0].pk is None:  # backends that don't return ids
            created_meals = list(Meal.objects.filter(user=user).order_by("at", "pk"))
        Through = Meal.foods.through
        Through.objects.bulk_create(
            [
                Through(meal_id=meal.pk, food_id=food.pk)
                for meal, chosen in zip(created_meals, meal_foods, strict=True)
                for food in chosen
            ],
            batch_size=5000,
        )
        diary_changed(user.pk, whole_diary=True)  # bulk writes send no signals
        Medication.objects.bulk_create(
            [
                Medication(
                    user=user,
                    name="Atorvastatin",
                    dose="20 mg tablet, once a day",
                    kind=MedicationKind.MEDICINE,
                    started=first_day - timedelta(days=400),
                ),
                Medication(
                    user=user,
                    name="Vitamin D3",
                    dose="1 tablet a day (as on the pack)",
                    kind=MedicationKind.SUPPLEMENT,
                    started=first_day + timedelta(days=20),
                ),
                Medication(
                    user=user,
                    name="Paracetamol",
                    dose="500 mg tablets",
                    kind=MedicationKind.MEDICINE,
                    as_needed=True,
                    started=first_day,
                ),
            ]
        )
    return {
        "cramps": len(cramps),
        "checkins": len(checkins),
        "drinks": len(drinks),
        "exercise": len(exercises),
        "meals": len(meals),
    }
