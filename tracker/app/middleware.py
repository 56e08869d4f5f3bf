from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.utils import timezone

from tracker.models import Profile


class UserTimeZoneMiddleware:
    """Show and read times in the signed-in person's own time zone; storage stays UTC."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        zone = None
        if request.user.is_authenticated:
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
