"""`make bench`, heavy part: a 20-year diary of about 200,000 entries (tests/heavy.py), and for each report and
download its wall time and the peak resident memory of the process serving it, against the targets.

Run as `python -m tests.bench_heavy` (the Makefile sets the environment; DATABASE_URL selects PostgreSQL). It
builds the diary in a throwaway test database, then serves each request in a fresh process
(tests/bench_heavy_one.py), which reports the request's seconds and the process's peak resident memory (the
kernel's high-water mark, ru_maxrss) beside its resident memory just before the request, once warm. The import
reads the exported file from disk as a server reads an upload. Afterwards it checks what was sent: the JSON and the
FHIR Bundle parse, the zip is whole, and the diary imported into a new account exports the same JSON as the
original apart from the moment of export (lossless).
"""

import json
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from datetime import timedelta
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

DAYS = int(os.environ.get("BENCH_HEAVY_DAYS", "7305"))
TIME_TARGET = {"summary": 0.5, "summary_pdf": 1.0, "shared": 1.0, "export": 30.0}
MEMORY_TARGET_MB = 150.0


def child_environment(database_name: str) -> dict[str, str]:
    """The environment that points a child process at the test database."""
    environment = dict(os.environ)
    if connection.vendor == "sqlite":
        environment["SQLITE_PATH"] = database_name
    else:
        url = os.environ["DATABASE_URL"]
        environment["DATABASE_URL"] = url.rsplit("/", 1)[0] + "/" + database_name
    return environment


