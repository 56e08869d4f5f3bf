"""Share links: a read-only summary for a clinician, opened by a token of which only a hash is kept."""

import hashlib
import logging
import secrets

from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation

from tracker.app import l10n
from tracker.models import ShareLink

log = logging.getLogger(__name__)

TOKEN_BYTES = 32  # 256 bits from the operating system's random source
# Links that still work, per person: far more than anyone shares at once, and each keeps a page and a PDF.
MAX_WORKING_LINKS = 20
SHARED_HEADERS = {
    "X-Robots-Tag": "noindex, nofollow",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store, private",
}


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def with_shared_headers(response: HttpResponse, language: str | None = None) -> HttpResponse:
    """What a shared page or PDF says to robots, referrers and caches: nothing to keep; and, for a page rendered in
    a language other than the request's (the link's own), which one (LocaleMiddleware would name the request's)."""
    for header, value in SHARED_HEADERS.items():
        response[header] = value
    if language:
        response["Content-Language"] = language
    return response


def open_link(request: HttpRequest, token: str) -> ShareLink | HttpResponse:
    link = None
    if 20 <= len(token) <= 100:
        link = ShareLink.objects.select_related("user__profile").filter(token_hash=hash_token(token)).first()
    now = timezone.now()
    if link is None or not link.is_valid(now):
        # A link that is known but expired says so in its own language; an unknown one in the request's.
        with l10n.in_language(link.language if link else translation.get_language()):
            response = render(request, "tracker/shared_gone.html", status=404 if link is None else 410)
            with_shared_headers(response, language=translation.get_language())
        return response
    ShareLink.objects.filter(pk=link.pk).update(open_count=F("open_count") + 1, last_opened_at=now)
    what = "pdf" if request.path.endswith("/pdf/") else "page"
    log.info("share link %s of user %s opened (%s)", link.pk, link.user_id, what)
    return link
