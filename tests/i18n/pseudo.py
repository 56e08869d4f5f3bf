"""A pseudo-language, "xx", in which every word that passes through Django's gettext comes out «marked».

Whatever a person would read that is not marked never went through translation: in Spanish or German it would stay
English. The tests render every page, email and the PDF in "xx" and look for words outside the marks.

The marks are « and », both in Latin-1, so they survive the PDF's core fonts. Every message seen is recorded, so a
test can also check that each one is in the Spanish and German catalogues.
"""

import gettext as gettext_module
import re
from collections.abc import Iterable
from html.parser import HTMLParser

import pytest
from django.conf import settings as django_settings
from django.utils import translation
from django.utils.translation import trans_real

PSEUDO = "xx"
OPEN, CLOSE = "«", "»"
CONTEXT = trans_real.CONTEXT_SEPARATOR
MARKED = re.compile(f"{OPEN}[^{OPEN}{CLOSE}]*{CLOSE}")
# What Python's % fills in: %(name)s, %s, %d (not %%, a percent sign).
PLACEHOLDER = re.compile(r"%(?:\([a-z_0-9]+\))?[-#0 +]*\d*(?:\.\d+)?[sdfir]")
# A word: two or more letters. Numbers, units of one letter, punctuation and symbols are not words.
WORD = re.compile(r"[^\W\d_]{2,}")


class PseudoTranslation(gettext_module.NullTranslations):
    """Marks every message and records it (with its context, as the catalogues key it)."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: set[str] = set()
        self.plural = lambda n: int(n != 1)

    @staticmethod
    def _mark(message: str) -> str:
        """«message», with each placeholder left outside the marks: what fills it must be translated on its own."""
        shown = message.split(CONTEXT, 1)[1] if CONTEXT in message else message
        return f"{OPEN}{PLACEHOLDER.sub(lambda found: CLOSE + found.group(0) + OPEN, shown)}{CLOSE}"

    def gettext(self, message: str) -> str:
        self.seen.add(message)
        return self._mark(message)

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        self.seen.add(msgid1)
        return self._mark(msgid1 if n == 1 else msgid2)

    def pgettext(self, context: str, message: str) -> str:
        return self._mark(f"{context}{CONTEXT}{message}")

    def npgettext(self, context: str, msgid1: str, msgid2: str, n: int) -> str:
        return self.ngettext(f"{context}{CONTEXT}{msgid1}", f"{context}{CONTEXT}{msgid2}", n)

    def to_language(self) -> str:
        return PSEUDO

    def language(self) -> str:
        return PSEUDO


@pytest.fixture
def pseudo(settings, monkeypatch):
    """Every request, email and PDF in the pseudo-language; the PseudoTranslation, whose `seen` records the messages."""
    settings.LANGUAGES = [*django_settings.LANGUAGES, (PSEUDO, "Pseudo")]  # resets Django's translations
    marker = PseudoTranslation()
    monkeypatch.setitem(trans_real._translations, PSEUDO, marker)
    # LocaleMiddleware asks this for the request's language; a cached attribute of Django's translation proxy.
    monkeypatch.setattr(
        translation._trans, "get_language_from_request", lambda request, check_path=False: PSEUDO
    )
    with translation.override(PSEUDO):
        yield marker


def unmarked_words(text: str, allowed: Iterable[str] = ()) -> list[str]:
    """The words of `text` outside every «mark» (marks may nest: a translated word inside a translated sentence)."""
    text = re.sub(r"https?://[^\s«»]+", " ", text)  # an address is not a word
    previous = None
    while previous != text:
        previous, text = text, MARKED.sub(" ", text)
    allowed_words = {word.casefold() for phrase in allowed for word in WORD.findall(str(phrase))}
    return [word for word in WORD.findall(text) if word.casefold() not in allowed_words]


# Attributes whose values a person reads or hears.
READ_ATTRIBUTES = {"aria-label", "placeholder", "title", "alt", "aria-description", "aria-roledescription"}
SILENT_ELEMENTS = {"script", "style", "template"}


class VisibleText(HTMLParser):
    """The text a person reads or hears on a page: text nodes and read attributes, outside scripts and styles, and
    outside any element whose `lang` says it is deliberately in another language (a published title, a language's
    own name)."""

    VOID = {
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "source",
        "track",
        "wbr",
    }

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []
        self.parts: list[str] = []

    def _skipping(self) -> bool:
        return any(skip for _tag, skip in self.stack)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        skip = tag in SILENT_ELEMENTS or (tag != "html" and "lang" in attributes)
        if not skip and not self._skipping():
            for name in READ_ATTRIBUTES & attributes.keys():
                self.parts.append(attributes[name] or "")
            if tag == "input" and attributes.get("type") in {"submit", "button", "reset"}:
                self.parts.append(attributes.get("value") or "")
            if tag == "meta" and attributes.get("name") == "description":
                self.parts.append(attributes.get("content") or "")
        if tag not in self.VOID:
            self.stack.append((tag, skip))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in self.VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                return

    def handle_data(self, data):
        if not self._skipping():
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    return "\n".join(parser.parts)
