"""The words a person might type to find a food: its name in singular and plural, names people use for it, and
the nutrients the documents credit it with.

The meal form renders `search_words()` into each food chip (data-words) and static/js/app.js matches what is typed
against them; `matches()` is the same rule in Python, for server-side search and for tests. Both sides fold case
and accents the same way (`fold()`, and `fold` in app.js).

The rule: every typed word (or its singular) must start one of the food's words, so "bananas", "banan" and
"potassium" find Banana, and "chicken nuggets" finds nothing; a typed word ending in a digit must be whole, so "b1"
does not find "b12". "vitamin d" and "vit b12" are read as one word ("vitamind", "vitaminb12"), as each nutrient's
label is, so "vitamin" alone finds every food credited with a vitamin.

In another language a food is also found by its name and its nutrients' labels in that language ("espinacas",
"magnesio"), as well as by the English words: a person may know either.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from typing import TYPE_CHECKING

from django.utils import translation
from django.utils.translation import gettext

from knowledge.nutrients import Nutrient

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# Names people use for a food in the list, keyed by a word or phrase of its name (singular, lower case). Only foods
# the list has: a synonym must never point a person to a food they did not eat.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "almond": ("nut",),
    "cashew": ("nut",),
    "pumpkin seed": ("seed", "pepita"),
    "spinach": ("leafy", "greens"),
    "kale": ("leafy", "greens", "cavolo nero"),
    "collard green": ("leafy", "collard"),
    "bean": ("legume", "pulse", "chickpea", "kidney bean", "black bean", "baked bean"),
    "lentil": ("legume", "pulse", "dal", "dhal"),
    "whole grain": ("wholegrain", "wholewheat", "whole wheat", "porridge", "oatmeal", "granary"),
    "fortified cereal": ("cornflakes", "bran flakes", "breakfast cereal"),
    "salmon": ("fish", "oily fish", "smoked salmon"),
    "mackerel": ("fish", "oily fish"),
    "tuna": ("fish",),
    "sardine": ("fish", "oily fish", "pilchard"),
    "milk (fortified)": ("dairy", "cow's milk"),
    "yogurt": ("yoghurt", "yoghourt", "yogourt", "dairy"),
    "cheese": ("dairy", "cheddar"),
    "plant-based milk": ("soy milk", "soya milk", "oat milk", "almond milk", "rice milk"),
    "orange juice": ("oj",),
    "egg": ("omelette", "omelet", "yolk"),
    "lean meat": ("meat", "chicken", "turkey", "poultry", "beef", "steak", "mince", "pork", "lamb", "veal"),
    "avocado": ("avo", "guacamole"),
    "sweet potato": ("yam", "kumara"),
    "melon": ("cantaloupe", "honeydew", "watermelon"),
    "natto": ("fermented", "miso", "tempeh", "sauerkraut", "kimchi", "kefir"),
    "berry": ("blueberry", "strawberry", "raspberry", "blackberry", "cranberry"),
}

# Other names for a nutrient, added to its label's words.
NUTRIENT_ALIASES: dict[str, tuple[str, ...]] = {
    Nutrient.VITAMIN_B1: ("thiamine", "thiamin"),
    Nutrient.VITAMIN_B6: ("pyridoxine",),
    Nutrient.VITAMIN_B12: ("cobalamin",),
    Nutrient.VITAMIN_K2: ("menaquinone",),
}

# Words of a food's name that find nothing useful on their own.
STOP_WORDS = frozenset({"a", "and", "based", "food", "foods", "of", "other", "the", "with"})

VITAMIN = re.compile(r"\bvit(?:amin)?s? ([a-z]\d*)\b")  # "vitamin d", "vit b12", "vitamins b" -> one word


def fold(text: StrOrPromise) -> str:
    """Lower case, accents dropped, anything but letters and digits a single space; "vitamin d" as one word."""
    text = unicodedata.normalize("NFKD", str(text))
    text = "".join(char for char in text if not unicodedata.combining(char)).lower()
    text = text.replace("'", "").replace("\u2019", "")  # "cow's", as a phone's keyboard may type it
    text = " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())
    return VITAMIN.sub(r"vitamin\1", text)


def singular(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("oes", "ches", "shes", "sses", "xes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us")):
        return word[:-1]
    return word


def plural(word: str) -> str:
    if len(word) > 2 and word.endswith("y") and word[-2] not in "aeiou":
        return word[:-1] + "ies"
    if word.endswith(("s", "x", "ch", "sh")):
        return word + "es"
    if word.endswith("o") and len(word) > 2:
        return word + "es"  # potatoes; "avocados" is caught by the singular form and a prefix
    return word + "s"


def forms(word: str) -> set[str]:
    """A word of a food's name in the singular and the plural (English endings; not for "fortified")."""
    if word.isdigit() or len(word) < 3 or word.endswith("ed"):
        return {word}
    one = singular(word)
    return {word, one, plural(one)}


