"""The installable app: web manifest, service worker, offline page and the remembered light or dark theme."""

import hashlib
import json
from functools import lru_cache

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import get_language, gettext
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_POST, require_safe

from tracker.app.http import safe_next
from tracker.app.theme import THEME_COOKIE, THEME_COOKIE_AGE, THEMES

# Precached at install so the offline page and a revisited page have their style and scripts. Chart.js is not
# here: it is cached the first time Trends is opened, so a first visit to Today does not pay for it.
SHELL_STATIC = (
    "css/app.css",
    "js/app.js",
    "js/offline.js",
    "django_htmx/htmx-2.min.js",
    "icons/icon.svg",
)
THEME_COLOR = "#1f5f8b"
BACKGROUND_COLOR = "#f5f7fa"


def _static_digest() -> str:
    """A digest of every static file's bytes: it changes whenever any file the app serves changes."""
    digest = hashlib.sha256()
    for finder in finders.get_finders():
        for path, storage in sorted(finder.list([]), key=lambda found: found[0]):
            digest.update(path.encode())
            with storage.open(path) as handle:
                digest.update(hashlib.sha256(handle.read()).digest())
    return digest.hexdigest()[:12]


_cached_digest = lru_cache(maxsize=1)(_static_digest)


def static_version() -> str:
    """The cache version: fixed for a deployment, recomputed on every request while developing."""
    return _static_digest() if settings.DEBUG else _cached_digest()


@require_safe
@cache_control(no_cache=True)
def service_worker(request: HttpRequest) -> HttpResponse:
    """Served from the root so its scope is the whole app; browsers re-check it on every visit (no-cache).

    Written in the page's language, which is in its bytes: a person who changes language gets a new worker, whose
    caches (the offline page, the scripts' words) are in the new one."""
    language = get_language()
    config = {
        "version": static_version(),
        "language": language,
        "shell": [static(name) for name in SHELL_STATIC] + [reverse("offline")],
        "offline": reverse("offline"),
        # The scripts' words: kept at install so the offline page has them, and fetched afresh whenever online.
        "catalog": reverse("js_catalog", args=[language]),
        "catalogs": reverse("choose_language"),
        "static": settings.STATIC_URL,
        "never_cache": ["/accounts/", "/s/", "/admin/", "/data/", "/summary/pdf/", "/reminders/"],
        "icon": static("icons/icon-192.png"),
        # What the worker itself says, in notifications it shows without a page.
        "words": {
            "brand": gettext("Cramp Diary"),
            "open_diary": gettext("Open your diary."),
            "no_cramps": gettext("No cramps"),
            "had_cramps": gettext("I had cramps"),
            "no_cramps_label": gettext("No cramps last night"),
            "kept": gettext("Kept on this phone: it will be sent when you're back online."),
            "noted": gettext("Noted: no cramps last night."),
            "not_saved_reason": gettext("It could not be saved."),
            # Translators: %(reason)s is why the server refused it, a sentence of its own.
            "not_saved": gettext("Not saved: %(reason)s"),
        },
    }
    body = render(request, "sw.js", {"config": json.dumps(config)}).content
    return HttpResponse(body, content_type="text/javascript; charset=utf-8")


@require_safe
@cache_control(max_age=60 * 60 * 24)
def manifest(request: HttpRequest) -> JsonResponse:
    icons = [
        {"src": static("icons/icon-192.png"), "sizes": "192x192", "type": "image/png"},
        {"src": static("icons/icon-512.png"), "sizes": "512x512", "type": "image/png"},
        {
            "src": static("icons/icon-maskable-512.png"),
            "sizes": "512x512",
            "type": "image/png",
            "purpose": "maskable",
        },
        {"src": static("icons/icon.svg"), "sizes": "any", "type": "image/svg+xml"},
    ]
    # In the asking browser's language: the phone shows these words when the app is installed (the answer varies
    # with Accept-Language and the language cookie, which LocaleMiddleware declares).
    data = {
        "id": "/",
        "lang": get_language(),
        "name": gettext("Cramp Diary"),
        # Translators: the app's name under its icon on a phone's home screen; a dozen letters at most.
        "short_name": gettext("Cramps"),
        "description": gettext(
            "A leg-cramp diary: log cramps, drinks, exercise and meals, see trends, share a summary."
        ),
        "start_url": reverse("today"),
        "scope": "/",
        "display": "standalone",
        "orientation": "portrait",
        "theme_color": THEME_COLOR,
        "background_color": BACKGROUND_COLOR,
        "icons": icons,
        "shortcuts": [{"name": gettext("Log a drink"), "url": reverse("entry_create", args=["drink"])}],
    }
    response = JsonResponse(data, json_dumps_params={"indent": 1})
    response["Content-Type"] = "application/manifest+json"
    return response


@require_safe
def offline(request: HttpRequest) -> HttpResponse:
    """What the service worker shows for a page it has never seen while the phone is offline."""
    return render(request, "offline.html")


@require_POST
def choose_theme(request: HttpRequest) -> HttpResponse:
    """Remember light, dark or the system's choice on this device. A cookie, so the page arrives already
    in the right colours: no white flash before a script could run."""
    chosen = request.POST.get("theme", "")
    response = redirect(safe_next(request, reverse("more")))
    if chosen in THEMES:
        response.set_cookie(
            THEME_COOKIE,
            chosen,
            max_age=THEME_COOKIE_AGE,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
        )
    else:
        response.delete_cookie(THEME_COOKIE, samesite="Lax")
    return response
