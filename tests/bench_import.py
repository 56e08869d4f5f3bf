"""`make bench`, import part: a 20-year diary's JSON export (tests/heavy.py, about 200,000 entries) imported into a
new account as the background job does it, in a worker process of its own, while another person logs in again and
again. Reports the job's time (and each step's), the worker's peak memory, and the log-in time during the import as
a ratio to the same log-in with nothing running (the target: under 2 s, and no error).

Run as `python -m tests.bench_import` (the Makefile's test environment; DATABASE_URL selects PostgreSQL).
BENCH_IMPORT_DAYS sets the diary's length (7305 days, 20 years, by default). It builds the diary in a throwaway
test database, exports it to a file, keeps that file in an ImportJob as an upload is kept, and runs the job in a
child process (`python -m tests.bench_import worker <warm job> <job>`), which first imports a 14-day diary (a warm
worker), then runs the job and reports its seconds and its peak resident memory (ru_maxrss) beside its resident
memory just before the job. Log-ins use the production password hasher.
"""

import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

DAYS = int(os.environ.get("BENCH_IMPORT_DAYS", "7305"))
LOGIN_TARGET_SECONDS = 2.0
IDLE_LOGINS = 15
PASSWORD = "a password for the bench only"


def resident_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1024 / 1024


def worker(warm_job_id: int, job_id: int) -> None:
    """The child: run a small import (a warm worker has done one before), then the job, and report."""
    from django.db import transaction

    from tracker.data import imports
    from tracker.data.import_jobs import run_import

    run_import.call(warm_job_id)
    baseline = resident_mb()
    # How long each of the writing's short transactions holds the database (on SQLite, what another writer waits).
    held: list[float] = []
    insert_many = imports.insert_many

    def timed(*args, **kwargs):
        started = time.perf_counter()
        with transaction.atomic():  # within the batch's own: its time up to here is the batch's
            done = insert_many(*args, **kwargs)
        held.append(time.perf_counter() - started)
        return done

    imports.insert_many = timed
    started = time.perf_counter()
    state = run_import.call(job_id)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "state": state,
                "seconds": seconds,
                "peak_mb": peak,
                "baseline_mb": baseline,
                "inserts": len(held),
                "insert_max": max(held),
                "insert_median": statistics.median(held),
                "load": os.getloadavg()[0],
            }
        )
    )


def log_in(username: str) -> tuple[float, str]:
    """One log-in from a fresh browser: its seconds, and what came of it ("ok" or the error)."""
    client = Client()
    started = time.perf_counter()
    try:
        response = client.post(reverse("login"), {"username": username, "password": PASSWORD})
    except Exception as error:  # noqa: BLE001  the bench reports it
        return time.perf_counter() - started, f"{type(error).__name__}: {error}"
    seconds = time.perf_counter() - started
    return seconds, "ok" if response.status_code == 302 else f"status {response.status_code}"


