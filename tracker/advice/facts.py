"""The knowledge module's tips and see-a-clinician rules, fed with facts from a person's diary.

`RecentDiary.read` fetches what both read, once per request, in a fixed number of queries: the cramps of the rules'
lookback, the last week's drinks, exercise, meals (with their foods) and check-ins, the medicines, the diary's first
cramp and check-in, and which prompts were read. Today shows the same entries, so it reads them from here too.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.db.models import Q, Subquery
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext

from knowledge import consult, tips
from tracker.entries.nights import day_bounds, last_night, night_of
from tracker.models import (
    CrampEpisode,
    Drink,
    Exercise,
    Meal,
    Medication,
    NightCheckIn,
    PromptAcknowledgement,
)

CONSULT_LOOKBACK = consult.LOOKBACK  # the longest any see-a-clinician rule looks back
TIP_WINDOW_DAYS = 7


@dataclass(frozen=True)
class RecentDiary:
    """What a person's advice reads from their diary as of `now`; all times aware."""

    user: Any
    zone: Any
    now: datetime
    window_start: datetime  # the tips' window: the last TIP_WINDOW_DAYS local days, today included
    window_end: datetime
    cramps: list[CrampEpisode]  # within the rules' lookback, oldest first
    drinks: list[Drink]  # the others: within the tips' window
    exercises: list[Exercise]
    meals: list[Meal]  # with their foods
    checkins: list[NightCheckIn]  # within the tips' window by time logged, and any for last night
    medicines: list[Medication]
    first_cramp: datetime | None
    first_checkin: date | None
    acknowledged: dict[str, datetime]

    @classmethod
    def read(cls, user, zone, now: datetime, days: int = TIP_WINDOW_DAYS) -> "RecentDiary":
        today = now.astimezone(zone).date()
        start, _ = day_bounds(today - timedelta(days=days - 1), zone)
        _, end = day_bounds(today, zone)

        def window(model):
            return model.objects.for_user(user).between(start, end)

        cramps = list(
            CrampEpisode.objects.for_user(user)
            .filter(at__gt=now - CONSULT_LOOKBACK, at__lte=max(now + timedelta(minutes=5), end))
            .order_by("at", "pk")
        )
        night = last_night(now, zone)
        checkins = NightCheckIn.objects.for_user(user).filter(Q(at__gte=start, at__lt=end) | Q(night=night))

        def first(model, column: str = "at"):
            return Subquery(model.objects.for_user(user).order_by(column).values(column)[:1])

        firsts = (
            get_user_model()
            .objects.filter(pk=user.pk)
            .values_list(first(CrampEpisode), first(NightCheckIn, "night"))
            .first()
        ) or (None, None)
        return cls(
            user=user,
            zone=zone,
            now=now,
            window_start=start,
            window_end=end,
            cramps=cramps,
            drinks=list(window(Drink)),
            exercises=list(window(Exercise)),
            meals=list(window(Meal).prefetch_related("foods")),
            checkins=list(checkins),
            medicines=list(Medication.objects.for_user(user)),
            first_cramp=firsts[0],
            first_checkin=firsts[1],
            acknowledged=dict(
                PromptAcknowledgement.objects.filter(user=user).values_list("rule_id", "acknowledged_at")
            ),
        )

    def in_window(self, entries: list) -> list:
        return [e for e in entries if self.window_start <= e.at < self.window_end]

    def consult_facts(self) -> consult.ConsultFacts:
        zone, now = self.zone, self.now
        facts = tuple(
            consult.CrampFact(
                ref=c.pk,
                at=timezone.localtime(c.at, zone),
                night=night_of(c.at, zone),
                duration_seconds=c.duration_seconds,
                intensity=c.intensity,
                woke=c.woke_from_sleep,
                relief=tuple(c.relief),
                signs=tuple(c.warning_signs),
                created_at=c.created_at,
            )
            for c in self.cramps
            if c.at <= now + timedelta(minutes=5)
        )
        today = now.astimezone(zone).date()
        medicines = tuple(
            consult.MedicineFact(ref=m.pk, name=m.name, current=m.is_current(today), created_at=m.created_at)
            for m in self.medicines
        )
        first_cramp_day = self.first_cramp.astimezone(zone).date() if self.first_cramp else None
        starts = [d for d in (first_cramp_day, self.first_checkin) if d]
        return consult.ConsultFacts(
            now=now.astimezone(zone),
            cramps=facts,
            medicines=medicines,
            diary_start=min(starts) if starts else None,
        )

    def prompts(self) -> list[consult.Prompt]:
        """Prompts the person has not acknowledged, or that newer entries have raised again."""
        shown = []
        for prompt in consult.evaluate(self.consult_facts()):
            seen_at = self.acknowledged.get(prompt.rule.id)
            if seen_at is None or any(e.created_at and e.created_at > seen_at for e in prompt.evidence):
                shown.append(prompt)
        return shown

    def tip_facts(self, days: int = TIP_WINDOW_DAYS) -> tips.TipFacts:
        """The tips' facts: the window's drinks, exercise, meals and cramps, today's nutrients, the person's unit."""
        zone, profile = self.zone, self.user.profile
        fluid: dict = defaultdict(int)
        for drink in self.drinks:
            fluid[timezone.localtime(drink.at, zone).date()] += drink.amount_ml
        exercises = tuple(
            tips.ExerciseFact(timezone.localtime(e.at, zone).date(), e.minutes, e.effort, e.heavy_sweating)
            for e in self.exercises
        )
        today_start, today_end = day_bounds(self.now.astimezone(zone).date(), zone)
        eaten: set[str] = set()
        eaten_today: set[str] = set()
        for meal in self.meals:
            for food in meal.foods.all():  # prefetched with the meals: no query here
                eaten.update(food.nutrients or [])
                if today_start <= meal.at < today_end:
                    eaten_today.update(food.nutrients or [])
        cramps = self.in_window(self.cramps)
        has_entries = bool(fluid or exercises or self.meals or cramps or self.in_window(self.checkins))
        return tips.TipFacts(
            window_days=days,
            has_entries=has_entries,
            fluid_target_ml=profile.fluid_target_ml,
            volume_unit=profile.volume_unit,  # plain data: knowledge formats volumes itself
            fluid_by_day=dict(fluid),
            exercises=exercises,
            meals=len(self.meals),
            nutrients_eaten=frozenset(eaten),
            nutrients_today=frozenset(eaten_today),
            cramp_hours=tuple(timezone.localtime(c.at, zone).hour for c in cramps),
            woken=sum(1 for c in cramps if c.woke_from_sleep),
        )


def consult_facts(user, zone, now: datetime) -> consult.ConsultFacts:
    return RecentDiary.read(user, zone, now).consult_facts()


def active_prompts(user, zone, now: datetime) -> list[consult.Prompt]:
    return RecentDiary.read(user, zone, now).prompts()


def tip_facts(user, zone, now: datetime, days: int = TIP_WINDOW_DAYS) -> tips.TipFacts:
    return RecentDiary.read(user, zone, now, days).tip_facts(days)


def warn_about_new_prompts(request: HttpRequest, entry) -> None:
    """After a save outside Today, say at once when the entry raised an urgent or soon prompt."""
    zone = timezone.get_current_timezone()
    for prompt in active_prompts(request.user, zone, timezone.now()):
        if prompt.level in (consult.URGENT, consult.SOON) and any(e.ref == entry.pk for e in prompt.evidence):
            # Translators: how soon, the note's title, then what to do: "Urgent: today – Severe cramps. Book ...".
            said = gettext("%(level)s – %(title)s. %(action)s")
            messages.warning(
                request,
                said % {"level": prompt.level_label, "title": prompt.rule.title, "action": prompt.action},
            )
