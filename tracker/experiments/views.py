"""Personal experiments: start one (the plan shown before it starts), follow it, pause, resume or stop it, read its
result, and "Did it today" from Today."""

import logging
import math
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from tracker.app.http import AuthedHtmxRequest, from_outbox
from tracker.entries.changes import diary_changed
from tracker.experiments import progress, schedule, stats
from tracker.experiments.forms import DoneForm, StartForm
from tracker.experiments.offered_changes import BY_KEY, OFFERED
from tracker.experiments.today import today_card
from tracker.models import Experiment, ExperimentNight

log = logging.getLogger(__name__)


def tonight(request: AuthedHtmxRequest):
    return progress.tonight_of(timezone.now(), timezone.get_current_timezone())


def get_experiment_for_user(request: AuthedHtmxRequest, pk: int) -> Experiment:
    return get_object_or_404(Experiment.objects.for_user(request.user), pk=pk)


def number(value: float | None) -> str:
    return "none logged" if value is None else f"{value:.2f}"


def percent(value: float | None) -> str:
    return "none logged" if value is None else f"{value:.0%}"


def ratio_words(ratio: stats.RateRatio | None) -> dict | None:
    """The ratio and its range in two decimals; an infinite bound is "no upper limit"."""
    if ratio is None:
        return None
    shown = lambda value: "no upper limit" if math.isinf(value) else f"{value:.2f}"  # noqa: E731
    return {"estimate": shown(ratio.estimate), "low": shown(ratio.low), "high": shown(ratio.high)}


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def experiments(request: AuthedHtmxRequest) -> HttpResponse:
    """The start form; posted once it shows the plan, posted again with `confirm` it starts."""
    night = tonight(request)
    running = progress.current(request.user, night)
    form = StartForm(request.POST if request.method == "POST" else None)
    plan = None
    if request.method == "POST" and running is None and form.is_valid():
        data = form.cleaned_data
        if request.POST.get("confirm") == "start":
            with transaction.atomic():
                experiment = progress.start_experiment(
                    request.user,
                    change_key=data["change_key"],
                    change=data["change"],
                    block_days=data["block_days"],
                    pairs=data["pairs"],
                    tonight=night,
                )
                diary_changed(request.user.pk)
            log.info("experiment %s started for user %s", experiment.pk, request.user.pk)
            messages.success(request, "Your experiment has started. Today shows which block you are in.")
            return redirect("experiment", pk=experiment.pk)
        plan = schedule.plan(night, data["block_days"], ["??"] * data["pairs"])
    context = {
        "form": form,
        "offered": OFFERED,
        "running": running,
        "plan": plan,
        "past": Experiment.objects.for_user(request.user),
    }
    return render(request, "tracker/experiments.html", context, status=400 if form.errors else 200)


@require_safe
@login_required
def experiment(request: AuthedHtmxRequest, pk: int) -> HttpResponse:
    found = get_experiment_for_user(request, pk)
    night = tonight(request)
    blocks = progress.blocks_of(found, night)
    state = progress.state_of(found, night)
    results = progress.results(found, night)
    context = {
        "experiment": found,
        "offered": BY_KEY.get(found.change_key),
        "state": state,
        "blocks": blocks,
        "now_block": schedule.block_on(blocks, night) if state == progress.RUNNING else None,
        "results": results,
        "ratio": ratio_words(results.ratio),
        "per_night": {"change": number(results.change.per_night), "usual": number(results.usual.per_night)},
        "share": {
            "change": percent(results.change.share_with_cramps),
            "usual": percent(results.usual.share_with_cramps),
        },
        "tonight": night,
        "paused_since": date.fromisoformat(found.pauses[-1][0]) if state == progress.PAUSED else None,
    }
    return render(request, "tracker/experiment.html", context)


ACTIONS = {"pause": progress.pause, "resume": progress.resume, "stop": progress.stop}
SAID = {
    "pause": "Paused. Nothing is counted until you resume.",
    "resume": "Resumed.",
    "stop": "Stopped. Everything so far is kept.",
}


@require_POST
@login_required
def experiment_control(request: AuthedHtmxRequest, pk: int, action: str) -> HttpResponse:
    found = get_experiment_for_user(request, pk)
    if action not in ACTIONS:
        raise Http404("No such action")
    if action == "pause" and not progress.can_pause(found):
        nights = schedule.nights_in_plan(found.block_days, found.pairs)
        messages.error(
            request,
            f"This experiment has been paused {len(found.pauses)} times, the most an experiment of {nights} "
            "nights can be. Carry on with it, or stop it and start a new one when you are ready.",
        )
        return redirect("experiment", pk=found.pk)
    with transaction.atomic():
        ACTIONS[action](found, tonight(request))
        diary_changed(request.user.pk)
    messages.success(request, SAID[action])
    return redirect("experiment", pk=found.pk)


@require_POST
@login_required
def experiment_done(request: AuthedHtmxRequest) -> HttpResponse:
    """ "Did it today": the night of the moment tapped, in a change block, is marked done, once: a second tap, or
    the phone's outbox sending a tap kept offline again, changes nothing. The outbox gets JSON; a refusal is a 400
    with the reason, which the phone shows beside the kept tap."""
    form = DoneForm(request.POST)
    refused = done_for(request, form)
    if from_outbox(request):
        if refused:
            return JsonResponse({"saved": False, "message": refused}, status=400)
        return JsonResponse({"saved": True, "message": "Noted: you did it."})
    if refused and request.htmx:
        return HttpResponse(refused, status=400)
    if request.htmx:
        return render(
            request, "tracker/_experiment_card.html", {"card": today_card(request.user, timezone.now())}
        )
    if refused:
        messages.error(request, refused)
    else:
        messages.success(request, "Noted: you did it today.")
    return redirect("today")


def done_for(request: AuthedHtmxRequest, form: DoneForm) -> str | None:
    """Mark the night of the moment tapped as done, if it is in a change block of the person's experiment; the
    reason why not otherwise."""
    if not form.is_valid():
        return str(form.errors["at"][0])
    at = form.cleaned_data["at"]
    night = progress.tonight_of(at, timezone.get_current_timezone())
    now = tonight(request)
    found = progress.latest(request.user, now)
    block = schedule.block_on(progress.blocks_of(found, now), night) if found is not None else None
    if found is None or block is None or not block.is_change:
        return "There was no change to do that day."
    with transaction.atomic():
        _, created = ExperimentNight.objects.get_or_create(experiment=found, night=night, defaults={"at": at})
        if created:
            diary_changed(request.user.pk)
    log.info("experiment %s: a night done (new: %s)", found.pk, created)
    return None
