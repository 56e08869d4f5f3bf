"""Trends: how cramps change week by week. The charts issue builds on this page."""

from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from tracker.models import CrampEpisode
from tracker.nights import day_bounds

WEEKS_SHOWN = 8


@require_GET
@login_required
def trends(request: HttpRequest) -> HttpResponse:
    zone = timezone.get_current_timezone()
    today = timezone.localdate()
    first_day = today - timedelta(days=7 * WEEKS_SHOWN - 1)
    start, _ = day_bounds(first_day, zone)
    _, end = day_bounds(today, zone)
    weeks = [
        {"start": first_day + timedelta(days=7 * i), "count": 0, "top": None} for i in range(WEEKS_SHOWN)
    ]
    for at, intensity in (
        CrampEpisode.objects.for_user(request.user).between(start, end).values_list("at", "intensity")
    ):
        week = weeks[(timezone.localtime(at, zone).date() - first_day).days // 7]
        week["count"] += 1
        week["top"] = max(week["top"] or 0, intensity)
    for week in weeks:
        week["end"] = week["start"] + timedelta(days=6)
    weeks.reverse()
    return render(request, "tracker/trends.html", {"weeks": weeks, "total": sum(w["count"] for w in weeks)})