def phrase_in(phrase: str, text: str) -> bool:
    return f" {phrase} " in f" {text} "


def search_words(food_name: str, nutrient_codes: Iterable[str]) -> str:
    """The words that find a food, lower case and space-separated, for the meal form's chips.

    Its name's words in singular and plural, the SYNONYMS of any of its words or phrases, and each nutrient's
    label as one word ("vitamind", "vitaminb12"), its short form ("d", "b12") and its other names ("thiamine").
    """
    return _search_words(food_name, tuple(nutrient_codes), translation.get_language())


@lru_cache(maxsize=512)
def _search_words(food_name: str, nutrient_codes: tuple[str, ...], language: str | None) -> str:
    with translation.override("en"):
        words = _english_words(food_name, nutrient_codes)
    if language and not language.startswith("en"):
        words.extend(_own_language_words(food_name, nutrient_codes))
    return " ".join(dict.fromkeys(words))


def _english_words(food_name: str, nutrient_codes: tuple[str, ...]) -> list[str]:
    name = fold(food_name)
    singular_name = " ".join(singular(word) for word in name.split())
    words: list[str] = []
    for word in name.split():
        if word not in STOP_WORDS and len(word) > 1:
            words.extend(sorted(forms(word)))
    for key, synonyms in SYNONYMS.items():
        folded_key = fold(key)
        if phrase_in(folded_key, name) or phrase_in(folded_key, singular_name):
            for synonym in synonyms:  # as written: a typed plural is read in the singular too
                words.extend(fold(synonym).split())
    labels = dict(Nutrient.choices)
    for code in nutrient_codes:
        if code not in labels:
            continue
        label = fold(labels[code])
        words.append(label.replace(" ", ""))
        if label.startswith("vitamin"):
            words.append(label.removeprefix("vitamin"))
        words.extend(fold(alias) for alias in NUTRIENT_ALIASES.get(code, ()))
    return words


def _own_language_words(food_name: str, nutrient_codes: tuple[str, ...]) -> list[str]:
    """The words of the food's name and of its nutrients' labels in the active language.

    A typed word is matched by its start and in the singular (`finds`), so the name's words are enough as they are;
    the English plural endings of `forms` would not fit another language.
    """
    name = gettext(food_name) if food_name else ""  # gettext("") is the catalogue's header
    words = [word for word in fold(name).split() if len(word) > 1 and word not in STOP_WORDS]
    labels = dict(Nutrient.choices)
    for code in nutrient_codes:
        if code in labels:
            words.append(fold(labels[code]).replace(" ", ""))
    return words


def matches(query: str, words: str) -> bool:
    """Whether a food with these search words is found by what was typed: each typed word finds one of them.

    Nothing typed finds every food. The same rule as the meal form's filter in static/js/app.js.
    """
    own = fold(words).split()
    return all(any(finds(part, word) for word in own) for part in fold(query).split())


def finds(part: str, word: str) -> bool:
    """A typed word finds a word it starts, in the plural too; one ending in a digit only its equal ("b1" is not
    "b12")."""
    if part[-1].isdigit():
        return word == part
    return word.startswith(part) or word.startswith(singular(part))
