"""Today's and History's diary markup, and the trends data, built once and served until the diary changes.

Each is kept under a key made of the person's profile (every field, `page_version` among them) and what else it
depends on: the local date and hour for Today, the path for History, the path and local date for trends data.
Every write to the diary changes `page_version` in the writer's transaction (tracker/signals.py, `rollup.forget`),
so nothing kept is served after a change: the next request misses and builds afresh.

Two things in the markup must differ on every response: the CSRF token and each form's UUID (which makes a repeated
submission harmless, so two copies of one page must never share one). They are rendered as holes, a random marker
chosen per rendering, and filled per response.
"""

import hashlib
import re
import secrets
import uuid
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import caches
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from tracker.models import Profile, new_page_version

T = TypeVar("T")


class Holes:
    """The placeholders one rendering uses for its per-response values."""

    def __init__(self) -> None:
        self.marker = secrets.token_hex(8)
        self.csrf = f"{self.marker}csrf"
        self.uuid = f"{self.marker}uuid"

    def leave_uuid(self, *forms) -> None:
        """Unbound forms render the UUID hole; a bound form keeps the UUID it was sent with."""
        for form in forms:
            if not form.is_bound:
                form.fields["uuid"].initial = self.uuid


def fill(request, marker: str, html: str) -> SafeString:
    """The markup with its holes filled: a CSRF token and a new UUID each, neither of which needs escaping."""
    token = get_token(request)
    filled = re.sub(
        f"{marker}(csrf|uuid)", lambda hole: token if hole[1] == "csrf" else str(uuid.uuid4()), html
    )
    return mark_safe(filled)  # noqa: S308 (render_to_string's output, escaped by the template engine)


def kept(request, key_parts: tuple | None, build: Callable[[], T]) -> T:
    """`build()`, kept for the person under `key_parts` and served from there until their profile or diary
    changes, or the key parts do; built afresh every time when `key_parts` is None."""
    if key_parts is None:
        return build()
    profile = request.user.profile
    if request.method not in ("GET", "HEAD"):
        profile.refresh_from_db()  # loaded before this request's own write changed it
    key = page_key(profile, key_parts)
    value = caches["pages"].get(key)
    if value is None:
        value = build()
        caches["pages"].set(key, value)
    return value


def render(
    request, template: str, context_for: Callable[[Holes], dict], key_parts: tuple | None = None
) -> SafeString:
    """`template` rendered with `context_for(holes)`, kept as `kept` keeps it, holes filled per response."""

    def build() -> tuple[str, str]:
        holes = Holes()
        context = {**context_for(holes), "csrf_token": holes.csrf}
        return holes.marker, render_to_string(template, context, request=request)

    return fill(request, *kept(request, key_parts, build))


def page_key(profile: Profile, parts: tuple) -> str:
    fields = tuple(getattr(profile, field.attname) for field in Profile._meta.concrete_fields)
    digest = hashlib.sha256(repr((fields, parts)).encode()).hexdigest()
    return f"page:{profile.user_id}:{digest}"


def changed(user_id: int) -> None:
    """Something the kept pages show has changed: nothing kept for the person is served again."""
    Profile.objects.filter(user_id=user_id).update(page_version=new_page_version())


def changed_for_everyone() -> None:
    """Shared data the pages show (a food's name or nutrients) has changed."""
    Profile.objects.update(page_version=new_page_version())
