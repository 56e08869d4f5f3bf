import logging
from collections.abc import Callable
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponse
from django.middleware.gzip import GZipMiddleware
from django.utils import timezone, translation

from tracker.app.l10n import language_or_none
from tracker.models import Profile

log = logging.getLogger(__name__)


class UserTimeZoneMiddleware:
    """Show and read times in the signed-in person's own time zone; storage stays UTC."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        zone = None
        if request.user.is_authenticated:
            try:
                # Read with the person by UserWithProfileBackend (tracker/app/auth_backend.py): no query here.
                profile = request.user.profile
            except Profile.DoesNotExist:
                profile, _ = Profile.objects.get_or_create(user=request.user)
            request.user.profile = profile
            try:
                zone = ZoneInfo(profile.time_zone)
            except (ZoneInfoNotFoundError, ValueError):
                zone = None
        if zone is not None:
            timezone.activate(zone)
        else:
            timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


class PermissionsPolicyMiddleware:
    """A diary needs no camera, microphone, location, payment or USB: say so, for this page and any frame."""

    POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), browsing-topics=()"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.POLICY)
        return response


def accepts_body_up_to(limit: int, too_large: Callable[..., HttpResponse]):
    """Let a view take request bodies of up to `limit` bytes (every other view takes DATA_UPLOAD_MAX_MEMORY_SIZE);
    a larger one is answered by `too_large` before anything reads it (RequestBodyLimitMiddleware)."""

    def declare(view):
        view.body_limit = limit
        view.body_too_large = too_large
        return view

    return declare


class RequestBodyLimitMiddleware:
    """Refuse a request whose Content-Length is over what its view takes, before the body is read: the CSRF check
    would otherwise parse it, and a file in a multipart body goes to disk whatever its size.

    Listed before CsrfViewMiddleware, whose process_view reads the body. A view declares a larger limit with
    `accepts_body_up_to`, and its own answer (the import's page, 413); any other view's refusal is Django's
    answer to a body over DATA_UPLOAD_MAX_MEMORY_SIZE (the 400 page, or JSON for the phone's outbox)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        limit = getattr(view_func, "body_limit", settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # Django reads no body it can't size
        if limit is None or length <= limit:
            return None
        log.info("request body of %d bytes refused on %s (limit %d)", length, request.path, limit)
        too_large = getattr(view_func, "body_too_large", None)
        if too_large is None:
            raise RequestDataTooBig("Request body exceeded settings.DATA_UPLOAD_MAX_MEMORY_SIZE.")
        return too_large(request)


class GZipExceptPackedMiddleware(GZipMiddleware):
    """Django's GZipMiddleware, except for a body that is compressed already (a zip), which gzip would only make
    slower to send and no smaller."""

    PACKED = ("application/zip",)

    def process_response(self, request, response):
        if response.get("Content-Type", "").startswith(self.PACKED):
            return response
        return super().process_response(request, response)


class UserLanguageMiddleware:
    """A signed-in person's own language (Profile.language) wins over the device's cookie and the browser's.

    LocaleMiddleware has already chosen from the cookie or Accept-Language; this runs after authentication."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            chosen = language_or_none(request.user.profile.language)
            if chosen:
                translation.activate(chosen)
                request.LANGUAGE_CODE = chosen
        return self.get_response(request)