def run(environment: dict, operation: str, username: str, path: str, out: str = "", warm: str = "") -> dict:
    command = [sys.executable, "-m", "tests.bench_heavy_one", operation, username, path, out, warm]
    done = subprocess.run(command, env=environment, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise RuntimeError(f"{operation} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def multipart(json_path: Path, body_path: Path) -> None:
    """The import form's body around the exported file, written to disk without holding the file in memory."""
    from tests.bench_heavy_one import BOUNDARY

    with open(body_path, "wb") as body, open(json_path, "rb") as exported:
        body.write(
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="export.json"\r\n'
            "Content-Type: application/json\r\n\r\n".encode()
        )
        while chunk := exported.read(1 << 20):
            body.write(chunk)
        body.write(f"\r\n--{BOUNDARY}--\r\n".encode())


def without_moment(path: Path) -> dict:
    data = json.loads(path.read_bytes())
    data.pop("exported_at")
    return data


def main() -> int:
    from tests.conftest import make_person
    from tests.heavy import build_heavy
    from tracker.entries import day_totals
    from tracker.models import ShareLink
    from tracker.summary.share_links import hash_token, new_token

    setup_test_environment()
    # A test database of its own, so the bench never clobbers one a test run is using.
    name = str(connection.settings_dict["NAME"])
    if connection.vendor == "sqlite":
        own = str(Path(name).with_name(Path(name).stem + "-heavy-bench.sqlite3"))
    else:
        own = f"test_{name}_heavy_bench"
    connection.settings_dict.setdefault("TEST", {})["NAME"] = own
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    database_name = settings.DATABASES["default"]["NAME"]
    environment = child_environment(str(database_name))
    rows: list[tuple[str, dict, float | None]] = []
    failures: list[str] = []
    work = Path(tempfile.mkdtemp(prefix="bench-heavy-"))
    try:
        person = make_person("heavy", "Europe/London")
        started = time.perf_counter()
        counts = build_heavy(person, days=DAYS)
        built = time.perf_counter() - started
        started = time.perf_counter()
        day_totals.make_current(person)
        recount = time.perf_counter() - started
        connection.close()  # the children write to the database too
        print(f"Database: {connection.vendor}. Heavy diary of {sum(counts.values()):,} entries: {counts}")
        print(f"Built in {built:.1f} s; day totals counted once after the bulk write in {recount:.1f} s.")

        last = timezone.now().astimezone(person.profile.zone).date() - timedelta(days=2)
        first = last - timedelta(days=DAYS - 1)
        period = f"start={first}&end={last}"
        token = new_token()
        link_expiry = timezone.now() + timedelta(days=7)
        ShareLink.objects.create(
            user=person,
            token_hash=hash_token(token),
            first=first,
            last=last,
            expires_at=link_expiry,
        )
        connection.close()
        make_person("heavy-copy", "UTC")
        warm = make_person("warm", "Europe/London")
        build_heavy(warm, days=14)  # warms each child up (bench_heavy_one)
        warm_token = new_token()  # a link of the warm person's, so the heavy link's first open is measured
        ShareLink.objects.create(
            user=warm, token_hash=hash_token(warm_token), first=last, last=last, expires_at=link_expiry
        )
        connection.close()

        files = {name: work / name for name in ("export.json", "export.zip", "fhir.json", "again.json")}
        steps = [
            ("Summary page, 20 years", "summary", "heavy", f"/summary/?{period}", "", "summary"),
            ("Summary PDF, 20 years", "summary_pdf", "heavy", f"/summary/pdf/?{period}", "", "summary_pdf"),
            ("Shared page, 20-year link, first open", "shared", "heavy", f"/s/{token}/", "", None),
            ("Shared page, 20-year link", "shared", "heavy", f"/s/{token}/", "", "shared"),
            ("JSON export", "export_json", "heavy", "/data/export.json", str(files["export.json"]), "export"),
            (
                "CSV zip export",
                "export_csv",
                "heavy",
                "/data/export-csv.zip",
                str(files["export.zip"]),
                "export",
            ),
            ("FHIR export", "export_fhir", "heavy", "/data/fhir.json", str(files["fhir.json"]), "export"),
        ]
        for label, _, username, path, out, target in steps:
            result = run(
                environment, "get", username, path, out, f"/s/{warm_token}/" if "/s/" in path else ""
            )
            rows.append((label, result, TIME_TARGET.get(target) if target else None))
            if result["status"] != 200:
                failures.append(f"{label}: status {result['status']}")

        body = work / "import.body"
        multipart(files["export.json"], body)
        result = run(environment, "import", "heavy-copy", str(body))
        rows.append(("JSON import of the export", result, None))
        if result["status"] != 302:
            failures.append(f"import: status {result['status']} (not imported)")
        result = run(environment, "get", "heavy-copy", "/data/export.json", str(files["again.json"]))
        rows.append(("JSON export of the imported copy", result, TIME_TARGET["export"]))
        # The import's job makes the day totals current before it says done: the first summary pays no recount.
        result = run(environment, "get", "heavy-copy", f"/summary/?{period}", "", f"/summary/?{period}")
        rows.append(("Summary page, 20 years, after an import", result, TIME_TARGET["summary"]))
        if result["status"] != 200:
            failures.append(f"summary after the import: status {result['status']}")

        size_mb = files["export.json"].stat().st_size / 1024 / 1024
        print(
            f"\nJSON export: {size_mb:.1f} MB; CSV zip {files['export.zip'].stat().st_size / 1024 / 1024:.1f} MB;"
        )
        print(f"FHIR {files['fhir.json'].stat().st_size / 1024 / 1024:.1f} MB.")
        exported = without_moment(files["export.json"])
        lossless = exported == without_moment(files["again.json"])
        cramps = len(exported["cramps"])
        del exported
        with zipfile.ZipFile(files["export.zip"]) as archive:
            zip_whole = archive.testzip() is None
        fhir_entries = len(json.loads(files["fhir.json"].read_bytes())["entry"])
        print(f"Export, import into a new account, export again: {'the same' if lossless else 'DIFFERENT'}.")
        print(
            f"Zip whole: {zip_whole}; FHIR entries: {fhir_entries:,} for {cramps:,} cramps, the patient and "
            "the logged nights."
        )
        if not lossless:
            failures.append("the import of the export is not lossless")
        if not zip_whole or fhir_entries != cramps + 2:
            failures.append("an export is damaged")
    finally:
        connection.close()
        connection.creation.destroy_test_db(old_name, verbosity=0)
        for path in work.iterdir():
            path.unlink()
        work.rmdir()

    print(
        "\nPeak RSS: the serving process's high-water mark; over warm: above its resident memory once warm,"
    )
    print(f"which is what the request itself costs (the {MEMORY_TARGET_MB:g} MB target is on that).")
    print(
        "CPU: the serving process's own CPU time for the request (SQLite runs in it), which other work on the"
    )
    print("machine doesn't inflate; the targets are on the wall time.")
    print(
        f"\n{'Request (heavy diary, 20 years)':<42}{'time':>9}{'CPU':>9}{'peak RSS':>11}{'over warm':>11}  target"
    )
    for label, result, seconds_target in rows:
        peak, above = result["peak_mb"], result["peak_mb"] - result["baseline_mb"]
        target = ""
        if seconds_target is not None:
            memory = f", <= {MEMORY_TARGET_MB:g} MB" if seconds_target == TIME_TARGET["export"] else ""
            ok = result["seconds"] <= seconds_target and (not memory or above <= MEMORY_TARGET_MB)
            target = f"<= {seconds_target:g} s{memory}: {'ok' if ok else 'MISSED'}"
            if not ok:
                failures.append(f"{label}: {result['seconds']:.2f} s, {peak:.0f} MB")
        cpu = result.get("cpu_seconds", 0.0)
        print(f"{label:<42}{result['seconds']:>7.2f} s{cpu:>7.2f} s{peak:>8.0f} MB{above:>8.0f} MB  {target}")
    for failure in failures:
        print(f"MISSED: {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
