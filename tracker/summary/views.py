"""The clinician summary: its page and PDF, and the share links that show it to a clinician."""

from datetime import date, timedelta
from typing import cast
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from tracker.app.http import AuthedHtmxRequest
from tracker.models import ShareLink
from tracker.summary.forms import PeriodForm, ShareLinkForm, SummaryDetailsForm
from tracker.summary.pdf import summary_pdf
from tracker.summary.report import Summary, build_summary, figure_rows
from tracker.summary.share_links import hash_token, new_token, open_link, with_shared_headers

CHART_HEIGHT = 60


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
    response["Cache-Control"] = "no-store, private"
    if shared:
        with_shared_headers(response)
    return response


def _owner_summary(request: AuthedHtmxRequest) -> tuple[PeriodForm, Summary]:
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


@require_safe
@login_required
def summary_page(request: AuthedHtmxRequest) -> HttpResponse:
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


@require_safe
@login_required
def summary_pdf_view(request: AuthedHtmxRequest) -> HttpResponse:
    _, summary = _owner_summary(request)
    return _pdf_response(summary)


@require_POST
@login_required
def summary_details(request: AuthedHtmxRequest) -> HttpResponse:
    form = SummaryDetailsForm(request.POST, instance=request.user.profile)
    if form.is_valid():
        form.save()
        messages.success(request, "Saved. Summaries and new share links show these details.")
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, cast(str, error))  # an ErrorList gives its messages, as str
    return redirect(f"{reverse('summary')}?{QueryDict(request.POST.get('query', '')).urlencode()}")


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def share_links(request: AuthedHtmxRequest) -> HttpResponse:
    today = timezone.localdate()
    if request.method == "POST":
        form = ShareLinkForm(request.POST, today=today)
        if form.is_valid():
            profile = request.user.profile
            first, last, notes = form.period()
            token = new_token()
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
        messages.error(request, " ".join(cast(str, e) for errors in form.errors.values() for e in errors))
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
def share_revoke(request: AuthedHtmxRequest, pk: int) -> HttpResponse:
    link = get_object_or_404(ShareLink.objects.for_user(request.user), pk=pk)
    if link.revoked_at is None:
        link.revoked_at = timezone.now()
        link.save(update_fields=["revoked_at"])
        messages.success(request, "The link is revoked: it no longer opens the summary.")
    return redirect("share_links")


def _shared_summary(link: ShareLink) -> Summary:
    return build_summary(
        link.user, link.first, link.last, note_ids=link.note_ids, name=link.name, birth_date=link.birth_date
    )


@require_safe
def shared_summary(request: HttpRequest, token: str) -> HttpResponse:
    link = open_link(request, token)
    if isinstance(link, HttpResponse):
        return link
    summary = _shared_summary(link)
    with timezone.override(link.user.profile.zone):
        response = render(
            request,
            "tracker/shared_summary.html",
            {**_report_context(summary), "link": link, "token": token},
        )
    with_shared_headers(response)
    return response


@require_safe
def shared_pdf(request: HttpRequest, token: str) -> HttpResponse:
    link = open_link(request, token)
    if isinstance(link, HttpResponse):
        return link
    return _pdf_response(_shared_summary(link), shared=True)
