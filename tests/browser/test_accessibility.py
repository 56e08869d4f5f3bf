"""Every page, light and dark, at 390x844: zero axe-core violations, touch targets of 44 px, a visible keyboard focus.

The list of pages is checked against the URL resolver, so a new page cannot be added without being checked here.
"""

from datetime import date, timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from knowledge.nutrients import Nutrient
from tests.browser.conftest import log_in, person_with_diary
from tests.conftest import route_names
from tracker.diary.kinds import KINDS
from tracker.models import Experiment, Medication, ShareLink
from tracker.reminders.tokens import email_off_token, no_cramps_token
from tracker.summary.share_links import hash_token

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
# Routes that answer with something other than an HTML page for a person to read.
NOT_PAGES = {
    "quick_drink", "night_checkin", "acknowledge_prompt", "share_revoke", "choose_theme",
    "trends_data", "summary_pdf", "shared_pdf", "export_json", "export_csv", "export_fhir",
    "service_worker", "manifest", "logout", "password_change_done", "cramp_start", "cramp_detail", "cramp_stop",
    "resend_confirmation", "password_reset_confirm", "confirm_email", "entry_undo",
    "reminder_device_add", "reminder_device_remove", "reminder_test", "reminders_no_cramps",
    "experiment_control", "experiment_done", "choose_language", "js_catalog",
}  # fmt: skip
SMALL_OK = "a:not(.link-btn):not(.small-btn):not(.brand), input[type=checkbox], input[type=radio], .skip"


def pages_of(person) -> dict[str, list[str]]:
    """One URL (or more) per page name, with the person's own entries for the edit and delete pages."""
    edits, deletes = [], []
    for kind in KINDS.values():
        entry = kind.model.objects.filter(user=person).order_by("-pk").first()
        assert entry is not None, f"the diary needs a {kind.slug}"
        if kind.form is not None:
            edits.append(f"/entries/{kind.slug}/{entry.pk}/edit/")
        deletes.append(f"/entries/{kind.slug}/{entry.pk}/delete/")
    return {
        "today": [
            "/",
            f"/?saved={KINDS['cramp'].model.objects.filter(user=person).order_by('-pk').first().uuid}",
        ],
        "history": ["/history/"],
        "trends": ["/trends/"],
        "tips": ["/tips/"],
        "learn": ["/learn/"],
        "nutrient": [f"/learn/nutrients/{code}/" for code in Nutrient.values],
        "foods": ["/learn/foods/"],
        "about_cramps": ["/learn/about-leg-cramps/"],
        "see_a_clinician": ["/learn/see-a-clinician/"],
        "sources": ["/learn/sources/"],
        "entry_create": [f"/log/{kind.slug}/" for kind in KINDS.values() if kind.form is not None],
        "entry_edit": edits,
        "entry_delete": deletes,
        "medicines": ["/medicines/"],
        "more": ["/more/"],
        "experiments": ["/experiments/"],
        "experiment": [
            f"/experiments/{pk}/"
            for pk in Experiment.objects.filter(user=person).values_list("pk", flat=True)
        ]
        or pytest.fail("the diary needs an experiment"),
        "reminders": ["/reminders/"],
        # The page a reminder email's footer link opens, for a person who is not logged in as much as one who is.
        "reminders_email_off": [f"/reminders/email-off/{email_off_token(person.pk)}/"],
        # The reminder email's "No cramps last night" link, which works without logging in.
        "reminders_answer": [
            f"/reminders/answer/{no_cramps_token(person.pk, timezone.localdate() - timedelta(days=1))}/"
        ],
        "summary": ["/summary/"],
        "share_links": ["/summary/links/"],
        "my_data": ["/data/"],
        "offline": ["/offline/"],
        "profile": ["/accounts/profile/"],
        "password_change": ["/accounts/password/"],
        "delete_account": ["/accounts/delete/"],
    }


ANONYMOUS = {
    "login": "/accounts/login/",
    "signup": "/accounts/signup/",
    "password_reset": "/accounts/reset/",
    "password_reset_done": "/accounts/reset/sent/",
}


