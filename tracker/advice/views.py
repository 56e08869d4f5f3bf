from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from knowledge import tips
from tracker.advice.facts import TIP_WINDOW_DAYS, RecentDiary
from tracker.app.http import AuthedHtmxRequest


@require_safe
@login_required
def tips_page(request: AuthedHtmxRequest) -> HttpResponse:
    recent = RecentDiary.read(request.user, timezone.get_current_timezone(), timezone.now())
    return render(
        request,
        "tracker/tips.html",
        {
            "tips": tips.tips_for(recent.tip_facts()),
            "prompts": recent.prompts(),
            "window_days": TIP_WINDOW_DAYS,
        },
    )
