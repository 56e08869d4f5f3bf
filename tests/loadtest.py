"""`make loadtest`: the app as deployed (`make serve`, gunicorn with 2 workers) under bounded load, on SQLite and
then on PostgreSQL, with and without a worker killed in the middle.

Run as `python -m tests.loadtest`. For each run it makes a fresh database, starts `make serve` on its own port,
logs in PEOPLE people and lets each one, for SECONDS seconds and with no pause between requests, log cramps and
drinks (as the phone's outbox does: JSON answers, a UUID per entry, the same UUID again after a dropped
connection) and read Today and Trends. It reports requests per second, median and 95th percentile latency and
errors, then reads the database and checks that the rows stored are exactly the creates the server confirmed:
nothing lost, nothing doubled. A killed worker drops the requests it was serving; the client sends them again,
as a phone would, and those retries are counted apart from errors.

Settings: LOADTEST_PEOPLE (20), LOADTEST_SECONDS (30), LOADTEST_PG (a PostgreSQL server URL without a database
name, default postgres://postgres@127.0.0.1:5432; "none" skips PostgreSQL), LOADTEST_PORT (8765).
"""

import http.client
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from tests.http_client import request

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
PEOPLE = int(os.environ.get("LOADTEST_PEOPLE", "20"))
SECONDS = float(os.environ.get("LOADTEST_SECONDS", "30"))
PORT = int(os.environ.get("LOADTEST_PORT", "8765"))
PG_SERVER = os.environ.get("LOADTEST_PG", "postgres://postgres@127.0.0.1:5432")
PG_DATABASE = "crampdiary_loadtest"
PASSWORD = "load test passphrase 1"  # noqa: S105 - throwaway people in a throwaway database
RETRIES = 5
# What a person does, with weights: mostly reading, often logging.
ACTIONS = [("cramp", 2), ("drink", 3), ("today", 3), ("trends", 1), ("trends data", 1)]


@dataclass
class Tally:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: Counter = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    retried: int = 0
    saved: dict[str, dict[str, set[str]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(set))
    )
    lock: threading.Lock = field(default_factory=threading.Lock)


class Person:
    """One phone: its own cookies, logging in once, then requests until the time is up."""

    def __init__(self, username: str, tally: Tally):
        self.username = username
        self.tally = tally
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: dict | None = None, json_answer: bool = False):
        headers = {"Accept": "application/json"} if json_answer else None
        status, _, content = request(PORT, method, path, self.cookies, body, headers)
        return status, content

    def log_in(self) -> None:
        self.request("GET", "/accounts/login/")
        status, _ = self.request(
            "POST", "/accounts/login/", {"username": self.username, "password": PASSWORD}
        )
        if status != 302:
            raise RuntimeError(f"{self.username} could not log in ({status})")

    def timed(self, kind: str, method: str, path: str, body=None, json_answer=False):
        """One action, sent again with the same body after a dropped connection, as the phone's outbox does."""
        for attempt in range(RETRIES):
            started = time.perf_counter()
            try:
                status, content = self.request(method, path, body, json_answer)
            except (ConnectionError, http.client.HTTPException, TimeoutError) as error:
                with self.tally.lock:
                    self.tally.retried += 1
                if attempt == RETRIES - 1:
                    with self.tally.lock:
                        self.tally.errors.append(f"{kind}: {error!r} after {RETRIES} tries")
                    return None, b""
                time.sleep(0.2)
                continue
            elapsed = time.perf_counter() - started
            with self.tally.lock:
                self.tally.latencies[kind].append(elapsed)
                self.tally.statuses[status] += 1
                if status >= 400:
                    self.tally.errors.append(f"{kind}: HTTP {status} {content[:200]!r}")
            return status, content
        return None, b""

    def create(self, kind: str, path: str, body: dict) -> None:
        status, content = self.timed(kind, "POST", path, body, json_answer=True)
        if status == 200 and json.loads(content).get("saved"):
            with self.tally.lock:
                self.tally.saved[self.username][kind].add(body["uuid"])

    def act(self, action: str) -> None:
        if action == "cramp":
            body = {
                "uuid": str(uuid.uuid4()),
                "at": "",
                "duration_minutes": str(random.choice([1, 2, 3, 5])),
                "intensity": str(random.randint(0, 10)),
                "muscle": random.choice(["calf", "foot", "toes"]),
                "side": random.choice(["left", "right", "both"]),
            }
            self.create("cramp", "/log/cramp/", body)
        elif action == "drink":
            body = {"uuid": str(uuid.uuid4()), "amount_ml": random.choice(["150", "250", "500"])}
            self.create("drink", "/log/water/", body)
        elif action == "today":
            self.timed("today", "GET", "/")
        elif action == "trends":
            self.timed("trends", "GET", "/trends/")
        else:
            self.timed("trends data", "GET", "/trends/data/?range=12w")

    def run(self, until: float) -> None:
        actions, weights = zip(*ACTIONS, strict=True)
        while time.monotonic() < until:
            self.act(random.choices(actions, weights)[0])


