"""`make bench`: page cost at 1 month and at 5 years of diary, as ratios to a trivial logged-in view.

Run as `python -m tests.bench` (the Makefile sets the environment). It builds both diaries in a throwaway test
database (SQLite by default, PostgreSQL when DATABASE_URL is set), times each page with Django's test client,
and reports the median time as a multiple of a trivial logged-in view timed in the same rounds, with the SQL
queries per request. Seconds vary by machine; ratios and query counts are what the targets are about.
"""

import gc
import os
import statistics
import sys
import time
from datetime import timedelta

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from django.contrib.auth.decorators import login_required  # noqa: E402
from django.core.cache import caches  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import include, path  # noqa: E402
from django.utils import timezone  # noqa: E402

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "25"))
WARM_UP = 3


@login_required
def trivial(request):
    """The yardstick: session, user and middleware, and nothing else."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/trivial/", trivial), path("", include("config.urls"))]

PAGES = [
    ("Today, nothing kept", "/"),
    ("Today", "/"),
    ("History, nothing kept", "/history/"),
    ("History", "/history/"),
    ("Trends (12 weeks), nothing kept", "/trends/"),
    ("Trends (12 weeks)", "/trends/"),
    ("Trends data, 12 weeks, nothing kept", "/trends/data/?range=12w"),
    ("Trends data, 12 weeks", "/trends/data/?range=12w"),
    ("Trends data, all time, nothing kept", "/trends/data/?range=all"),
    ("Trends data, all time", "/trends/data/?range=all"),
    ("Summary (4 weeks)", "/summary/"),
    ("Summary PDF (4 weeks)", "/summary/pdf/"),
]
# Today, History, Trends and the trends data are cached until the diary changes (tracker/entries/page_cache.py).
# "Nothing kept" is the first request after a change, built from the diary: it clears what is kept, so it comes
# just before its page. The trends targets hold for that first request; Today's and History's for the page served.
UNKEPT = {name for name, _ in PAGES if name.endswith("nothing kept")}
TARGETS = {
    "Today": 3.0,
    "History": 3.0,
    "Trends (12 weeks)": 3.0,
    "Trends data, all time, nothing kept": 10.0,
    "Trends data, all time": 10.0,
}
SAME_SIZE_TARGET = ("Trends data, 12 weeks, nothing kept", 1.3)


def build(username: str, days: int) -> tuple[Client, dict]:
    from tests.conftest import make_person
    from tracker.data.demo import build_diary

    person = make_person(username, "Europe/London")
    zone = person.profile.zone
    now = timezone.now()
    today = now.astimezone(zone).date()
    counts = build_diary(
        person,
        zone,
        today - timedelta(days=days - 1),
        today,
        now,
        seed=2026,
        cramps_max_per_day=3,
        drinks_per_day=4,
        foods_per_meal=3,
        exercise_chance=1.0,
    )
    client = Client()
    client.force_login(person)
    return client, counts


def measure(clients: dict[str, Client]) -> dict[str, dict[str, tuple[float, int]]]:
    """Median seconds and queries per page for each diary; every page of both diaries, the trivial view
    included, is timed in the same interleaved rounds, so they all see the same machine."""
    urls = [("trivial", "/bench/trivial/"), *PAGES]
    for client in clients.values():
        for _ in range(WARM_UP):
            for _, url in urls:
                assert client.get(url).status_code == 200, url
    gc.collect()  # the diaries just built leave garbage that would otherwise be collected mid-measurement
    timings = {(diary, name): [] for diary in clients for name, _ in urls}
    for _ in range(ROUNDS):
        for diary, client in clients.items():
            for name, url in urls:
                if name in UNKEPT:
                    caches["pages"].clear()
                started = time.perf_counter()
                client.get(url)
                timings[diary, name].append(time.perf_counter() - started)
    # The trivial view doesn't depend on the diary: one yardstick from all its samples, whichever diary's round.
    trivial = statistics.median(t for diary in clients for t in timings[diary, "trivial"])
    results = {}
    for diary, client in clients.items():
        results[diary] = {}
        for name, url in urls:
            if name in UNKEPT:
                caches["pages"].clear()
            with CaptureQueriesContext(connection) as captured:
                client.get(url)
            seconds = trivial if name == "trivial" else statistics.median(timings[diary, name])
            results[diary][name] = (seconds, len(captured))
    reset_queries()
    return results


def main() -> int:
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    failures = []
    try:
        with override_settings(ROOT_URLCONF="tests.bench", ALLOWED_HOSTS=["testserver"]):
            started = time.perf_counter()
            month_client, month_counts = build("month", 31)
            years_client, years_counts = build("years", 5 * 365 + 1)
            print(f"Database: {connection.vendor}. Built in {time.perf_counter() - started:.1f} s:")
            print(f"  1 month: {month_counts}")
            print(f"  5 years: {years_counts}")
            results = measure({"1 month": month_client, "5 years": years_client})
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)

    print(f"\nMedian of {ROUNDS} rounds; x = multiple of the trivial logged-in view in the same run.")
    print(f"{'Page':<38}{'1 month':>18}{'5 years':>18}")
    trivial_ms, trivial_queries = results["1 month"]["trivial"][0] * 1000, results["1 month"]["trivial"][1]
    print(f"{'Trivial logged-in view':<38}{f'{trivial_ms:.2f} ms {trivial_queries} q':>18}")
    ratios = {}
    for name, _ in PAGES:
        cells = []
        for diary, measured in results.items():
            seconds, queries = measured[name]
            ratio = seconds / measured["trivial"][0]
            ratios[name, diary] = ratio
            cells.append(f"{ratio:5.1f}x {seconds * 1000:6.1f} ms {queries:2d} q")
        print(f"{name:<38}{cells[0]:>18}  {cells[1]:>18}")
        month_q, years_q = results["1 month"][name][1], results["5 years"][name][1]
        if month_q != years_q:
            failures.append(f"{name}: {month_q} queries at 1 month but {years_q} at 5 years")
    print("\nTargets:")
    for name, limit in TARGETS.items():
        ratio = ratios[name, "5 years"]
        verdict = "ok" if ratio <= limit else "MISSED"
        print(f"  {name} at 5 years within {limit:g}x the trivial view: {ratio:.1f}x {verdict}")
        if ratio > limit:
            failures.append(f"{name}: {ratio:.1f}x")
    name, limit = SAME_SIZE_TARGET
    growth = ratios[name, "5 years"] / ratios[name, "1 month"]
    verdict = "ok" if growth <= limit else "MISSED"
    print(f"  {name} at 5 years within {limit:g}x of the same at 1 month: {growth:.2f}x {verdict}")
    if growth > limit:
        failures.append(f"{name} grew {growth:.2f}x")
    same_queries = not any("queries" in failure for failure in failures)
    print(f"  Queries per request the same at 1 month and 5 years: {'ok' if same_queries else 'MISSED'}")
    for failure in failures:
        print(f"MISSED: {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
