"""All my data: the whole diary out (JSON, a zip of CSV files, FHIR for a clinic's system) and back in (JSON)."""

import re
import zlib
from collections.abc import Iterable, Iterator
from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext, ngettext, npgettext
from django.views.decorators.http import require_http_methods, require_safe

from tracker.app.http import AuthedHtmxRequest
from tracker.app.middleware import accepts_body_up_to
from tracker.data import columns, export, fhir, import_jobs, imports
from tracker.data.forms import ImportForm
from tracker.data.problems import MAX_PROBLEMS
from tracker.models import ImportJob
from tracker.summary.forms import PeriodForm

JOB_SHOWN_FOR = timedelta(days=1)  # what came of the last import stays on the page this long
# The import form's body: the file and, around it, the multipart boundaries and the CSRF token.
IMPORT_BODY_BYTES = imports.MAX_IMPORT_BYTES + 64 * 1024


ACCEPTS_GZIP = re.compile(r"\bgzip\b")


def _gzipped(chunks: Iterable[bytes]) -> Iterator[bytes]:
    """Gzip at its fastest level: JSON still shrinks about eightfold, at a fraction of the time GZipMiddleware's
    level 6 takes over a 20-year diary."""
    packer = zlib.compressobj(1, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    for chunk in chunks:
        packed = packer.compress(chunk)
        if packed:
            yield packed
    yield packer.flush()


def _download(
    request: AuthedHtmxRequest,
    chunks: Iterator[bytes],
    content_type: str,
    filename: str,
    packed: bool = False,
) -> StreamingHttpResponse:
    """A file sent as it is written, so a 20-year diary never sits whole in the server's memory; gzipped here
    when the browser takes it, unless it is `packed` already (a zip)."""
    gzip = not packed and ACCEPTS_GZIP.search(request.headers.get("Accept-Encoding", ""))
    response = StreamingHttpResponse(_gzipped(chunks) if gzip else chunks, content_type=content_type)
    if gzip:
        response["Content-Encoding"] = "gzip"  # GZipMiddleware leaves it be
    patch_vary_headers(response, ("Accept-Encoding",))
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store, private"  # a diary is nobody's cache's business
    return response


def _page(
    request: AuthedHtmxRequest,
    form: ImportForm,
    problems: list[str],
    status: int,
    stopped: bool = False,
    problem_count: int | None = None,
) -> HttpResponse:
    job = import_jobs.latest(request.user)
    template = "tracker/my_data.html"
    if request.htmx and request.htmx.target == "import-job":
        template += "#import-job"
    if job is not None and not job.running and (problems or not _recent(job)):
        job = None  # the page says what came of this file itself, or the last import is long over
    problem_count = len(problems) if problem_count is None else problem_count
    return render(
        request,
        template,
        {
            "form": form,
            "job": job,
            "job_said": imported_message(job.result) if job and job.state == ImportJob.State.DONE else "",
            "problems": problems[: imports.MAX_PROBLEMS_SHOWN],
            "problem_count": problem_count,
            "more_problems": max(0, problem_count - imports.MAX_PROBLEMS_SHOWN),
            "stopped_after": MAX_PROBLEMS if stopped else 0,
            "sections": columns.SECTIONS,
            "limit_mb": imports.MAX_IMPORT_BYTES // (1024 * 1024),
        },
        status=status,
    )


@login_required
def import_too_large(request: AuthedHtmxRequest) -> HttpResponse:
    """The import page saying the file is too large, sent before the body is read (RequestBodyLimitMiddleware)."""
    return _page(request, ImportForm(), [imports.too_large_message()], status=413)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
@accepts_body_up_to(IMPORT_BODY_BYTES, too_large=import_too_large)
def my_data(request: AuthedHtmxRequest) -> HttpResponse:
    """Exports, and the import: the upload is kept and queued for the worker (tracker/data/import_jobs.py), and the
    page shows the job's progress and then its result. Where the job is already over when the page answers (the
    tests' tasks run at once), the answer is its result, as it would be after a reload."""
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method != "POST" or not form.is_valid():
        return _page(request, form, [], status=400 if request.method == "POST" else 200)
    upload = form.cleaned_data["file"]
    if upload.size > imports.MAX_IMPORT_BYTES:
        return _page(request, form, [imports.too_large_message()], status=400)
    job = import_jobs.start(request.user, upload.read())
    if job is None:
        messages.error(
            request, gettext("An import is already running. Wait for it to finish, then import again.")
        )
        return redirect("my_data")
    job.refresh_from_db(fields=["state", "problems", "problem_count", "stopped", "result"])
    if job.state == ImportJob.State.REFUSED:
        return _page(request, form, job.problems, 400, job.stopped, job.problem_count)
    return redirect("my_data")  # the page shows the job: its progress, then what came of it


def _recent(job: ImportJob) -> bool:
    return job.finished_at is not None and timezone.now() - job.finished_at <= JOB_SHOWN_FOR


# How many of each kind an import added, by the file's names for its parts.
ADDED = {
    # Translators: how many entries of a kind an import added, in a list: "3 cramps, 2 drinks".
    "cramps": lambda n: npgettext("imported", "%(count)s cramp", "%(count)s cramps", n),
    "checkins": lambda n: npgettext("imported", "%(count)s checkin", "%(count)s checkins", n),
    "drinks": lambda n: npgettext("imported", "%(count)s drink", "%(count)s drinks", n),
    "exercise": lambda n: npgettext("imported", "%(count)s exercise", "%(count)s exercise", n),
    "meals": lambda n: npgettext("imported", "%(count)s meal", "%(count)s meals", n),
    "medications": lambda n: npgettext("imported", "%(count)s medication", "%(count)s medications", n),
    "experiments": lambda n: npgettext("imported", "%(count)s experiment", "%(count)s experiments", n),
}


def imported_message(result: dict) -> str:
    """ "Imported 3 cramps, 2 drinks; 5 were already in your diary." """
    added = ", ".join(
        ADDED[key](count) % {"count": count} if key in ADDED else f"{count} {key}"
        for key, count in result["added"].items()
        if count
    )
    already = result["already"]
    if added and already:
        # Translators: `added` is a list such as "3 cramps, 2 drinks".
        return ngettext(
            "Imported %(added)s; %(already)s was already in your diary.",
            "Imported %(added)s; %(already)s were already in your diary.",
            already,
        ) % {"added": added, "already": already}
    if added:
        return gettext("Imported %(added)s.") % {"added": added}
    if already:
        return ngettext(
            "Imported nothing new; %(already)s was already in your diary.",
            "Imported nothing new; %(already)s were already in your diary.",
            already,
        ) % {"already": already}
    return gettext("Imported nothing new.")


@require_safe
@login_required
def export_json(request: AuthedHtmxRequest) -> StreamingHttpResponse:
    return _download(
        request,
        export.json_chunks(request.user),
        "application/json; charset=utf-8",
        f"cramp-diary-{timezone.localdate():%Y-%m-%d}.json",
    )


@require_safe
@login_required
def export_csv(request: AuthedHtmxRequest) -> StreamingHttpResponse:
    return _download(
        request,
        export.csv_zip_chunks(request.user),
        "application/zip",
        f"cramp-diary-csv-{timezone.localdate():%Y-%m-%d}.zip",
        packed=True,
    )


@require_safe
@login_required
def export_fhir(request: AuthedHtmxRequest) -> HttpResponse | StreamingHttpResponse:
    """Every cramp as a FHIR R4 Bundle; with a period in the query string, that period's cramps only."""
    first = last = None
    if request.GET.get("start") or request.GET.get("end"):
        form = PeriodForm(request.GET, today=timezone.localdate())
        if not form.is_valid():
            return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
        first, last = form.cleaned_data["start"], form.cleaned_data["end"]
    profile = request.user.profile
    return _download(
        request,
        fhir.bundle_chunks(request.user, first, last, profile.summary_name, profile.summary_birth_date),
        "application/fhir+json; charset=utf-8",
        f"cramp-diary-fhir-{timezone.localdate():%Y-%m-%d}.json",
    )
