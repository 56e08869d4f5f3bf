"""One request of the heavy bench, in a process of its own:
`python -m tests.bench_heavy_one OPERATION USERNAME [PATH] [OUT] [WARM_PATH]`. Prints one line of JSON: seconds,
peak and baseline resident memory in MB, bytes sent, status.

Memory: the process first serves the same page (or WARM_PATH, such as the warm person's own share link; for the
import, the import page) to "warm", a person with a small diary, so it holds what a warm worker holds (modules,
URLs, compiled templates, a session); then the resident set is read from /proc/self/statm as the baseline. After
the measured request the peak is the kernel's high-water mark for the process, `ru_maxrss`. The warm-up's own peak
is small (a small diary), so the peak is the measured request's; a fresh process per request keeps one request's
garbage from counting against the next.
"""

import json
import os
import resource
import sys
import time
import zlib

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.client import ClientHandler, RequestFactory  # noqa: E402

BOUNDARY = "heavy-bench-boundary"


def resident_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1024 / 1024


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def get(client: Client, path: str, out: str | None) -> tuple[int, int, bool]:
    """GET `path` as a browser would (gzip accepted), the body written to `out` as it arrives."""
    response = client.get(path, HTTP_ACCEPT_ENCODING="gzip")
    sent = 0
    with open(out or os.devnull, "wb") as target:
        chunks = response.streaming_content if response.streaming else [response.content]
        for chunk in chunks:
            sent += len(chunk)
            target.write(chunk)
    response.close()
    return response.status_code, sent, response.get("Content-Encoding") == "gzip"


def post_file(client: Client, body_path: str) -> tuple[int, int]:
    """POST a multipart body kept in a file to the import, read from the file as a server reads a socket."""
    cookie = "; ".join(f"{key}={morsel.value}" for key, morsel in client.cookies.items())
    size = os.path.getsize(body_path)
    with open(body_path, "rb") as stream:
        environ = RequestFactory()._base_environ(
            PATH_INFO="/data/",
            REQUEST_METHOD="POST",
            CONTENT_TYPE=f"multipart/form-data; boundary={BOUNDARY}",
            CONTENT_LENGTH=str(size),
            HTTP_COOKIE=cookie,
            **{"wsgi.input": stream},
        )
        response = ClientHandler(enforce_csrf_checks=False)(environ)
    return response.status_code, size


def main() -> None:
    operation, username = sys.argv[1], sys.argv[2]
    path = sys.argv[3] if len(sys.argv) > 3 else ""
    out = sys.argv[4] if len(sys.argv) > 4 else None
    warm_path = sys.argv[5] if len(sys.argv) > 5 and sys.argv[5] else path
    with override_settings(ALLOWED_HOSTS=["testserver"]):
        client = Client()
        client.force_login(User.objects.get(username="warm"))
        get(client, "/data/" if operation == "import" else warm_path, None)
        if path.startswith(("/summary", "/s/")):
            # An experiment's result loads SciPy when first read (tracker/experiments/stats.py): a worker that has
            # shown one holds it. The warm diary may show none, so it is loaded here, before the baseline.
            import scipy.stats  # type: ignore[import-untyped]  # noqa: F401
        client.force_login(User.objects.get(username=username))
        baseline = resident_mb()
        started, cpu_started = time.perf_counter(), time.process_time()
        gzipped = False
        if operation == "import":  # the upload and the worker's job in one process, as the tests run tasks
            with override_settings(TASKS=IMMEDIATE_TASKS):
                status, sent = post_file(client, path)
        else:
            status, sent, gzipped = get(client, path, out)
        seconds = time.perf_counter() - started
        cpu = time.process_time() - cpu_started  # this process's own CPU: what a busy machine doesn't inflate
        peak = peak_mb()
    if gzipped and out:  # kept as sent until measured; unpacked for the checks that follow
        with open(out, "rb") as packed:
            data = zlib.decompress(packed.read(), 16 + zlib.MAX_WBITS)
        with open(out, "wb") as target:
            target.write(data)
    print(
        json.dumps(
            {
                "seconds": seconds,
                "cpu_seconds": cpu,
                "peak_mb": peak,
                "baseline_mb": baseline,
                "bytes": sent,
                "status": status,
            }
        )
    )


if __name__ == "__main__":
    main()
