"""The knowledge module's tips and see-a-clinician rules, fed with facts from a person's diary."""

from collections import defaultdict
from datetime import datetime, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Min
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from knowledge import consult, tips
from tracker.models import (
    CrampEpisode,
    Drink,
    Exercise,
    Meal,
    Medication,
    NightCheckIn,
    PromptAcknowledgement,
)
from tracker.nights import day_bounds, night_of

CONSULT_LOOKBACK = timedelta(days=8 * 7)
TIP_WINDOW_DAYS = 7


def consult_facts(user, zone, now: datetime) -> consult.ConsultFacts:
    cramps = CrampEpisode.objects.for_user(user).filter(
        at__gt=now - CONSULT_LOOKBACK, at__lte=now + timedelta(minutes=5)
    )
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
        for c in cramps
    )
    today = now.astimezone(zone).date()
    medicines = tuple(
        consult.MedicineFact(ref=m.pk, name=m.name, current=m.is_current(today), created_at=m.created_at)
        for m in Medication.objects.for_user(user).only("name", "stopped", "created_at")
    )
    first_cramp = CrampEpisode.objects.for_user(user).aggregate(first=Min("at"))["first"]
    first_checkin = NightCheckIn.objects.for_user(user).aggregate(first=Min("night"))["first"]
    starts = [d for d in (first_cramp and first_cramp.astimezone(zone).date(), first_checkin) if d]
    return consult.ConsultFacts(
        now=now.astimezone(zone),
        cramps=facts,
        medicines=medicines,
        diary_start=min(starts) if starts else None,
    )


def active_prompts(user, zone, now: datetime) -> list[consult.Prompt]:
    """Prompts the person has not acknowledged, or that newer entries have raised again."""
    acknowledged = dict(
        PromptAcknowledgement.objects.filter(user=user).values_list("rule_id", "acknowledged_at")
    )
    shown = []
    for prompt in consult.evaluate(consult_facts(user, zone, now)):
        seen_at = acknowledged.get(prompt.rule.id)
        if seen_at is None or any(e.created_at and e.created_at > seen_at for e in prompt.evidence):
            shown.append(prompt)
    return shown


def tip_facts(user, zone, now: datetime, days: int = TIP_WINDOW_DAYS) -> tips.TipFacts:
    today = now.astimezone(zone).date()
    start, _ = day_bounds(today - timedelta(days=days - 1), zone)
    _, end = day_bounds(today, zone)

    def window(model):
        return model.objects.for_user(user).between(start, end)

    fluid: dict = defaultdict(int)
    for at, ml in window(Drink).values_list("at", "amount_ml"):
        fluid[timezone.localtime(at, zone).date()] += ml
    exercises = tuple(
        tips.ExerciseFact(timezone.localtime(at, zone).date(), minutes, effort, sweat)
        for at, minutes, effort, sweat in window(Exercise).values_list(
            "at", "minutes", "effort", "heavy_sweating"
        )
    )
    meal_ids = list(window(Meal).values_list("pk", flat=True))
    eaten: set[str] = set()
    for nutrients in Meal.foods.through.objects.filter(meal_id__in=meal_ids).values_list(
        "food__nutrients", flat=True
    ):
        eaten.update(nutrients or [])
    cramps = list(window(CrampEpisode).values_list("at", "woke_from_sleep"))
    # A week of nothing but "no cramps" check-ins is still a diary: only then is the extra query needed.
    has_entries = bool(fluid or exercises or meal_ids or cramps) or window(NightCheckIn).exists()
    return tips.TipFacts(
        window_days=days,
        has_entries=has_entries,
        fluid_target_ml=user.profile.fluid_target_ml,
        fluid_by_day=dict(fluid),
        exercises=exercises,
        meals=len(meal_ids),
        nutrients_eaten=frozenset(eaten),
        cramp_hours=tuple(timezone.localtime(at, zone).hour for at, _ in cramps),
        woken=sum(1 for _, woke in cramps if woke),
    )


def warn_about_new_prompts(request: HttpRequest, entry) -> None:
    """After a save outside Today, say at once when the entry raised an urgent or soon prompt."""
    zone = timezone.get_current_timezone()
    for prompt in active_prompts(request.user, zone, timezone.now()):
        if prompt.level in (consult.URGENT, consult.SOON) and any(e.ref == entry.pk for e in prompt.evidence):
            messages.warning(request, f"{prompt.level_label}: {prompt.rule.title}. {prompt.action}")


@require_GET
@login_required
def tips_page(request: HttpRequest) -> HttpResponse:
    zone, now = timezone.get_current_timezone(), timezone.now()
    return render(
        request,
        "tracker/tips.html",
        {
            "tips": tips.tips_for(tip_facts(request.user, zone, now)),
            "prompts": active_prompts(request.user, zone, now),
            "window_days": TIP_WINDOW_DAYS,
        },
    )