# The server --------------------------------------------------------------------------------------------------


def manage(env: dict, *args: str) -> str:
    result = subprocess.run(  # noqa: S603
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return result.stdout


def prepare_database(env: dict, usernames: list[str]) -> None:
    manage(env, "migrate", "--no-input", "-v", "0")
    code = (
        "from tests.conftest import make_person\n"
        f"for name in {usernames!r}:\n"
        "    person = make_person(name, 'Europe/London')\n"
        f"    person.set_password({PASSWORD!r}); person.save()\n"
    )
    manage(env, "shell", "-c", code)


def stored_rows(env: dict, usernames: list[str]) -> dict:
    code = (
        "import json\n"
        "from tracker.models import CrampEpisode, Drink\n"
        "def uuids(model, name):\n"
        "    return [str(u) for u in model.objects.filter(user__username=name).values_list('uuid', flat=True)]\n"
        "out = {}\n"
        f"for name in {usernames!r}:\n"
        "    out[name] = {'cramp': uuids(CrampEpisode, name), 'drink': uuids(Drink, name)}\n"
        "print(json.dumps(out))\n"
    )
    return json.loads(manage(env, "shell", "-c", code).strip().splitlines()[-1])


def wait_for_port(deadline: float) -> None:
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=2)
            conn.request("GET", "/accounts/login/")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"make serve did not answer on port {PORT}")


def gunicorn_workers() -> list[int]:
    """The worker processes: gunicorn processes whose parent is the gunicorn master (not the shell make started)."""
    found = subprocess.run(  # noqa: S603
        ["pgrep", "-f", f"gunicorn config.wsgi --bind 127.0.0.1:{PORT}"],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    ).stdout.split()
    parents = {}
    for pid in map(int, found):
        try:
            argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            continue
        if Path(argv[0].decode()).name.startswith("python") or Path(argv[0].decode()).name == "gunicorn":
            parents[pid] = int(stat.rsplit(")", 1)[1].split()[1])
    return sorted(pid for pid, parent in parents.items() if parent in parents)


