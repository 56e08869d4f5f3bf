"""Template filters that show source documents to a person by title, never by file name."""

from collections.abc import Iterable

from django import template

from knowledge.sources import Source
from knowledge.sources import documents as _documents

register = template.Library()


@register.filter
def documents(files: Iterable[str] | None) -> list[Source]:
    """The documents cited by these file names, as `Source` records (title, link), each once."""
    return _documents(files or ())
