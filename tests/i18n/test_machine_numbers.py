"""Numbers meant for the browser (SVG coordinates, progress values, form values, data for scripts) are never
written with a decimal comma: Spanish and German write "17,5" for people, but SVG and HTML read only "17.5". The
summary's weekly chart drew nothing in German until its numbers were kept out of localisation."""

import re
from html.parser import HTMLParser

import pytest

from tests.browser.test_accessibility import make_diary_person, make_share_link, pages_of

pytestmark = pytest.mark.django_db
# Attributes a person reads: these follow the language.
READ = {"aria-label", "title", "alt", "placeholder", "content", "aria-description", "data-offline-label"}
LOCAL_DECIMAL = re.compile(r"-?\d+,\d+")


class Attributes(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name not in READ and value and any(LOCAL_DECIMAL.fullmatch(part) for part in value.split()):
                self.found.append(f"<{tag} {name}={value!r}>")


@pytest.mark.parametrize("language", ["de", "es"])
def test_no_number_for_the_browser_has_a_decimal_comma(client, language):
    person = make_diary_person()
    token = make_share_link(person)
    urls = [url for group in pages_of(person).values() for url in group]
    client.force_login(person)
    urls += ["/summary/?baseline=on"]
    problems = {}
    for url in urls:
        response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200, url
        parser = Attributes()
        parser.feed(response.content.decode())
        if parser.found:
            problems[url] = parser.found[:5]
    client.logout()
    parser = Attributes()
    parser.feed(client.get(f"/s/{token}/", HTTP_ACCEPT_LANGUAGE=language).content.decode())
    if parser.found:
        problems["shared"] = parser.found[:5]
    assert not problems, problems
