"""Limits on how often one client (or one email address, or one username) may ask for something: sign-ups, password
resets and log-ins. Sign-up and reset requests are rows (tracker.models.RateLimitHit, keyed by a hash); log-in
failures are django-axes' rows. Both are in the database, so every app server sees the same counts. A client is
who tracker.app.client.client_address says it is."""

import hashlib
from datetime import timedelta

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt, AccessLog
from django.conf import settings
from django.db.models import Max, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from tracker.app.client import client_address
from tracker.models import RateLimitHit

HOUR, DAY = timedelta(hours=1), timedelta(days=1)
# Each scope: how many requests for one key within how long. Confirmation links are counted apart from resets, so
# a stranger's claim on an address never uses up its confirmed owner's resets.
LIMITS = {
    "signup": (10, HOUR),
    "reset-client": (10, HOUR),
    "reset-address": (3, HOUR),
    "confirm-account": (5, DAY),
    "confirm-address": (3, DAY),
}
LONGEST_WINDOW = max(window for _, window in LIMITS.values())  # manage.py prune keeps rows this long
# Failed log-ins for one username from any clients within the lockout's 15 minutes, past which the username can be
# tried from a client that never logged in to it at most once a USERNAME_PACE.
USERNAME_FAILURES = 10
USERNAME_PACE = timedelta(minutes=1)


def client_key(request: HttpRequest) -> str:
    """The client, as the log-in lockout counts it."""
    return client_address(request)


def allowed(scope: str, value: str) -> bool:
    """Count one request for `value` under `scope`; False once the scope's limit for its window is reached."""
    return allowed_all({scope: value})


def allowed_all(asked: dict[str, str]) -> bool:
    """Count one request under each scope for its value, or, when any scope's limit is reached, count none."""
    now = timezone.now()
    keys = {scope: hashed_key(scope, value) for scope, value in asked.items()}
    for scope, key in keys.items():
        limit, window = LIMITS[scope]
        if RateLimitHit.objects.filter(scope=scope, key=key, at__gt=now - window).count() >= limit:
            return False
    RateLimitHit.objects.bulk_create(
        RateLimitHit(scope=scope, key=key, at=now) for scope, key in keys.items()
    )
    return True


def hashed_key(scope: str, value: str) -> str:
    return hashlib.sha256(f"{scope}:{value.strip().lower()}".encode()).hexdigest()


class LoginThrottle(AxesDatabaseHandler):
    """django-axes' lockout (5 wrong passwords for one username from one client pause that pair for 15 minutes),
    plus a pace for the username. Guessing from many addresses passes the first, so past USERNAME_FAILURES failures
    for a username from any clients, a client that never logged in to it may try it once a USERNAME_PACE. A client
    it has logged in from before (django-axes' access log) is never slowed, so the owner can't be locked out by
    someone else's guessing, and a refusal is a short wait, never a lockout."""

    def is_locked(self, request, credentials: dict | None = None) -> bool:
        if super().is_locked(request, credentials):
            return True
        if self.is_paced(request, credentials):
            request.axes_locked_out = True  # answered by lockout_answer, not as a wrong password
            request.axes_paced = True
            return True
        return False

    def is_paced(self, request, credentials: dict | None = None) -> bool:
        username = get_client_username(request, credentials)
        if not username:
            return False
        recent = AccessAttempt.objects.filter(
            username=username, attempt_time__gte=get_cool_off_threshold(request)
        )
        found = recent.aggregate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
        if (found["failures"] or 0) < USERNAME_FAILURES:
            return False
        if request.axes_attempt_time - found["last"] >= USERNAME_PACE:  # a minute since the last try
            return False
        return not AccessLog.objects.filter(username=username, ip_address=request.axes_ip_address).exists()


def lockout_answer(request, original_response=None, credentials: dict | None = None) -> HttpResponse:
    """The page for a refused log-in (AXES_LOCKOUT_CALLABLE): "try again in a minute" for the username's pace, and
    the 15-minute pause once this client has had its 5 tries."""
    pair_locked = (getattr(request, "axes_failures_since_start", None) or 0) >= settings.AXES_FAILURE_LIMIT
    if getattr(request, "axes_paced", False) and not pair_locked:
        response = render(request, "registration/try_again_soon.html", status=429)
        response["Retry-After"] = str(int(USERNAME_PACE.total_seconds()))
        return response
    return render(request, settings.AXES_LOCKOUT_TEMPLATE, status=429)
