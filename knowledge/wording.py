"""A lazy sentence with its named placeholders filled when it is read.

The data (statements, rules, sources) is made once, at import, before any language is chosen, so it holds
gettext_lazy strings, and each record gives them back as plain `str` in the active language through a property
(`Statement.text`). `lazy_percent` fills a lazy sentence's placeholders (a rule's "14 days") only when it is read, so
the sentence stays whole for translators and follows the language of each page.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.functional import lazy

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def _percent(text: StrOrPromise, values: dict[str, Any]) -> str:
    return str(text) % values


lazy_percent = lazy(_percent, str)
