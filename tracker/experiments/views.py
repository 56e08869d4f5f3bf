"""Personal experiments: start one (the plan shown before it starts), follow it, pause, resume or stop it, read its
result, and "Did it today" from Today."""

import logging
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from tracker.app import l10n
from tracker.app.http import AuthedHtmxRequest, from_outbox
from tracker.entries.changes import diary_changed
from tracker.experiments import offered_changes, progress, schedule, stats, words
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
    """Two decimals with the language's decimal mark (rounded first: number formatting cuts)."""
    return gettext("none logged") if value is None else l10n.number(round(value, 2), 2)


def percent(value: float | None) -> str:
    return gettext("none logged") if value is None else f"{value:.0%}"


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def experiments(request: AuthedHtmxRequest) -> HttpResponse:
    """The start form; posted once it shows the plan, posted again with `confirm` it starts."""
    night = tonight(request)
    running = progress.current(request.user, night)
    form = StartForm(request.POST if request.method == "POST" else None)
    plan = longer = None
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
            messages.success(
                request, gettext("Your experiment has started. Today shows which block you are in.")
            )
            return redirect("experiment", pk=experiment.pk)
        plan = schedule.plan(night, data["block_days"], ["??"] * data["pairs"])
        if data["pairs"] < max(schedule.PAIRS_CHOICES):
            longer = schedule.plan(night, data["block_days"], ["??"] * max(schedule.PAIRS_CHOICES))
    context = {
        "form": form,
        "offered": OFFERED,
        "running": running,
        "running_change": offered_changes.said(running.change_key, running.change) if running else None,
        "plan": plan,
        "pairs": [plan[i : i + 2] for i in range(0, len(plan), 2)] if plan else [],
        "plan_last": plan[-1].last if plan else None,
        "orders_now": 2 ** (len(plan) // 2) if plan else None,
        "longer": {"pairs": len(longer) // 2, "last": longer[-1].last, "orders": 2 ** (len(longer) // 2)}
        if longer
        else None,
        "past": [
            (each, offered_changes.said(each.change_key, each.change))
            for each in Experiment.objects.for_user(request.user)
        ],
    }
    return render(request, "tracker/experiments.html", context, status=400 if form.errors else 200)


@require_safe
@login_required
def experiment(request: AuthedHtmxRequest, pk: int) -> HttpResponse:
    found = get_experiment_for_user(request, pk)
    night = progress.night_of_tap(timezone.now(), timezone.get_current_timezone())
    blocks = progress.blocks_of(found, night)
    state = progress.state_of(found, night)
    results = progress.results(found, night)
    done = results.done_change
    context = {
        "experiment": found,
        "change": offered_changes.said(found.change_key, found.change),
        "offered": BY_KEY.get(found.change_key),
        "state": state,
        "blocks": blocks,
        "now_block": schedule.block_on(blocks, night) if state == progress.RUNNING else None,
        "results": results,
        "block_rows": [
            {
                "number": row.number,
                "condition": row.condition,
                "first": row.first,
                "last": row.last,
                "nights_passed": row.nights_passed,
                "said": words.block_tally(row),
            }
            for row in results.blocks
        ],
        "ratio": words.ratio_for_person(results.ratio, results.change, results.usual)
        if results.ratio
        else None,
        "done_ratio": words.ratio_for_person(results.done_ratio, done, results.usual, done_only=True)
        if results.done_ratio
        else None,
        "adherence_in_verdict": results.verdict.kind in (stats.NOT_RECORDED, stats.LOW_ADHERENCE),
        "both": results.adherence.done < results.adherence.assigned and done.nights > 0,
        "too_few_done": results.ratio is not None
        and results.done_ratio is None
        and results.adherence.done < results.adherence.assigned,
        "widened": results.ratio is not None and results.ratio.dispersion > 1,
        "per_night": {
            "change": number(results.change.per_night),
            "done": number(done.per_night),
            "usual": number(results.usual.per_night),
        },
        "share": {
            "change": percent(results.change.share_with_cramps),
            "done": percent(done.share_with_cramps),
            "usual": percent(results.usual.share_with_cramps),
        },
        "more_pairs": found.pairs < max(schedule.PAIRS_CHOICES)
        and state in (progress.FINISHED, progress.STOPPED),
        "orders_now": 2**found.pairs,
        "orders_more": 2 ** max(schedule.PAIRS_CHOICES),
        "pairs_more": max(schedule.PAIRS_CHOICES),
        "tonight": night,
        "paused_since": date.fromisoformat(found.pauses[-1][0]) if state == progress.PAUSED else None,
    }
    return render(request, "tracker/experiment.html", context)


ACTIONS = {"pause": progress.pause, "resume": progress.resume, "stop": progress.stop}
SAID = {
    "pause": gettext_lazy("Paused. Nothing is counted until you resume."),
    "resume": gettext_lazy("Resumed."),
    "stop": gettext_lazy("Stopped. Everything so far is kept."),
}


@require_POST
@login_required
def experiment_control(request: AuthedHtmxRequest, pk: int, action: str) -> HttpResponse:
    found = get_experiment_for_user(request, pk)
    if action not in ACTIONS:
        raise Http404("No such action")
    if action == "pause" and not progress.can_pause(found):
        nights = schedule.nights_in_plan(found.block_days, found.pairs)
        said = ngettext(
            "This experiment has been paused %(pauses)s times, the most an experiment of %(nights)s night can be. "
            "Carry on with it, or stop it and start a new one when you are ready.",
            "This experiment has been paused %(pauses)s times, the most an experiment of %(nights)s nights can be. "
            "Carry on with it, or stop it and start a new one when you are ready.",
            nights,
        )
        messages.error(request, said % {"pauses": len(found.pauses), "nights": nights})
        return redirect("experiment", pk=found.pk)
    with transaction.atomic():
        ACTIONS[action](found, tonight(request))
        diary_changed(request.user.pk)
    messages.success(request, str(SAID[action]))
    return redirect("experiment", pk=found.pk)


@require_POST
@login_required
def experiment_done(request: AuthedHtmxRequest) -> HttpResponse:
    """ "Did it today": the night of the moment tapped, in a change block, is marked done, once: a second tap, or
    the phone's outbox sending a tap kept offline again, changes nothing. Posted with `undo=yes`, it takes back the
    mark for the night going on now. The outbox gets JSON; a refusal is a 400
    with the reason, which the phone shows beside the kept tap."""
    if request.POST.get("undo") == "yes":
        undo_for(request)
        if request.htmx:
            return render(
                request, "tracker/_experiment_card.html", {"card": today_card(request.user, timezone.now())}
            )
        messages.success(request, gettext("Undone: tonight is no longer marked as done."))
        return redirect("today")
    form = DoneForm(request.POST)
    refused = done_for(request, form)
    if from_outbox(request):
        if refused:
            return JsonResponse({"saved": False, "message": refused}, status=400)
        return JsonResponse({"saved": True, "message": gettext("Noted: you did it.")})
    if refused and request.htmx:
        return HttpResponse(refused, status=400)
    if request.htmx:
        return render(
            request, "tracker/_experiment_card.html", {"card": today_card(request.user, timezone.now())}
        )
    if refused:
        messages.error(request, refused)
    else:
        messages.success(request, gettext("Noted: you did it today."))
    return redirect("today")


def done_for(request: AuthedHtmxRequest, form: DoneForm) -> str | None:
    """Mark the night of the moment tapped (local noon to noon, like every entry) as done, if it is in a change
    block of the person's experiment; the reason why not otherwise."""
    if not form.is_valid():
        return str(form.errors["at"][0])
    at = form.cleaned_data["at"]
    zone = timezone.get_current_timezone()
    night = progress.night_of_tap(at, zone)
    now = progress.night_of_tap(timezone.now(), zone)
    found = progress.latest(request.user, now)
    block = schedule.block_on(progress.blocks_of(found, now), night) if found is not None else None
    if found is None or block is None or not block.is_change:
        return gettext("There was no change to do that night.")
    with transaction.atomic():
        _, created = ExperimentNight.objects.get_or_create(experiment=found, night=night, defaults={"at": at})
        if created:
            diary_changed(request.user.pk)
    log.info("experiment %s: a night done (new: %s)", found.pk, created)
    return None


def undo_for(request: AuthedHtmxRequest) -> None:
    """Undo "Did it today" for the night going on now, right after the tap or later that night; a night that is
    over stays as it was."""
    now = progress.night_of_tap(timezone.now(), timezone.get_current_timezone())
    found = progress.latest(request.user, now)
    if found is None:
        return
    with transaction.atomic():
        deleted, _ = ExperimentNight.objects.filter(experiment=found, night=now).delete()
        if deleted:
            diary_changed(request.user.pk)
    log.info("experiment %s: a night undone (%s)", found.pk, deleted)
