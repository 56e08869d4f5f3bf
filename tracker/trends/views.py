"""Trends: cramps against fluid, exercise and meals over a chosen range, drawn by Chart.js from JSON."""

import json
from datetime import date

from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import pgettext
from django.views.decorators.http import require_safe

from tracker.app.http import AuthedHtmxRequest
from tracker.entries import calendar, day_totals, logged_nights
from tracker.entries.page_cache import PageCache
from tracker.experiments import offered_changes, progress
from tracker.models import Experiment
from tracker.trends import stats
from tracker.trends.forms import RANGES, RangeForm
from tracker.trends.report import build_report, chosen_span


def _report_for(
    request: AuthedHtmxRequest, experiments: list[Experiment]
) -> tuple[RangeForm, str, dict, date | None]:
    zone, today = timezone.get_current_timezone(), timezone.localdate()
    tonight = logged_nights.tonight(timezone.now(), zone)  # not over until noon: in no figure
    day_totals.make_current(request.user)
    start = day_totals.first_day(request.user)
    form = RangeForm(request.GET or None, today=today)
    key, span = chosen_span(form, tonight, zone, start)
    form.fields["start"].initial, form.fields["end"].initial = span.first, span.last
    return form, key, build_report(request.user, span, tonight, experiments, start), start


def _tonight() -> date:
    """The night going on (logged_nights.tonight): the calendar shows it "not over yet", no figure counts it."""
    return logged_nights.tonight(timezone.now(), timezone.get_current_timezone())


def _calendar(
    request: AuthedHtmxRequest, today: date, start: date | None, experiments: list[Experiment]
) -> dict:
    """The month asked for; without one, the latest month with logged nights, and the month before it too while
    this month is young."""
    asked = request.GET.get("month")
    first = calendar.month_of(asked, today, start) if asked else calendar.opening_month(request.user, today)
    before = None if asked else calendar.month_before_too(first, today, start)
    shown = []
    for one in (before, first):
        if one is not None:
            runs = progress.runs_between(experiments, one, calendar.last_of_month(one), today)
            shown.append(calendar.month(request.user, one, today, start, runs=runs))
    return {"month": shown[-1], "month_before": shown[0] if len(shown) > 1 else None}


def _experiment_link(experiments: list[Experiment], today: date) -> dict | None:
    """The running (or paused) experiment, for "Your experiment: week 3 of 8" in place of "Try a change"."""
    running = progress.running_of(experiments, today)
    if running is None:
        return None
    week, weeks = progress.week_of(running, today)
    paused = progress.state_of(running, today) == progress.PAUSED
    change = offered_changes.said(running.change_key, running.change)
    return {"experiment": running, "change": change, "week": week, "weeks": weeks, "paused": paused}


MAIN = "tracker/_trends_main.html"


@require_safe
@login_required
def trends(request: AuthedHtmxRequest) -> HttpResponse:
    """The page; its main part is kept (tracker/entries/page_cache.py) under the query string and the day, and
    answers htmx on its own: the range body for a new range, the calendar for another month."""
    today = timezone.localdate()
    tonight = _tonight()
    if request.htmx and request.htmx.target == "nights":  # the calendar's earlier and later buttons
        day_totals.make_current(request.user)
        start = day_totals.first_day(request.user)
        experiments = progress.experiments_of(request.user)
        context = {**_calendar(request, tonight, start, experiments), "range_query": _range_query(request)}
        return render(request, MAIN + "#nights-calendar", context)

    def context_for(_) -> dict:
        experiments = progress.experiments_of(request.user)
        form, key, report, start = _report_for(request, experiments)
        return {
            "form": form,
            "range_key": key,
            "ranges": [(k, str(label)) for k, (label, _) in RANGES.items()]
            + [("all", pgettext("range of dates", "All"))],
            "report": report,
            "has_diary": start is not None,
            "chart_json": json.dumps(report["data"], separators=(",", ":")),
            "diary_start": start,
            **_calendar(request, tonight, start, experiments),
            "range_query": _range_query(request),
            "headline": stats.headline(request.user, tonight, start),
            "experiment_link": _experiment_link(experiments, today),
        }

    part = "#trends-body" if request.htmx else ""
    key_parts = ("trends", part, request.get_full_path(), today.isoformat(), tonight.isoformat())
    body = PageCache.render(request, MAIN + part, context_for, key_parts)
    if request.htmx:
        return HttpResponse(body)
    return render(request, "tracker/trends.html", {"body": body})


def _range_query(request: AuthedHtmxRequest) -> str:
    """The range part of the query string, kept by the calendar's links when they work without JavaScript."""
    kept = request.GET.copy()
    kept.pop("month", None)
    return kept.urlencode()


@require_safe
@login_required
def trends_data(request: AuthedHtmxRequest) -> HttpResponse:
    """The series the charts draw, for the range in the query string (same parameters as the page). Kept until the
    diary changes, or the day (tracker/entries/page_cache.py)."""

    def build() -> bytes:
        form, key, report, _ = _report_for(request, progress.experiments_of(request.user))
        span = report["span"]
        errors = {
            field: [e["message"] for e in found] for field, found in form.errors.get_json_data().items()
        }
        data = {"range": key, "first": span.first, "last": span.last, "errors": errors, **report["data"]}
        return json.dumps(data, cls=DjangoJSONEncoder, separators=(",", ":")).encode()

    key_parts = ("trends_data", request.get_full_path(), _tonight().isoformat())
    return HttpResponse(PageCache.get_or_build(request, key_parts, build), content_type="application/json")
