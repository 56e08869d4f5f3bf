"""What every view shares about requests and answers: the signed-in request's type, where `next` may lead, and
the answer to a request that can't be read."""

from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django_htmx.middleware import HtmxDetails


class AuthedHtmxRequest(HttpRequest):
    """A request behind @login_required, through django-htmx's middleware."""

    user: User
    htmx: HtmxDetails


def safe_next(request: HttpRequest, default: str) -> str:
    """Where `next` asks to go, when it is a path on this site; anything else (another host, a bare word that
    redirect() would take for a view name) goes to `default`."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def from_outbox(request: HttpRequest) -> bool:
    """The phone's offline outbox sends kept entries asking for JSON: it needs the outcome, not a page."""
    return request.headers.get("Accept") == "application/json"


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Django's answer to a request it can't read, such as a body over DATA_UPLOAD_MAX_MEMORY_SIZE: JSON for the
    phone's outbox, which shows the message beside the kept entry, and a page with a way back for a person."""
    message = gettext("That was too much to send at once, or it arrived damaged. Nothing was saved.")
    if from_outbox(request):
        return JsonResponse({"saved": False, "message": message}, status=400)
    return render(request, "400.html", {"message": message}, status=400)
