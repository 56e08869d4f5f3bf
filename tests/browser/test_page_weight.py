"""Light on a slow connection: what a first visit transfers, read from the browser's own network log, on the app
as deployed (gunicorn, WhiteNoise's compressed and hashed static files)."""

import re
from urllib.parse import urlsplit

import pytest

from tracker.management.commands.seed_demo import DEMO_PASSWORD, DEMO_USERNAME

pytestmark = [pytest.mark.browser]
BUDGETS = {"/": 60_000, "/trends/": 150_000}


def session_cookies(browser, base: str) -> list:
    context = browser.new_context(base_url=base)
    try:
        page = context.new_page()
        page.goto("/accounts/login/")
        page.fill("#id_username", DEMO_USERNAME)
        page.fill("#id_password", DEMO_PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(base + "/")
        return context.cookies()
    finally:
        context.close()


def first_visit(browser, base: str, path: str, cookies: list) -> tuple[int, list[str]]:
    """Bytes transferred (headers and encoded bodies, the service worker's own fetches included) and every URL."""
    context = browser.new_context(
        base_url=base, viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True
    )
    context.add_cookies(cookies)
    log: list = []
    context.on("requestfinished", lambda request: log.append(request))
    try:
        page = context.new_page()
        page.goto(path, wait_until="networkidle")
        page.evaluate("navigator.serviceWorker.ready")
        page.wait_for_load_state("networkidle")
        total = 0
        for request in log:
            sizes = request.sizes()
            total += sizes["responseBodySize"] + sizes["responseHeadersSize"]
        return total, [request.url for request in log]
    finally:
        context.close()


@pytest.mark.parametrize("path", BUDGETS)
def test_a_first_visit_stays_within_its_budget(browser, production_server, path, capsys):
    cookies = session_cookies(browser, production_server)
    total, urls = first_visit(browser, production_server, path, cookies)
    assert {urlsplit(url).netloc for url in urls} == {urlsplit(production_server).netloc}, urls
    with capsys.disabled():
        print(
            f"\n{path}: {total / 1000:.1f} KB in {len(urls)} requests (budget {BUDGETS[path] / 1000:.0f} KB)"
        )
    assert total <= BUDGETS[path], urls
    scripts = [url for url in urls if "/static/" in url and url.endswith(".js")]
    assert scripts and all(re.search(r"\.[0-9a-f]{12}\.js$", url) for url in scripts), scripts  # cache-busted


def test_static_files_are_compressed_and_cached_for_good(browser, production_server):
    context = browser.new_context(base_url=production_server)
    try:
        page = context.new_page()
        response = page.goto("/accounts/login/")
        css = next(url for url in page.evaluate("Array.from(document.styleSheets, s => s.href)") if url)
        assert "/static/css/app." in css and css.endswith(".css") and css.count(".") >= 3  # hashed name
        styled = page.request.get(css, headers={"Accept-Encoding": "gzip"})
        assert styled.headers.get("content-encoding") == "gzip"
        assert "immutable" in styled.headers["cache-control"]
        assert response.ok
    finally:
        context.close()