def main() -> int:
    from django.contrib.auth.models import User

    from tests.bench_heavy import child_environment
    from tests.heavy import build_heavy
    from tracker.data import export
    from tracker.data.columns import SECTIONS
    from tracker.data.imports import WRITE_BATCH
    from tracker.entries import day_totals
    from tracker.models import ImportJob, Profile

    setup_test_environment()
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    name = str(connection.settings_dict["NAME"])
    if connection.vendor == "sqlite":
        own = str(Path(name).with_name(Path(name).stem + "-import-bench.sqlite3"))
    else:
        own = f"test_{name}_import_bench"
    connection.settings_dict.setdefault("TEST", {})["NAME"] = own
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    environment = child_environment(str(settings.DATABASES["default"]["NAME"]))
    work = Path(tempfile.mkdtemp(prefix="bench-import-"))
    failures: list[str] = []
    try:
        people = {}
        for username in ("heavy", "copy", "other", "warm"):
            people[username] = User.objects.create_user(username, password=PASSWORD)
            Profile.objects.filter(user=people[username]).update(time_zone="Europe/London")
        heavy = people["heavy"]
        heavy.refresh_from_db()
        started = time.perf_counter()
        counts = build_heavy(heavy, days=DAYS)
        day_totals.make_current(heavy)
        print(
            f"Database: {connection.vendor}. Diary of {DAYS:,} days, {sum(counts.values()):,} entries: {counts}"
        )
        print(f"Built in {time.perf_counter() - started:.0f} s.")
        exported = work / "export.json"
        with open(exported, "wb") as out:
            for chunk in export.json_chunks(heavy):
                out.write(chunk)
        raw = exported.read_bytes()
        size_mb = len(raw) / 1024 / 1024
        job = ImportJob.objects.create(user=people["copy"], upload=raw, size=len(raw))
        del raw
        build_heavy(people["other"], days=14)
        small = b"".join(export.json_chunks(people["other"]))
        warm_job = ImportJob.objects.create(user=people["warm"], upload=small, size=len(small))
        connection.close()

        idle = [log_in("other") for _ in range(IDLE_LOGINS)]
        if any(result != "ok" for _, result in idle):
            failures.append(f"idle log-in: {[result for _, result in idle]}")
        idle_median = statistics.median(seconds for seconds, _ in idle)
        connection.close()

        command = [sys.executable, "-m", "tests.bench_import", "worker", str(warm_job.pk), str(job.pk)]
        child = subprocess.Popen(  # noqa: S603
            command, env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        during: list[tuple[float, str, str]] = []  # seconds, result, the job's step at the time
        steps: dict[str, float] = {}
        began = time.perf_counter()
        while child.poll() is None:
            state = ImportJob.objects.filter(pk=job.pk).values_list("state", flat=True).first() or "?"
            steps.setdefault(state, time.perf_counter() - began)
            if state in ImportJob.RUNNING and state != "waiting":
                seconds, result = log_in("other")
                during.append((seconds, result, state))
            time.sleep(0.25)
        out, err = child.communicate()
        if child.returncode != 0:
            raise RuntimeError(f"the worker failed:\n{err[-3000:]}")
        report = json.loads(out.strip().splitlines()[-1])
        if report["state"] != "done":
            failures.append(f"the import ended {report['state']}")
        imported = sum(
            model.objects.filter(user=people["copy"]).count()
            for model in {section.model for section in SECTIONS}
        )
    finally:
        connection.close()
        connection.creation.destroy_test_db(old_name, verbosity=0)
        for path in work.iterdir():
            path.unlink()
        work.rmdir()

    print(f"JSON export: {size_mb:.1f} MB; imported {imported:,} entries.")
    if imported != sum(counts.values()):
        failures.append(f"imported {imported:,} of {sum(counts.values()):,} entries")
    print(
        "Steps, from the worker's start (as polled every 0.25 s): "
        + ", ".join(f"{s} {t:.1f} s" for s, t in steps.items())
    )
    errors = [result for _, result, _ in during if result != "ok"]
    times = [seconds for seconds, _, _ in during]
    if not times:
        failures.append("no log-in was made during the import")
        times = [float("nan")]
    slowest = max(times)
    print(f"\n{f'Import of a {DAYS / 365.25:.0f}-year diary (background job)':<48}")
    print(f"{'  job time':<48}{report['seconds']:>9.1f} s")
    print(f"{'  worker peak RSS':<48}{report['peak_mb']:>9.0f} MB")
    print(
        f"{'  worker peak above its resident memory before':<48}{report['peak_mb'] - report['baseline_mb']:>9.0f} MB"
    )
    print(
        f"{'  its INSERTs (a batch of ' + str(WRITE_BATCH) + ' each), median':<48}{report['insert_median']:>9.3f} s"
        f"   slowest {report['insert_max']:.3f} s (of {report['inserts']})"
    )
    print(f"{'  load average at the end (2 cores here)':<48}{report['load']:>9.1f}")
    print(f"{'Another person logs in (production hasher)':<48}")
    print(f"{'  idle, median of ' + str(IDLE_LOGINS):<48}{idle_median:>9.2f} s")
    print(
        f"{'  during the import, median of ' + str(len(during)):<48}{statistics.median(times):>9.2f} s"
        f"   ratio {statistics.median(times) / idle_median:.1f}"
    )
    print(
        f"{'  during the import, slowest':<48}{slowest:>9.2f} s   ratio {slowest / idle_median:.1f}"
        f"   target < {LOGIN_TARGET_SECONDS:g} s: {'ok' if slowest < LOGIN_TARGET_SECONDS else 'MISSED'}"
    )
    print(f"{'  errors during the import':<48}{len(errors):>9}")
    by_step: dict[str, list[float]] = {}
    for seconds, _, state in during:
        by_step.setdefault(state, []).append(seconds)
    for state, found in by_step.items():
        print(f"{'    while ' + state + ', slowest of ' + str(len(found)):<48}{max(found):>9.2f} s")
    if errors:
        failures.append(f"log-in errors during the import: {errors[:3]}")
    if slowest >= LOGIN_TARGET_SECONDS:
        failures.append(f"a log-in during the import took {slowest:.2f} s")
    for failure in failures:
        print(f"FAILED: {failure}")
    return 1 if failures else 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["worker"]:
        worker(int(sys.argv[2]), int(sys.argv[3]))
    else:
        sys.exit(main())