# One run -----------------------------------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def one_run(label: str, env: dict, kill_worker: bool) -> bool:
    usernames = [f"load{n:02d}" for n in range(PEOPLE)]
    prepare_database(env, usernames)
    log = tempfile.NamedTemporaryFile(prefix="loadtest-serve-", suffix=".log", delete=False)  # noqa: SIM115
    server = subprocess.Popen(  # noqa: S603
        ["make", "--no-print-directory", "serve", f"PORT={PORT}", "WORKERS=2"],  # noqa: S607
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    tally = Tally()
    killed = None
    try:
        wait_for_port(time.monotonic() + 90)
        people = [Person(name, tally) for name in usernames]
        for person in people:
            person.log_in()
        started = time.monotonic()
        until = started + SECONDS
        threads = [threading.Thread(target=person.run, args=(until,)) for person in people]
        for thread in threads:
            thread.start()
        if kill_worker:
            time.sleep(SECONDS / 2)
            workers = gunicorn_workers()
            if workers:
                killed = workers[0]
                os.kill(killed, signal.SIGKILL)
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    server_log = Path(log.name).read_text(errors="replace")
    locked = server_log.count("database is locked")
    booted = server_log.count("Booting worker")

    stored = stored_rows(env, usernames)
    lost = doubled = extra = 0
    for name in usernames:
        for kind in ("cramp", "drink"):
            rows = stored[name][kind]
            confirmed = tally.saved[name][kind]
            doubled += len(rows) - len(set(rows))
            lost += len(confirmed - set(rows))
            extra += len(set(rows) - confirmed)

    every = [t for times in tally.latencies.values() for t in times]
    creates = sum(len(kinds[k]) for kinds in tally.saved.values() for k in kinds)
    killed_note = f" (one worker killed half-way: pid {killed})" if kill_worker else ""
    print(f"\n== {label}{killed_note}")
    print(
        f"{PEOPLE} people, {elapsed:.0f} s, {len(every)} requests: {len(every) / elapsed:.1f} requests/s, "
        f"median {statistics.median(every) * 1000:.0f} ms, p95 {percentile(every, 0.95) * 1000:.0f} ms"
    )
    for kind, times in sorted(tally.latencies.items()):
        print(
            f"  {kind:<12} {len(times):>5} requests  median {statistics.median(times) * 1000:>5.0f} ms  "
            f"p95 {percentile(times, 0.95) * 1000:>5.0f} ms"
        )
    print(f"  statuses: {dict(sorted(tally.statuses.items()))}")
    print(
        f"  errors: {len(tally.errors)}; 'database is locked' in the server log: {locked}; "
        f"dropped connections sent again: {tally.retried}"
    )
    for error in tally.errors[:5]:
        print(f"    {error}")
    print(
        f"  creates confirmed: {creates}; rows stored: {creates - lost + extra}; "
        f"lost {lost}, doubled {doubled}, stored but not confirmed {extra}"
    )
    ok = not tally.errors and not locked and not lost and not doubled and not extra
    if kill_worker:
        print(f"  workers booted: {booted} (2 at start, and gunicorn's replacement for the killed one)")
        if killed is None or booted < 3:
            print("  the worker was not killed and replaced")
            ok = False
    if ok:
        Path(log.name).unlink()
    else:
        print(f"  server log kept in {log.name}")
    print("  PASS" if ok else "  FAIL")
    return ok


def fresh_postgres_database() -> bool:
    """An empty PG_DATABASE for one run; False (with the reason printed) when PostgreSQL can't be used here."""
    try:
        import psycopg

        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True, connect_timeout=3) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)")
            conn.execute(f"CREATE DATABASE {PG_DATABASE}")
        return True
    except Exception as error:  # noqa: BLE001 - any failure means: no PostgreSQL to test here
        print(f"\nPostgreSQL at {PG_SERVER} is not usable ({error}); skipping it.")
        return False


def main() -> int:
    base = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SQLITE_PATH")}
    base.update(DEBUG="false", SECURE="false", PYTHONPATH=str(ROOT))
    base.setdefault("SECRET_KEY", (ROOT / ".make" / "secret-key").read_text().strip())
    results = []
    with tempfile.TemporaryDirectory(prefix="loadtest-") as scratch:
        for kill in (False, True):
            env = {**base, "SQLITE_PATH": str(Path(scratch) / f"load-{kill}.sqlite3")}
            results.append(one_run("SQLite", env, kill))
    for kill in (False, True) if PG_SERVER != "none" else ():
        if not fresh_postgres_database():
            results.append(False)
            break
        env = {**base, "DATABASE_URL": f"{PG_SERVER}/{PG_DATABASE}"}
        results.append(one_run("PostgreSQL", env, kill))
    print("\nloadtest:", "all runs passed" if all(results) else "FAILED")
    return 0 if all(results) else 1


if __name__ == "__main__":
    random.seed(os.environ.get("LOADTEST_SEED", "7"))
    sys.exit(main())
