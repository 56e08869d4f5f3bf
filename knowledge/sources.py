"""The source documents (shared/seeds/): cited by file name in code, data and tests, shown to a person by title.

Every statement, food, tip and rule names the file(s) it comes from, so each stays traceable to a document. A page
never shows a file name: `documents` turns the names into `Source` records, shown as "From: <title>" with a link to
the Sources page (knowledge/sources.html), which says what each document covers and whom it points to.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

DEFICIENCIES = (
    "000_d2d4df8ecb76ca76.txt"  # Understanding the Link Between Nutrient Deficiencies and Leg Cramps
)
LEG_PAIN = "003_186966f8f14150f2.txt"  # The Core Nutrients Behind Leg Pain
VITAMINS = "004_cc939ef52420c4a1.txt"  # What Vitamins Prevent Leg Cramps and Support Muscle Health


@dataclass(frozen=True)
class Authority:
    """A body a document itself points its readers to, with its web address when known."""

    name: str  # as the document names it, in English (shown with lang="en")
    how: StrOrPromise  # how the document points to it: a sentence with %(body)s for the name
    url: str | None = None  # only as the document gives it, or that body's well-known home page

    def points_to(self) -> SafeString:
        """The whole sentence, the body's name linked when its address is known (the name stays in English)."""
        if self.url:
            body = format_html('<a href="{}" rel="noopener noreferrer" lang="en">{}</a>', self.url, self.name)
        else:
            body = format_html('<span lang="en">{}</span>', self.name)
        return mark_safe(conditional_escape(str(self.how)) % {"body": body})  # noqa: S308 (both parts escaped already)


@dataclass(frozen=True)
class Source:
    """One source document: its file (for traceability, never shown), its title and what it covers."""

    file: str
    anchor: str  # the id of its section on the Sources page
    title: str  # as published, in English: never translated, shown with lang="en"
    lazy_covers: StrOrPromise  # read through `covers`
    authority: Authority | None = None
    written: str | None = None  # when it was written, only if the document says
    lazy_dating_note: StrOrPromise = ""  # what the document does say about its date, if anything

    @property
    def covers(self) -> str:
        """In the active language, as `dating_note`."""
        return str(self.lazy_covers)

    @property
    def dating_note(self) -> str:
        return str(self.lazy_dating_note)

    @property
    def url(self) -> str:
        """The link to this document's section of the Sources page."""
        from django.urls import reverse  # at call time: the module stays importable without URL configuration

        return f"{reverse('sources')}#{self.anchor}"


SOURCES: tuple[Source, ...] = (
    Source(
        DEFICIENCIES,
        "nutrient-deficiencies",
        "Understanding the Link Between Nutrient Deficiencies and Leg Cramps",
        _(
            "Magnesium, vitamin D, potassium, calcium and the B vitamins B1 and B12: what each does for muscles "
            "and nerves, and which foods have it, with a summary table."
        ),
        Authority(
            "National Institutes of Health (NIH)",
            # Translators: %(body)s is the name of an American health body, left in English.
            _("For more about vitamins and minerals in muscle work, it points to %(body)s."),
            "https://www.nih.gov/",  # the document names the NIH website; this is its home page
        ),
    ),
    Source(
        LEG_PAIN,
        "core-nutrients-leg-pain",
        "The Core Nutrients Behind Leg Pain",
        _(
            "Magnesium, vitamin D, iron, the B vitamins, potassium and calcium, with the leg symptoms that go with "
            "too little of each; also diet and inflammation, drinking after heavy sweating, and when to seek "
            "medical advice."
        ),
        Authority(
            "National Institutes of Health, Office of Dietary Supplements",
            # Translators: %(body)s is the name of an American health body, left in English.
            _("For more, it points to the health guides of the %(body)s."),
            "https://ods.od.nih.gov/",  # as the document gives it
        ),
    ),
    Source(
        VITAMINS,
        "vitamins-muscle-health",
        "What Vitamins Prevent Leg Cramps and Support Muscle Health",
        _(
            "Magnesium and its forms, potassium, calcium, vitamin D, the B vitamins and vitamin K2 (a 2024 "
            "trial): how good the evidence is for cramp relief; also stretching, drinking enough, and causes a "
            "doctor should rule out, such as a blood clot (DVT) or nerve damage (neuropathy)."
        ),
        Authority(
            "JAMA Internal Medicine",
            # Translators: %(body)s is the name of a medical journal, left in English.
            _("It cites research published in the medical journal %(body)s."),
            None,  # the document gives no address and its reference list is empty
        ),
        lazy_dating_note=_("It mentions a trial from 2024."),
    ),
)

BY_FILE: dict[str, Source] = {source.file: source for source in SOURCES}
TITLES: dict[str, str] = {source.file: source.title for source in SOURCES}


def documents(files: Iterable[str]) -> list[Source]:
    """The Source records for file names as cited in data, in the order given, each once.

    A name that is not one of the documents is left out rather than shown: no page may show a file name (a test
    checks that every cited name is known).
    """
    seen: list[Source] = []
    for name in files:
        source = BY_FILE.get(name.strip())
        if source is not None and source not in seen:
            seen.append(source)
    return seen
