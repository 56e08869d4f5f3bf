"""The suite without its browser tests, as if it were each of the moments below (tests/clock.py, pytest's --at):
the nights and weeks where a date sum goes wrong. Two runs at a time (one a core), each on a SQLite file of its
own; prints how long each took and the failures of any that failed. `make test-moments`, run by .ci/run."""

import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from tests.clock import moment

# (local moment, zone, why this one)
MOMENTS = [
    ("2027-05-01T22:00", "Europe/London", "the first night of a month"),
    ("2027-04-30T23:30", "Europe/London", "the last night of a month"),
    ("2027-03-28T01:30", "Europe/London", "London's clocks go forward: 01:30 does not happen"),
    ("2027-10-31T01:30", "Europe/London", "London's clocks go back: the first of two 01:30s"),
    ("2027-10-31T01:30+00:00", "Europe/London", "London's clocks go back: the second 01:30"),
    ("2027-09-26T02:30", "Pacific/Auckland", "Auckland's clocks go forward: 02:30 does not happen"),
    ("2027-12-31T23:30", "Europe/London", "New Year's Eve"),
    ("2028-02-29T23:30", "Europe/London", "the night of a leap day"),
    ("2027-06-07T00:30", "Europe/London", "a Monday, half an hour after midnight"),
    ("2027-08-01T00:30", "Europe/London", "a month's first half hour, still the month before in UTC"),
]
BASE = Path(__file__).resolve().parents[1]


def run(at: str, zone: str, folder: Path) -> tuple[int, float, str]:
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}  # SQLite, a file each
    env["SQLITE_PATH"] = str(
        folder / f"{at.replace(':', '').replace('+', '_')}-{zone.replace('/', '-')}.sqlite3"
    )
    command = [sys.executable, "-m", "pytest", "-m", "not browser", "-q", "-p", "no:cacheprovider"]
    command += [f"--at={at}", f"--at-zone={zone}"]
    started = time.monotonic()
    done = subprocess.run(command, cwd=BASE, env=env, capture_output=True, text=True)  # noqa: S603
    return done.returncode, time.monotonic() - started, done.stdout + done.stderr


def main() -> int:
    jobs = int(os.environ.get("MOMENT_JOBS", "2"))
    for at, zone, why in MOMENTS:  # a moment that is not what its note says is a mistake here, not a test
        local = moment(at, zone)
        print(f"   {at:22} {zone:17} {local:%A}, UTC{local:%z}: {why}", flush=True)
    failed = 0
    with tempfile.TemporaryDirectory() as folder, ThreadPoolExecutor(jobs) as pool:
        futures = [(moment, pool.submit(run, moment[0], moment[1], Path(folder))) for moment in MOMENTS]
        for (at, zone, _), future in futures:
            code, seconds, output = future.result()
            lines = [line for line in output.splitlines() if line.strip()]
            closing = lines[-1] if lines else "(no output)"
            print(f"== at {at} {zone}: {closing.strip('= ')} ({seconds:.0f} s)", flush=True)
            if code != 0:
                failed += 1
                start = next((i for i, line in enumerate(lines) if "FAILURES" in line or "ERRORS" in line), 0)
                print("\n".join(lines[start:][-200:]), flush=True)
    print(f"{len(MOMENTS) - failed} moments passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
