"""The language switch: kept on the device (Django's language cookie) and, when signed in, with the account."""

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.views.decorators.http import require_POST
from django.views.i18n import JavaScriptCatalog, set_language

from tracker.app.http import safe_next
from tracker.app.l10n import language_or_none


@require_POST
def choose_language(request: HttpRequest) -> HttpResponse:
    """Django's set_language (the cookie, and back to `next` on this site), plus the account's own choice. A
    language not offered here is refused, even one Django itself has words for."""
    chosen = language_or_none(request.POST.get("language"))
    if chosen is None:
        return redirect(safe_next(request, reverse("today")))
    response = set_language(request)
    if request.user.is_authenticated:
        profile = request.user.profile
        profile.language = chosen
        profile.save(update_fields=["language"])
    return response


_catalog = JavaScriptCatalog.as_view()


def js_catalog(request: HttpRequest, language: str) -> HttpResponseBase:
    """The scripts' words in `language`, as a script file of its own: the CSP allows no inline script. The
    language is in the address, so a cached copy never answers in another language."""
    chosen = language_or_none(language)
    if chosen is None:
        raise Http404
    with translation.override(chosen):
        response = _catalog(request)
    response["Cache-Control"] = "public, max-age=3600"
    return response
