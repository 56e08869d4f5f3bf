"""A device named the way its owner would say it, from the browser's User-Agent: "Chrome on Android".

The name is kept with the subscription, in the language of the page that added the device. Browser and system
names are brands, the same in every language."""

from django.utils.translation import gettext

BROWSERS = (
    ("Edg/", "Edge"),
    ("Firefox/", "Firefox"),
    ("SamsungBrowser/", "Samsung Internet"),
    ("Chrome/", "Chrome"),
)
SYSTEMS = (
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Android", "Android"),
    ("Windows", "Windows"),
    ("Mac OS X", "Mac"),
    ("CrOS", "Chromebook"),
    ("Linux", "Linux"),
)


def device_name(user_agent: str) -> str:
    browser = next((name for mark, name in BROWSERS if mark in user_agent), "")
    if not browser and "Safari/" in user_agent:
        browser = "Safari"
    system = next((name for mark, name in SYSTEMS if mark in user_agent), "")
    if browser and system:
        # Translators: a device as its owner would name it, e.g. "Chrome on Android".
        return gettext("%(browser)s on %(system)s") % {"browser": browser, "system": system}
    return browser or system or gettext("A browser")


def is_ios(user_agent: str) -> bool:
    """An iPhone or iPad (iPadOS Safari says Macintosh; the page's script finds those by their touch screen)."""
    return any(mark in user_agent for mark in ("iPhone", "iPad", "iPod"))
