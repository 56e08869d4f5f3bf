"""`make bench`, reminders part: a tick with BENCH_REMINDERS people (100,000 unless set) whose morning reminder is due
in the same minute, each with one phone at a Web Push service on 127.0.0.1 (tests/push_service.py, counting what
arrives without checking it), sent by BENCH_WORKERS workers (2 unless set): how long the tick takes to claim and
queue everything, and how long until every push has arrived.

Run as `python -m tests.bench_reminders` (the Makefile's test environment; DATABASE_URL selects PostgreSQL, the
database issue 29 asks about). It builds the people in a throwaway test database of its own, starts the workers
(`manage.py run_worker`, as deployed) and waits until they poll, then runs what a tick runs (tracker/reminders/
tasks.py: claim what is due, queue it in batches) and counts the pushes arriving. Every phone shares one key pair:
the app still encrypts and signs each push on its own, as it would for different phones. It fails only when a push
is missing: the time depends on the machine, so it prints the workers' CPU time per push as well, to read the
figure for another machine.
"""

import os
import signal
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import django
from cryptography.hazmat.primitives.asymmetric import ec

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

PEOPLE = int(os.environ.get("BENCH_REMINDERS", "100000"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
ROOT = Path(__file__).resolve().parents[1]
TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """The process's CPU time so far (user and system), from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def make_people(count: int, endpoint_base: str, moment: datetime) -> None:
    """`count` people in UTC, each with the morning reminder due at `moment` and one phone, in bulk."""
    from django.contrib.auth.models import User

    from tests import push_service
    from tracker.models import Profile, PushSubscription, ReminderSettings

    keys = push_service.Subscription("", ec.generate_private_key(ec.SECP256R1()), os.urandom(16))
    p256dh, auth = keys.p256dh, push_service.b64encode(keys.auth)
    at = moment.time().replace(second=0, microsecond=0)
    long_ago = datetime(2026, 1, 1, tzinfo=UTC)
    step = 5000
    for start in range(0, count, step):
        names = [f"r{n}" for n in range(start, min(start + step, count))]
        User.objects.bulk_create([User(username=name, password="!") for name in names])
        users = list(User.objects.filter(username__in=names).values_list("pk", flat=True))
        existing = set(Profile.objects.filter(user_id__in=users).values_list("user_id", flat=True))
        Profile.objects.bulk_create(
            [Profile(user_id=pk, time_zone="UTC") for pk in users if pk not in existing]
        )
        ReminderSettings.objects.bulk_create(
            [
                ReminderSettings(user_id=pk, morning_on=True, morning_at=at, changed_at=long_ago)
                for pk in users
            ]
        )
        PushSubscription.objects.bulk_create(
            [
                PushSubscription(user_id=pk, endpoint=f"{endpoint_base}/push/{pk}", p256dh=p256dh, auth=auth)
                for pk in users
            ]
        )


def start_workers(environment: dict, log: Path) -> list[subprocess.Popen]:
    """The workers, as deployed; what they log goes to `log` (a pipe nobody reads would fill and stop them)."""
    command = [
        sys.executable,
        "manage.py",
        "run_worker",
        "--interval",
        "0.2",
        "--no-startup-delay",
        "--no-reload",
    ]
    with open(log, "ab") as out:
        return [
            subprocess.Popen(command, cwd=ROOT, env=environment, stdout=out, stderr=out)  # noqa: S603
            for _ in range(WORKERS)
        ]


def main() -> int:
    from tests import push_service
    from tracker.reminders import sending, tasks

    setup_test_environment()
    name = str(connection.settings_dict["NAME"])
    if connection.vendor == "sqlite":
        own = str(Path(name).with_name(Path(name).stem + "-reminders-bench.sqlite3"))
    else:
        own = f"test_{name}_reminders_bench"
    connection.settings_dict.setdefault("TEST", {})["NAME"] = own
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    database_name = str(settings.DATABASES["default"]["NAME"])
    environment = dict(os.environ, PUSH_SERVICES="127.0.0.1", TASKS_BACKEND="django_tasks_db.DatabaseBackend")
    if connection.vendor == "sqlite":
        environment["SQLITE_PATH"] = database_name
    else:
        environment["DATABASE_URL"] = os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/" + database_name
    service, server = push_service.start(check=False)
    worker_log = Path(tempfile.mkstemp(prefix="bench-reminders-", suffix=".log")[1])
    workers: list[subprocess.Popen] = []
    failures: list[str] = []
    try:
        # The minute the reminders are due: the next whole minute, so the tick runs inside it.
        now = timezone.now()
        due_at = (now + timedelta(minutes=1)).replace(second=0, microsecond=0)
        started = time.perf_counter()
        make_people(PEOPLE, service.origin, due_at)
        connection.close()
        print(
            f"Database: {connection.vendor}. {PEOPLE:,} people built in {time.perf_counter() - started:.1f} s."
        )

        workers = start_workers(environment, worker_log)
        time.sleep(max(0.0, (due_at - timezone.now()).total_seconds()) + 0.5)  # the workers start meanwhile
        for worker in workers:
            if worker.poll() is not None:
                raise RuntimeError(f"a worker ended: {worker_log.read_text()[-2000:]}")

        tick_started = time.perf_counter()
        claims = sending.claim_due(timezone.now())
        claimed = time.perf_counter() - tick_started
        for batch in sending.batches(claims):
            tasks.send_reminders.enqueue(batch)
        queued = time.perf_counter() - tick_started
        connection.close()
        print(f"Tick: {len(claims):,} claimed in {claimed:.1f} s, queued in {sending.BATCH}-reminder batches by "
              f"{queued:.1f} s.")  # fmt: skip

        deadline = tick_started + 30 * 60
        last_count, last_change = 0, time.perf_counter()
        while service.count < PEOPLE and time.perf_counter() < deadline:
            time.sleep(0.2)
            if service.count != last_count:
                last_count, last_change = service.count, time.perf_counter()
            elif time.perf_counter() - last_change > 120:
                break  # nothing arrived for two minutes
        finished = time.perf_counter() - tick_started
        arrived = service.count
        used = sum(cpu_seconds(worker.pid) for worker in workers)
        print(
            f"Pushes arrived: {arrived:,} of {PEOPLE:,}, the last {finished:.1f} s after the tick began "
            f"({arrived / max(finished, 1e-9):,.0f} a second, {WORKERS} workers, {sending.PUSH_THREADS} pushes at "
            "once each)."
        )
        print(
            f"The workers' CPU: {used:.0f} s in all, {used / max(arrived, 1) * 1000:.2f} ms a push (encrypting, "
            f"signing, HTTP); on {os.cpu_count()} cores of their own the sending would take about "
            f"{used / min(WORKERS, os.cpu_count() or 1):.0f} s."
        )
        if arrived < PEOPLE:
            failures.append(f"only {arrived:,} of {PEOPLE:,} pushes arrived")
    finally:
        for worker in workers:
            worker.send_signal(signal.SIGTERM)
        for worker in workers:
            try:
                worker.wait(30)
            except subprocess.TimeoutExpired:
                worker.kill()
        server.shutdown()
        server.server_close()
        connection.close()
        connection.creation.destroy_test_db(old_name, verbosity=0)
        worker_log.unlink()
    for failure in failures:
        print(f"MISSED: {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
