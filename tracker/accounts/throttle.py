"""Limits on how often one client (or one email address) may ask for something: sign-ups and password resets. Each
request is a row (tracker.models.RateLimitHit, keyed by a hash), so every app server sees the same counts."""

import hashlib
from datetime import timedelta

from axes.helpers import get_client_ip_address
from django.http import HttpRequest
from django.utils import timezone

from tracker.models import RateLimitHit

WINDOW = timedelta(hours=1)
LIMITS = {"signup": 10, "reset-client": 10, "reset-address": 3}


def client_key(request: HttpRequest) -> str:
    """The client's address as the login lockout sees it (django-ipware, settings.TRUSTED_PROXIES)."""
    return get_client_ip_address(request) or "unknown"


def allowed(scope: str, value: str) -> bool:
    """Count one request for `value` under `scope`; False once the scope's limit for the last hour is reached."""
    key = hashlib.sha256(f"{scope}:{value.strip().lower()}".encode()).hexdigest()
    now = timezone.now()
    recent = RateLimitHit.objects.filter(scope=scope, key=key, at__gt=now - WINDOW).count()
    if recent >= LIMITS[scope]:
        return False
    RateLimitHit.objects.create(scope=scope, key=key, at=now)
    return True
