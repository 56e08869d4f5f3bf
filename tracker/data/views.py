"""All my data: the whole diary out (JSON, a zip of CSV files, FHIR for a clinic's system) and back in (JSON)."""

import re
import zlib
from collections.abc import Iterable, Iterator

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_http_methods, require_safe

from tracker.app.http import AuthedHtmxRequest
from tracker.app.middleware import accepts_body_up_to
from tracker.data import columns, export, fhir, imports
from tracker.data.forms import ImportForm
from tracker.data.problems import MAX_PROBLEMS
from tracker.summary.forms import PeriodForm

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
    request: AuthedHtmxRequest, form: ImportForm, problems: list[str], status: int, stopped: bool = False
) -> HttpResponse:
    return render(
        request,
        "tracker/my_data.html",
        {
            "form": form,
            "problems": problems[: imports.MAX_PROBLEMS_SHOWN],
            "problem_count": len(problems),
            "more_problems": max(0, len(problems) - imports.MAX_PROBLEMS_SHOWN),
            "stopped_after": f"{MAX_PROBLEMS:,}" if stopped else "",
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
    form = ImportForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    stopped = False
    if request.method == "POST" and form.is_valid():
        try:
            result = imports.import_data(request.user, imports.read_upload(form.cleaned_data["file"]))
        except imports.Rejected as rejected:
            problems, stopped = rejected.problems, rejected.stopped
        else:
            added = (
                ", ".join(f"{count} {key}" for key, count in result.added.items() if count) or "nothing new"
            )
            already = f"; {result.already} were already in your diary" if result.already else ""
            messages.success(request, f"Imported {added}{already}.")
            return redirect("my_data")
    return _page(request, form, problems, status=400 if request.method == "POST" else 200, stopped=stopped)


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
