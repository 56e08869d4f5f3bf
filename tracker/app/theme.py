"""The light or dark theme chosen on this device, remembered in a cookie so pages arrive in the right colours."""

from django.http import HttpRequest

THEMES = ("light", "dark")
THEME_COOKIE = "theme"
THEME_COOKIE_AGE = 60 * 60 * 24 * 400  # browsers cap cookies at 400 days


def theme(request: HttpRequest) -> dict:
    """Context processor: the theme chosen on this device, or '' to follow the system."""
    chosen = request.COOKIES.get(THEME_COOKIE, "")
    return {"theme": chosen if chosen in THEMES else ""}
