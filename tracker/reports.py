"""The clinician summary (page, PDF, share links) and all-my-data export and import."""

import hashlib
import json
import logging
import secrets
from datetime import date, timedelta
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import F
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tracker import fhir, portable
from tracker.forms import is_database_id
from tracker.models import Profile, ShareLink
from tracker.pdf import summary_pdf
from tracker.summary import Summary, build_summary, default_period, figure_rows
from tracker.trends import check_period

log = logging.getLogger("tracker.sharing")

EXPIRY_DAYS = [(1, "1 day"), (7, "7 days"), (14, "14 days"), (30, "30 days")]
DEFAULT_EXPIRY = 14
MAX_NOTES = 100
CHART_HEIGHT = 60
TOKEN_BYTES = 32  # 256 bits from the operating system's random source
SHARED_HEADERS = {
    "X-Robots-Tag": "noindex, nofollow",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store, private",
}


def _shared_headers(response: HttpResponse) -> HttpResponse:
    for header, value in SHARED_HEADERS.items():
        response[header] = value
    return response


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class NoteIdsField(forms.Field):
    """The cramps whose notes go on the summary, by id; ids that aren't the person's are dropped later."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value) -> list[int]:
        values = value if isinstance(value, list | tuple) else [value] if value else []
        if not all(is_database_id(v) for v in values):
            raise forms.ValidationError("This form was damaged or out of date. Choose the notes again.")
        return [int(v) for v in values][:MAX_NOTES]


class PeriodForm(forms.Form):
    start = forms.DateField(label="From", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label="To", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    note = NoteIdsField(required=False)

    def __init__(self, *args, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        for name in ("start", "end"):
            self.fields[name].widget.attrs.update(min="2000-01-01", max=today.isoformat())

    def clean(self):
        data = super().clean()
        if data.get("start") is None and data.get("end") is None and not self.errors:
            data["start"], data["end"] = default_period(self.today)
        check_period(self, data.get("start"), data.get("end"), self.today)
        return data

    def period(self) -> tuple[date, date, list[int]]:
        """The period asked for, or the last 4 weeks when the form is empty or wrong."""
        if self.is_valid():
            return self.cleaned_data["start"], self.cleaned_data["end"], self.cleaned_data["note"]
        return (*default_period(self.today), [])


class ShareLinkForm(PeriodForm):
    expires_in = forms.TypedChoiceField(
        label="Link works for", choices=EXPIRY_DAYS, coerce=int, initial=DEFAULT_EXPIRY
    )


class SummaryDetailsForm(forms.ModelForm):
    class Meta:
        model = Profile
        fields = ["summary_name", "summary_birth_date"]
        labels = {"summary_name": "Name (optional)", "summary_birth_date": "Date of birth (optional)"}
        widgets = {"summary_birth_date": forms.DateInput(attrs={"type": "date", "min": "1900-01-01"})}

    def clean_summary_birth_date(self):
        born = self.cleaned_data.get("summary_birth_date")
        if born and not date(1900, 1, 1) <= born <= timezone.localdate():
            raise forms.ValidationError("Enter a date of birth between 1900 and today.")
        return born


def bar_chart(summary: Summary) -> dict:
    """SVG coordinates (100 wide, CHART_HEIGHT high) for the weekly chart, so it prints without JavaScript."""
    bars = [
        {
            "x": round(100 * bar.left, 2),
            "width": round(100 * bar.width, 2),
            "height": round(CHART_HEIGHT * bar.height, 2),
            "y": round(CHART_HEIGHT * (1 - bar.height), 2),
            "label": bar.label,
            "label_x": round(100 * (bar.left + bar.width / 2), 2),
            "week": bar.week,
        }
        for bar in summary.bars(labels=8)
    ]
    return {"bars": bars, "top": summary.top_week, "height": CHART_HEIGHT}


def _query(first: date, last: date, notes) -> str:
    return urlencode({"start": first.isoformat(), "end": last.isoformat(), "note": list(notes)}, doseq=True)


def _report_context(summary: Summary) -> dict:
    return {"summary": summary, "rows": figure_rows(summary), "chart": bar_chart(summary)}


def _pdf_response(summary: Summary, shared: bool = False) -> HttpResponse:
    response = HttpResponse(summary_pdf(summary), content_type="application/pdf")
    name = f"cramp-diary-summary-{summary.first:%Y%m%d}-{summary.last:%Y%m%d}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    if shared:
        _shared_headers(response)
    return response


def _owner_summary(request: HttpRequest) -> tuple[PeriodForm, Summary]:
    form = PeriodForm(request.GET or None, today=timezone.localdate())
    first, last, notes = form.period()
    form.fields["start"].initial, form.fields["end"].initial = first, last
    profile = request.user.profile
    summary = build_summary(
        request.user,
        first,
        last,
        note_ids=notes,
        name=profile.summary_name,
        birth_date=profile.summary_birth_date,
    )
    return form, summary


@require_GET
@login_required
def summary_page(request: HttpRequest) -> HttpResponse:
    form, summary = _owner_summary(request)
    chosen = [n.pk for n in summary.notes]
    return render(
        request,
        "tracker/summary.html",
        {
            **_report_context(summary),
            "form": form,
            "query": _query(summary.first, summary.last, chosen),
            "chosen": set(chosen),
            "share_form": ShareLinkForm(today=timezone.localdate()),
            "details_form": SummaryDetailsForm(instance=request.user.profile),
        },
    )


@require_GET
@login_required
def summary_pdf_view(request: HttpRequest) -> HttpResponse:
    _, summary = _owner_summary(request)
    return _pdf_response(summary)


@require_POST
@login_required
def summary_details(request: HttpRequest) -> HttpResponse:
    form = SummaryDetailsForm(request.POST, instance=request.user.profile)
    if form.is_valid():
        form.save()
        messages.success(request, "Saved. Summaries and new share links show these details.")
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect(f"{reverse('summary')}?{QueryDict(request.POST.get('query', '')).urlencode()}")


@require_http_methods(["GET", "POST"])
@login_required
def share_links(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    if request.method == "POST":
        form = ShareLinkForm(request.POST, today=today)
        if form.is_valid():
            profile = request.user.profile
            first, last, notes = form.period()
            token = secrets.token_urlsafe(TOKEN_BYTES)
            ShareLink.objects.create(
                user=request.user,
                token_hash=hash_token(token),
                first=first,
                last=last,
                note_ids=notes,
                name=profile.summary_name,
                birth_date=profile.summary_birth_date,
                expires_at=timezone.now() + timedelta(days=form.cleaned_data["expires_in"]),
            )
            # Shown once, on the next page: only the hash is kept.
            request.session["new_share_url"] = request.build_absolute_uri(
                reverse("shared_summary", args=[token])
            )
            return redirect("share_links")
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("share_links")
    links = list(ShareLink.objects.for_user(request.user))
    now = timezone.now()
    return render(
        request,
        "tracker/share_links.html",
        {
            "new_url": request.session.pop("new_share_url", None),
            "links": [(link, link.is_valid(now)) for link in links],
        },
    )


@require_POST
@login_required
def share_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    link = get_object_or_404(ShareLink.objects.for_user(request.user), pk=pk)
    if link.revoked_at is None:
        link.revoked_at = timezone.now()
        link.save(update_fields=["revoked_at"])
        messages.success(request, "The link is revoked: it no longer opens the summary.")
    return redirect("share_links")


def _open_link(request: HttpRequest, token: str) -> ShareLink | HttpResponse:
    link = None
    if 20 <= len(token) <= 100:
        link = ShareLink.objects.select_related("user__profile").filter(token_hash=hash_token(token)).first()
    now = timezone.now()
    if link is None or not link.is_valid(now):
        response = render(request, "tracker/shared_gone.html", status=404 if link is None else 410)
        _shared_headers(response)
        return response
    ShareLink.objects.filter(pk=link.pk).update(open_count=F("open_count") + 1, last_opened_at=now)
    what = "pdf" if request.path.endswith("/pdf/") else "page"
    log.info("share link %s of user %s opened (%s)", link.pk, link.user_id, what)
    return link


def _shared_summary(link: ShareLink) -> Summary:
    return build_summary(
        link.user, link.first, link.last, note_ids=link.note_ids, name=link.name, birth_date=link.birth_date
    )


@require_GET
def shared_summary(request: HttpRequest, token: str) -> HttpResponse:
    link = _open_link(request, token)
    if isinstance(link, HttpResponse):
        return link
    summary = _shared_summary(link)
    with timezone.override(link.user.profile.zone):
        response = render(
            request,
            "tracker/shared_summary.html",
            {**_report_context(summary), "link": link, "token": token},
        )
    _shared_headers(response)
    return response


@require_GET
def shared_pdf(request: HttpRequest, token: str) -> HttpResponse:
    link = _open_link(request, token)
    if isinstance(link, HttpResponse):
        return link
    return _pdf_response(_shared_summary(link), shared=True)


# All my data ----------------------------------------------------------------------------------------------------


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Export file (.json)",
        widget=forms.ClearableFileInput(attrs={"accept": ".json,application/json"}),
        error_messages={"required": "Choose the .json file an export made."},
    )


def _download(content, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_http_methods(["GET", "POST"])
@login_required
def my_data(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            result = portable.import_data(request.user, portable.read_upload(form.cleaned_data["file"]))
        except portable.Rejected as rejected:
            problems = rejected.problems
        else:
            added = (
                ", ".join(f"{count} {key}" for key, count in result.added.items() if count) or "nothing new"
            )
            already = f"; {result.already} were already in your diary" if result.already else ""
            messages.success(request, f"Imported {added}{already}.")
            return redirect("my_data")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "tracker/my_data.html",
        {
            "form": form,
            "problems": problems[: portable.MAX_PROBLEMS_SHOWN],
            "problem_count": len(problems),
            "more_problems": max(0, len(problems) - portable.MAX_PROBLEMS_SHOWN),
            "sections": portable.SECTIONS,
        },
        status=status,
    )


@require_GET
@login_required
def export_json(request: HttpRequest) -> HttpResponse:
    data = portable.export_data(request.user)
    return _download(
        json.dumps(data, ensure_ascii=False, indent=1),
        "application/json; charset=utf-8",
        f"cramp-diary-{timezone.localdate():%Y-%m-%d}.json",
    )


@require_GET
@login_required
def export_csv(request: HttpRequest) -> HttpResponse:
    return _download(
        portable.csv_zip(request.user),
        "application/zip",
        f"cramp-diary-csv-{timezone.localdate():%Y-%m-%d}.zip",
    )


@require_GET
@login_required
def export_fhir(request: HttpRequest) -> HttpResponse:
    """Every cramp as a FHIR R4 Bundle; with a period in the query string, that period's cramps only."""
    first = last = None
    if request.GET.get("start") or request.GET.get("end"):
        form = PeriodForm(request.GET, today=timezone.localdate())
        if not form.is_valid():
            return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
        first, last = form.cleaned_data["start"], form.cleaned_data["end"]
    profile = request.user.profile
    bundle = fhir.bundle(request.user, first, last, profile.summary_name, profile.summary_birth_date)
    return _download(
        json.dumps(bundle, ensure_ascii=False, indent=1),
        "application/fhir+json; charset=utf-8",
        f"cramp-diary-fhir-{timezone.localdate():%Y-%m-%d}.json",
    )