def check(page, url: str, scheme: str) -> list[str]:
    """axe-core's violations, undersized targets and invisible focus on one page, as readable lines."""
    problems = []
    response = page.goto(url)
    assert response.status in (200, 404), (url, response.status)
    page.evaluate(AXE.read_text())
    result = page.evaluate(
        "axe.run(document, {resultTypes: ['violations']}).then(r => r.violations.map(v => "
        "v.id + ': ' + v.help + ' at ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', ')))"
    )
    problems += [f"{url} [{scheme}] axe {line}" for line in result]
    small = page.evaluate(
        """(allowed) => Array.from(document.querySelectorAll(
             'a[href], button, input:not([type=hidden]), select, textarea, summary'))
           .filter(el => !el.matches(allowed) && el.offsetParent !== null)
           .map(el => [el, el.getBoundingClientRect()])
           .filter(([el, box]) => box.height < 44 || box.width < 44)
           .map(([el, box]) => el.outerHTML.slice(0, 80) + ' '
                + Math.round(box.width) + 'x' + Math.round(box.height))""",
        SMALL_OK,
    )
    problems += [f"{url} [{scheme}] small target {line}" for line in small]
    unreachable = page.evaluate(
        "Array.from(document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea'))"
        ".filter(el => el.tabIndex < 0 && el.offsetParent !== null).map(el => el.outerHTML.slice(0, 80))"
    )
    problems += [f"{url} [{scheme}] not reachable by keyboard {line}" for line in unreachable]
    if page.evaluate("document.documentElement.scrollWidth > window.innerWidth"):
        problems.append(f"{url} [{scheme}] scrolls sideways")
    return problems


def focus_is_visible(page) -> list[str]:
    """Tab through the page: every control the keyboard reaches shows an outline."""
    missing = []
    for _ in range(25):
        page.keyboard.press("Tab")
        outline = page.evaluate(
            "(() => { const el = document.activeElement; if (!el || el === document.body) return 'none';"
            " const s = getComputedStyle(el); return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2"
            " ? 'ok' : el.outerHTML.slice(0, 80); })()"
        )
        if outline not in ("ok", "none"):
            missing.append(outline)
    return missing


def make_diary_person():
    """ada, with 40 days of diary, a medicine, an experiment under way and a finished one: every page has content."""
    person = person_with_diary("ada", days=40, seed=3)
    Medication.objects.create(user=person, name="Magnesium", kind="supplement", started=date(2026, 1, 1))
    # An experiment in its third week (Today shows its card; its page shows results so far) and a finished one.
    for start, orders in (
        (timezone.localdate() - timedelta(days=16), ["UC", "CU"]),
        (date(2026, 1, 1), ["CU", "UC"]),
    ):
        Experiment.objects.create(
            user=person, change_key="stretch", change="stretch your calves before bed", block_days=7, pairs=2,
            seed=1, orders=orders, start=start, stopped_on=None if orders == ["UC", "CU"] else date(2026, 1, 20),
        )  # fmt: skip
    return person


def make_share_link(person) -> str:
    """A share link of the last four weeks, valid for a day; its token."""
    token = "a" * 43
    ShareLink.objects.create(
        user=person,
        token_hash=hash_token(token),
        first=timezone.localdate() - timedelta(days=27),
        last=timezone.localdate(),
        expires_at=timezone.now() + timedelta(days=1),
    )
    return token


@pytest.fixture
def diary_person(live_server):
    return make_diary_person()


def test_every_page_has_no_accessibility_violations_in_light_and_dark(phone, diary_person, browser):
    assert AXE.exists(), "run npm ci: axe-core is pinned in package.json"
    page = phone
    pages = pages_of(diary_person)
    covered = set(pages) | set(ANONYMOUS) | {"shared_summary"}
    assert route_names() - NOT_PAGES == covered, "a page without an accessibility check (or a stale entry)"

    token = make_share_link(diary_person)
    problems = []
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        page.context.clear_cookies()
        for url in [*ANONYMOUS.values(), "/"]:  # "/" is the front page for a visitor
            problems += check(page, url, scheme)
        problems += check(page, f"/s/{token}/", scheme)
        logged = len(page.problems)
        problems += check(page, f"/s/{'b' * 43}/", scheme)  # the "no longer valid" page
        del page.problems[logged:]  # Chromium logs its 404 status as a console error
        log_in(page, "ada")
        for urls in pages.values():
            for url in urls:
                problems += check(page, url, scheme)
        if scheme == "light":
            for urls in pages.values():
                page.goto(urls[0])
                problems += [f"{urls[0]} focus not visible on {el}" for el in focus_is_visible(page)]
    assert problems == [], "\n".join(problems)
    assert page.problems == []
