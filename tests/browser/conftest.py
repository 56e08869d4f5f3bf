import os
import shutil
from datetime import timedelta
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-quic",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        if os.environ.get("CI"):
            pytest.fail(f"Chromium is required in CI and is missing at {CHROMIUM}")
        pytest.skip(f"browser tests need Chromium at {CHROMIUM} (apt-get install chromium); CI installs it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def phone(browser, live_server):
    """A fresh phone-sized, touch-enabled browser context pointed at the live server."""
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True, base_url=live_server.url
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    problems: list[str] = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    page.problems = problems
    yield page
    context.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


def person_with_diary(username: str, days: int, seed: int):
    """A person with `days` of generated diary up to now, in their own zone."""
    from django.contrib.auth.models import User
    from django.utils import timezone

    from tests.conftest import PASSWORD
    from tracker.data.demo import build_diary

    person = User.objects.create_user(username, password=PASSWORD)
    zone = person.profile.zone
    now = timezone.now()
    today = timezone.localtime(now, zone).date()
    build_diary(person, zone, today - timedelta(days=days), today, now, seed=seed, cramps_max_per_day=2)
    return person


def same_clock(page, clock, when: str, zone: str = "Europe/London"):
    """The server's clock (time-machine, tests/clock.py) and the page's (Playwright's clock, for every page of the
    context) set to the same local moment; both tick on from there. Call it before the first page is opened."""
    moment = clock.at(when, zone)
    page.context.clock.install(time=moment)
    return moment


def wait_until(page, script: str, seconds: float = 10) -> None:
    """Poll a JS expression (a promise is awaited) from Python: wait_for_function would need eval, which our
    CSP forbids."""
    for _ in range(int(seconds * 10)):
        if page.evaluate(f"() => {script}"):
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"still false after {seconds} s: {script}")


def log_in(page, username: str) -> None:
    from tests.conftest import PASSWORD

    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.tap("button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


@pytest.fixture(scope="session")
def production_server(tmp_path_factory):
    """The app as deployed: gunicorn, DEBUG off, WhiteNoise serving collected, compressed, hashed static files,
    on its own SQLite file with the demo diary. For what only production serving shows, such as page weight."""
    import socket
    import subprocess
    import sys
    import time

    root = tmp_path_factory.mktemp("served")
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "PLAIN_STATIC", "DEBUG", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        DEBUG="false",
        SECRET_KEY="production-server-fixture-only",
        SECURE="false",
        ALLOWED_HOSTS="127.0.0.1",
        SQLITE_PATH=str(root / "db.sqlite3"),
        STATIC_ROOT=str(root / "static"),
    )
    bin_dir = Path(sys.executable).parent
    manage = [sys.executable, "manage.py"]
    base = Path(__file__).resolve().parents[2]
    for command in (
        ["collectstatic", "--no-input", "-v", "0"],
        ["migrate", "--no-input", "-v", "0"],
        ["seed_demo"],
    ):
        subprocess.run(manage + command, cwd=base, env=env, check=True, capture_output=True)  # noqa: S603
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(  # noqa: S603
        [str(bin_dir / "gunicorn"), "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        cwd=base,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            with socket.socket() as attempt:
                if attempt.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.1)
        else:
            pytest.fail("gunicorn did not start")
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=10)
