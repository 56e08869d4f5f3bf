"""`make lighthouse`: Lighthouse 12 (mobile, simulated slow phone, default throttling) on the demo diary served with
production settings, logged in.

Run as `python -m tests.lighthouse`. It makes a throwaway SQLite database, migrates it, loads the demo diary
(`seed_demo`), collects the static files into a throwaway STATIC_ROOT (production serves hashed, compressed
files through WhiteNoise), starts gunicorn as `make serve` does (DEBUG and SECURE off, 2 workers) on a free port
of 127.0.0.1, logs the demo person in through the login form, and runs the Lighthouse pinned in package.json
(node_modules/.bin/lighthouse) against Debian's Chromium on Trends, Today and the clinician summary with the
session cookie, and on the front page with no cookie. It prints Performance, Total Blocking Time, Accessibility and
Best Practices per page, the three costliest failing audits of any category under 100, and the Lighthouse version.

Low scores are reported, not failed: the exit status is non-zero only for a broken run (the server, the login
or Lighthouse failing, or a page that redirected, e.g. to the login page). Trends is marked "below target" when
Performance < 95, TBT > 200 ms, or Accessibility or Best Practices < 100.

Lighthouse's simulated throttling scales the CPU time it observes, so a busy machine (a test suite running
beside it) inflates Total Blocking Time: Trends is measured LIGHTHOUSE_RUNS times and the run with the median
Performance score is reported, with every run's figures, Lighthouse's benchmark index and the load average shown.

Settings: CHROME_PATH (/usr/bin/chromium), LIGHTHOUSE_RUNS (3: runs on Trends; the other pages run once),
LIGHTHOUSE_REPORTS (a folder to keep the JSON reports in; by default they are removed with everything else).
"""

import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from tests.http_client import request

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CHROME = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
RUNS = max(1, int(os.environ.get("LIGHTHOUSE_RUNS", "3")))
REPORTS = os.environ.get("LIGHTHOUSE_REPORTS", "")
DEMO_USERNAME = "demo"
DEMO_PASSWORD = "cramp-diary-demo"  # noqa: S105 - the published demo login, in a throwaway database
CATEGORIES = ["performance", "accessibility", "best-practices"]
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update "
    "--no-first-run"
)
# (name, path, logged in)
PAGES = [
    ("Trends", "/trends/", True),
    ("Today", "/", True),
    ("Summary", "/summary/", True),
    ("Front page (anonymous)", "/", False),
]
TARGET_PAGE = "Trends"
TARGET_PERFORMANCE = 95
TARGET_TBT_MS = 200
LIGHTHOUSE_TIMEOUT = 240
ATTEMPTS = 2


class BrokenRun(Exception):
    """Something other than a low score: the measurement itself can't be trusted."""


@dataclass
class Result:
    name: str
    url: str
    title: str
    scores: dict[str, int | None]
    tbt_ms: float
    failing: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    version: str = ""
    browser: str = ""
    runs: list[tuple[int, float, float]] = field(default_factory=list)  # Performance, TBT ms, benchmark index

    def below_target(self) -> bool:
        performance = self.scores.get("performance")
        return (
            performance is None
            or performance < TARGET_PERFORMANCE
            or self.tbt_ms > TARGET_TBT_MS
            or self.scores.get("accessibility") != 100
            or self.scores.get("best-practices") != 100
        )


# The server --------------------------------------------------------------------------------------------------


