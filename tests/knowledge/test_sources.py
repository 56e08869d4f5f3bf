"""The documents as a person meets them: a title, what it covers, whom it points to; a file name only in data."""

import pytest

from knowledge import consult, tips
from knowledge.foods import FOODS
from knowledge.sources import BY_FILE, SOURCES, TITLES, documents
from tests.knowledge.test_content import all_statements, document
from tests.knowledge.test_tips import EVERYTHING

DOCUMENT_FILES = ["000_d2d4df8ecb76ca76.txt", "003_186966f8f14150f2.txt", "004_cc939ef52420c4a1.txt"]


def test_each_document_has_one_record_kept_by_its_file_name():
    assert [source.file for source in SOURCES] == DOCUMENT_FILES
    assert set(BY_FILE) == set(TITLES) == set(DOCUMENT_FILES)
    assert len({source.anchor for source in SOURCES}) == len(SOURCES)


@pytest.mark.parametrize("source", SOURCES, ids=lambda s: s.anchor)
def test_a_record_says_what_the_document_covers_in_words_not_file_names(source):
    assert source.title.lower() in document(source.file)
    assert source.covers and ".txt" not in source.covers and ".txt" not in source.title
    assert source.anchor.replace("-", "").isalpha()


# Whom each document points to, as it says so itself, and the address only where it gives one or it is that
# body's home page.
AUTHORITIES = {
    "000_d2d4df8ecb76ca76.txt": ("national institutes of health (nih) website", "https://www.nih.gov/"),
    "003_186966f8f14150f2.txt": (
        "national institutes of health, office of dietary supplements",
        "https://ods.od.nih.gov/",
    ),
    "004_cc939ef52420c4a1.txt": ("published in jama internal medicine", None),
}


@pytest.mark.parametrize("file, named, url", [(f, *a) for f, a in AUTHORITIES.items()])
def test_the_authority_is_the_one_the_document_names(file, named, url):
    source = BY_FILE[file]
    assert named in document(file)
    assert source.authority is not None and source.authority.url == url
    assert source.authority.name.lower().split(" (")[0] in document(file)
    if file == "003_186966f8f14150f2.txt":
        assert url in document(file)  # the address as the document gives it


@pytest.mark.parametrize("source", SOURCES, ids=lambda s: s.anchor)
def test_a_date_is_only_given_when_the_document_says(source):
    assert source.written is None  # none of the three says when it was written
    if source.dating_note:
        assert "2024" in source.dating_note and "2024" in document(source.file)


def cited() -> set[str]:
    names = {name for statement in all_statements() for name in statement.sources}
    names |= {name for food in FOODS for name in food.sources}
    names |= {name for rule in consult.RULES.values() for name in rule.sources}
    names |= {name for tip in tips.STARTER_TIPS + tuple(tips.tips_for(EVERYTHING)) for name in tip.sources}
    return names


def test_every_file_the_data_cites_has_a_record_to_show():
    assert cited() and cited() <= set(BY_FILE)


@pytest.mark.parametrize(
    "files, titles",
    [
        ((), []),
        (("004_cc939ef52420c4a1.txt",), ["What Vitamins Prevent Leg Cramps and Support Muscle Health"]),
        (
            ("003_186966f8f14150f2.txt", "000_d2d4df8ecb76ca76.txt", "003_186966f8f14150f2.txt"),
            [
                "The Core Nutrients Behind Leg Pain",
                "Understanding the Link Between Nutrient Deficiencies and Leg Cramps",
            ],
        ),
        (
            (" 000_d2d4df8ecb76ca76.txt",),
            ["Understanding the Link Between Nutrient Deficiencies and Leg Cramps"],
        ),
        (("unknown.txt",), []),  # never shown, rather than shown as a file name
    ],
)
def test_documents_turns_cited_file_names_into_titles_in_order_each_once(files, titles):
    assert [source.title for source in documents(files)] == titles
