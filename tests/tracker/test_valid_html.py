"""Every page is valid HTML by the Nu Html Checker (vnu-jar, pinned in package.json), htmx's `hx-*` attributes aside.

The pages are the accessibility test's list (checked there against the URL resolver), the front page, the log-in
and sign-up pages, and a shared summary, each fetched as its HTML arrives. The checker needs Java (17 or later): where
`java` is absent the test is skipped, except in CI, where it fails.
"""

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.browser.test_accessibility import ANONYMOUS, make_diary_person, make_share_link, pages_of

pytestmark = pytest.mark.django_db
VNU = Path(__file__).resolve().parents[2] / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
# htmx's attributes are not in the HTML standard and never will be; nothing else is forgiven.
HTMX_ATTRIBUTE = re.compile(r"^Attribute “hx-[a-z-]+” not allowed on element “[a-z]+” at this point\.$")


def java_or_skip() -> str:
    java = shutil.which("java")
    if java is None:
        if os.environ.get("CI"):
            pytest.fail("the valid-HTML test needs Java 17 or later in CI")
        pytest.skip("the Nu Html Checker needs Java 17 or later (apt-get install openjdk-17-jre-headless)")
    assert VNU.exists(), "run npm ci: vnu-jar is pinned in package.json"
    return java


def check(java: str, pages: dict[str, bytes], folder: Path) -> list[str]:
    """The checker's errors on each page, as 'url line: message' lines."""
    files = {}
    for number, (url, html) in enumerate(pages.items()):
        path = folder / f"page-{number}.html"
        path.write_bytes(html)
        files[path.name] = url
    done = subprocess.run(  # noqa: S603 (a fixed program on files this test wrote)
        [java, "-jar", str(VNU), "--errors-only", "--format", "json", "--exit-zero-always", str(folder)],
        capture_output=True,
        check=True,
        timeout=300,
    )
    messages = json.loads(done.stderr)["messages"]
    return [
        f"{files.get(m.get('url', '').rsplit('/', 1)[-1], m.get('url'))} line {m.get('lastLine')}: {m['message']}"
        f" [{m.get('extract', '').strip()[:80]}]"
        for m in messages
        if m["type"] == "error" and not HTMX_ATTRIBUTE.match(m["message"])
    ]


def test_every_page_is_valid_html(client, tmp_path):
    java = java_or_skip()
    person = make_diary_person()
    token = make_share_link(person)
    pages = {}
    for url in [*ANONYMOUS.values(), "/", f"/s/{token}/"]:
        pages[url] = client.get(url).content
    client.force_login(person)
    for urls in pages_of(person).values():
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            pages[url] = response.content
    errors = check(java, pages, tmp_path)
    assert errors == [], f"{len(errors)} errors:\n" + "\n".join(errors)