def manage(env: dict, *args: str) -> str:
    result = subprocess.run(  # noqa: S603
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BrokenRun(f"manage.py {' '.join(args)} failed:\n{result.stdout}{result.stderr}")
    return result.stdout


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_server(port: int, server: subprocess.Popen, deadline: float) -> None:
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise BrokenRun(f"gunicorn stopped with status {server.returncode}")
        try:
            if request(port, "GET", "/accounts/login/", {})[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise BrokenRun(f"gunicorn did not answer on port {port}")


def log_in(port: int) -> dict[str, str]:
    """The demo person's cookies, from the login form as a browser posts it (CSRF cookie and token)."""
    cookies: dict[str, str] = {}
    status, _, content = request(port, "GET", "/accounts/login/", cookies)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', content)
    if status != 200 or not token:
        raise BrokenRun(f"the login page did not offer a form (HTTP {status})")
    body = {
        "csrfmiddlewaretoken": token.group(1).decode(),
        "username": DEMO_USERNAME,
        "password": DEMO_PASSWORD,
    }
    status, headers, _ = request(port, "POST", "/accounts/login/", cookies, body)
    if status != 302 or "sessionid" not in cookies:
        raise BrokenRun(f"the demo person could not log in (HTTP {status}, to {headers.get('Location')})")
    return cookies


def page_title(port: int, path: str, cookies: dict[str, str]) -> str:
    """The page's <title> as the server sends it to these cookies; also warms the server's caches and both workers.
    A redirect (to the login page, say) is a broken run."""
    title = ""
    for _ in range(4):
        status, headers, content = request(port, "GET", path, dict(cookies))
        if status != 200:
            raise BrokenRun(f"GET {path} answered HTTP {status} (Location: {headers.get('Location')})")
        found = re.search(rb"<title>(.*?)</title>", content, re.S)
        title = " ".join(found.group(1).decode().split()) if found else ""
    return title


# Lighthouse --------------------------------------------------------------------------------------------------


def lighthouse(url: str, cookies: dict[str, str], scratch: Path, label: str) -> dict:
    report = scratch / f"{label}.json"
    command = [
        str(LIGHTHOUSE),
        url,
        "--output=json",
        f"--output-path={report}",
        f"--only-categories={','.join(CATEGORIES)}",
        f"--chrome-flags={CHROME_FLAGS}",
        "--quiet",
    ]
    if cookies:
        headers = scratch / f"{label}-headers.json"
        headers.write_text(json.dumps({"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())}))
        command.append(f"--extra-headers={headers}")
    # Chromium now and then loses the trace of a load (NO_NAVSTART and the like): one more try before giving up.
    for attempt in range(1, ATTEMPTS + 1):
        report.unlink(missing_ok=True)
        result = subprocess.run(  # noqa: S603
            command,
            cwd=ROOT,
            env={**os.environ, "CHROME_PATH": CHROME},
            capture_output=True,
            text=True,
            timeout=LIGHTHOUSE_TIMEOUT,
            check=False,
        )
        if result.returncode == 0 and report.exists():
            lhr = json.loads(report.read_text())
            if not lhr.get("runtimeError"):
                break
            problem = f"lighthouse on {url}: {lhr['runtimeError']}"
        else:
            problem = f"lighthouse failed on {url} (status {result.returncode}):\n{result.stderr[-3000:]}"
        if attempt == ATTEMPTS:
            raise BrokenRun(problem)
        last = [line for line in problem.splitlines() if line.strip()][-1]
        print(f"  (lighthouse on {url}: {last.strip()}; trying again)")
    if lhr.get("finalDisplayedUrl") != url:
        raise BrokenRun(f"lighthouse asked for {url} but measured {lhr.get('finalDisplayedUrl')}")
    if REPORTS:
        Path(REPORTS).mkdir(parents=True, exist_ok=True)
        shutil.copy(report, Path(REPORTS) / report.name)
    return lhr


def failing_audits(lhr: dict, category: str, count: int = 3) -> list[tuple[str, str]]:
    """The costliest audits that failed in a category: weighted (metric) audits by the points they lose, then
    opportunities and diagnostics by the milliseconds Lighthouse says they cost, then by score."""
    ranked = []
    for ref in lhr["categories"][category]["auditRefs"]:
        audit = lhr["audits"][ref["id"]]
        score = audit.get("score")
        if score is None or score >= (1 if audit.get("scoreDisplayMode") == "binary" else 0.9):
            continue
        savings = sum(v for k, v in (audit.get("metricSavings") or {}).items() if k != "CLS")
        savings = max(savings, (audit.get("details") or {}).get("overallSavingsMs") or 0)
        ranked.append(((ref.get("weight", 0) * (1 - score), savings, 1 - score), ref["id"], audit["title"]))
    ranked.sort(key=lambda item: item[0], reverse=True)
    return [(audit_id, title) for _, audit_id, title in ranked[:count]]


def browser(lhr: dict) -> str:
    found = re.search(r"(HeadlessChrome|Chrome)/([\d.]+)", lhr["environment"]["hostUserAgent"])
    return f"{found.group(1)} {found.group(2)}" if found else lhr["environment"]["hostUserAgent"]


def tbt(lhr: dict) -> float:
    return lhr["audits"]["total-blocking-time"]["numericValue"]


def measure(name: str, url: str, cookies: dict[str, str], title: str, scratch: Path, count: int) -> Result:
    label = re.sub(r"[^a-z]+", "-", name.lower()).strip("-")
    runs = [lighthouse(url, cookies, scratch, f"{label}-{n + 1}") for n in range(count)]
    # The median by Performance score; among equal scores, by Total Blocking Time.
    runs.sort(key=lambda lhr: (lhr["categories"]["performance"]["score"] or 0, -tbt(lhr)))
    lhr = runs[len(runs) // 2]
    raw = {category: lhr["categories"][category]["score"] for category in CATEGORIES}
    scores = {category: None if score is None else round(score * 100) for category, score in raw.items()}
    result = Result(
        name=name,
        url=url,
        title=title,
        scores=scores,
        tbt_ms=tbt(lhr),
        version=lhr["lighthouseVersion"],
        browser=browser(lhr),
        runs=[
            (
                round((run["categories"]["performance"]["score"] or 0) * 100),
                tbt(run),
                run["environment"]["benchmarkIndex"],
            )
            for run in runs
        ],
    )
    for category in CATEGORIES:
        if scores[category] != 100:
            result.failing[category] = failing_audits(lhr, category)
    return result


def report(results: list[Result]) -> None:
    print(
        f"\nLighthouse {results[0].version}, mobile, simulated throttling; {results[0].browser} from {CHROME}"
    )
    print(f"{'Page':<24}{'Perf':>6}{'TBT ms':>8}{'A11y':>6}{'BP':>6}   Title")
    for r in results:
        s = r.scores
        mark = "  below target" if r.name == TARGET_PAGE and r.below_target() else ""
        print(
            f"{r.name:<24}{s['performance']!s:>6}{r.tbt_ms:>8.0f}{s['accessibility']!s:>6}"
            f"{s['best-practices']!s:>6}   {r.title}{mark}"
        )
    for r in results:
        if len(r.runs) > 1:
            each = ", ".join(f"{perf} / {tbt:.0f} ms" for perf, tbt, _ in r.runs)
            print(f"\n{r.name}: {len(r.runs)} runs (Performance / TBT): {each}; the median run is shown")
    for r in results:
        for category, audits in r.failing.items():
            print(f"\n{r.name}, {category} {r.scores[category]}:")
            for audit_id, title in audits:
                print(f"  {audit_id}: {title}")
    indexes = [index for r in results for _, _, index in r.runs]
    print(
        f"\nLighthouse benchmark index {min(indexes):.0f} to {max(indexes):.0f} (higher is a faster machine); "
        f"load average {load_average()} at the end"
    )
    print(
        f"Target for {TARGET_PAGE}: Performance >= {TARGET_PERFORMANCE}, TBT <= {TARGET_TBT_MS} ms, "
        "Accessibility and Best Practices 100."
    )


def load_average() -> str:
    return " ".join(f"{n:.1f}" for n in os.getloadavg())


# The run -----------------------------------------------------------------------------------------------------


def main() -> int:
    if not LIGHTHOUSE.exists():
        print(f"{LIGHTHOUSE} is missing: run `make setup` (npm ci installs the pinned Lighthouse)")
        return 1
    if not Path(CHROME).is_file():
        print(f"No browser at {CHROME}: `apt-get install chromium`, or set CHROME_PATH")
        return 1
    if not (ROOT / "static" / "vendor" / "chart.umd.min.js").exists():
        print("static/vendor/ is empty: run `make setup`")
        return 1
    started = time.monotonic()
    server = None
    with tempfile.TemporaryDirectory(prefix="lighthouse-") as scratch_name:
        scratch = Path(scratch_name)
        port = free_port()
        env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "PLAIN_STATIC")}
        env.update(
            DEBUG="false",
            SECURE="false",
            SECRET_KEY=secrets.token_urlsafe(50),
            ALLOWED_HOSTS="127.0.0.1",
            SQLITE_PATH=str(scratch / "diary.sqlite3"),
            STATIC_ROOT=str(scratch / "static"),
            PYTHONPATH=str(ROOT),
        )
        log_path = scratch / "gunicorn.log"
        try:
            manage(env, "collectstatic", "--no-input", "-v", "0")
            manage(env, "migrate", "--no-input", "-v", "0")
            manage(env, "seed_demo")
            with log_path.open("wb") as log:
                server = subprocess.Popen(  # noqa: S603
                    [GUNICORN, "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
                    cwd=ROOT,
                    env=env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            wait_for_server(port, server, time.monotonic() + 60)
            cookies = log_in(port)
            print(f"Demo diary on http://127.0.0.1:{port}/ (production settings), logged in as 'demo'")
            print(f"Load average {load_average()} at the start")
            results = []
            for name, path, logged_in in PAGES:
                jar = cookies if logged_in else {}
                url = f"http://127.0.0.1:{port}{path}"
                title = page_title(port, path, jar)
                count = RUNS if name == TARGET_PAGE else 1
                results.append(measure(name, url, jar, title, scratch, count))
                print(f"  {name}: measured ({time.monotonic() - started:.0f} s)")
            front, today = results[3], results[1]
            if front.title == today.title:
                raise BrokenRun(
                    f"Today and the front page have the same title ({today.title!r}): not logged in?"
                )
        except (BrokenRun, subprocess.TimeoutExpired, OSError) as error:
            print(f"lighthouse: broken run: {error}")
            if log_path.exists():
                print("gunicorn's log:\n" + log_path.read_text(errors="replace")[-3000:])
            return 1
        finally:
            if server is not None:
                try:
                    os.killpg(server.pid, signal.SIGTERM)
                    server.wait(timeout=30)
                except ProcessLookupError:
                    pass
                except subprocess.TimeoutExpired:
                    os.killpg(server.pid, signal.SIGKILL)
                    server.wait()
    report(results)
    took = time.monotonic() - started
    print(f"\n`make lighthouse` took {took:.0f} s ({RUNS} runs on {TARGET_PAGE}, 1 on each other page)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
