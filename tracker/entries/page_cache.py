"""Today's and History's diary markup, and the trends data, built once and served until the diary changes.

Each is cached under a key made of the person's profile (every field, `page_version` among them) and what else it
depends on: the local date and hour for Today, the path for History, the path and local date for trends data.
Every write to the diary changes `page_version` in the writer's transaction (tracker/entries/changes.py), so
nothing cached is served after a change: the next request misses and builds afresh.

Two things in the markup must differ on every response: the CSRF token and each form's UUID (which makes a repeated
submission harmless, so two copies of one page must never share one). They are rendered as placeholders, a random
marker chosen per rendering, and filled per response.
"""

import hashlib
import re
import secrets
import uuid
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache import caches
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from tracker.models import Profile

T = TypeVar("T")


class Placeholders:
    """The placeholders one rendering uses for its per-response values."""

    def __init__(self) -> None:
        self.marker = secrets.token_hex(8)
        self.csrf = f"{self.marker}csrf"
        self.uuid = f"{self.marker}uuid"

    def put_in_uuid_fields(self, *forms: Any) -> None:
        """Unbound forms render the UUID placeholder; a bound form keeps the UUID it was sent with."""
        for form in forms:
            if not form.is_bound:
                form.fields["uuid"].initial = self.uuid


class PageCache:
    """What one person's pages cost to build, kept per process (CACHES["pages"]) until their diary changes.

    Nothing is ever deleted from it: a change gives the person a new `page_version` (tracker/entries/changes.py),
    which is part of every key, so what was cached before is simply never asked for again."""

    @staticmethod
    def key(profile: Profile, parts: tuple) -> str:
        fields = tuple(getattr(profile, field.attname) for field in Profile._meta.concrete_fields)
        # The active language too: a person who chose none follows their browser's, which may change.
        digest = hashlib.sha256(repr((fields, translation.get_language(), parts)).encode()).hexdigest()
        return f"page:{profile.user_id}:{digest}"

    @classmethod
    def get_or_build(cls, request: Any, key_parts: tuple | None, build: Callable[[], T]) -> T:
        """`build()`, cached for the person under `key_parts` and served from there until their profile or diary
        changes, or the key parts do; built afresh every time when `key_parts` is None."""
        if key_parts is None:
            return build()
        profile = request.user.profile
        if request.method not in ("GET", "HEAD"):
            profile.refresh_from_db()  # loaded before this request's own write changed it
        key = cls.key(profile, key_parts)
        value = caches["pages"].get(key)
        if value is None:
            value = build()
            caches["pages"].set(key, value)
        return value

    @classmethod
    def render(
        cls,
        request: Any,
        template: str,
        context_for: Callable[[Placeholders], dict],
        key_parts: tuple | None = None,
    ) -> SafeString:
        """`template` rendered with `context_for(placeholders)`, cached as `get_or_build` caches it, and the
        placeholders filled per response."""

        def build() -> tuple[str, str]:
            placeholders = Placeholders()
            context = {**context_for(placeholders), "csrf_token": placeholders.csrf}
            return placeholders.marker, render_to_string(template, context, request=request)

        return fill(request, *cls.get_or_build(request, key_parts, build))


def fill(request: HttpRequest, marker: str, html: str) -> SafeString:
    """The markup with its placeholders filled: a CSRF token and a new UUID each, neither of which needs escaping."""
    token = get_token(request)
    filled = re.sub(
        f"{marker}(csrf|uuid)", lambda found: token if found[1] == "csrf" else str(uuid.uuid4()), html
    )
    return mark_safe(filled)  # noqa: S308 (render_to_string's output, escaped by the template engine)
