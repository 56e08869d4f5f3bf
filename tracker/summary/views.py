"""The clinician summary: its page and PDF, and the share links that show it to a clinician.

A share link is a snapshot: when it is made, the report's HTML and the PDF are rendered and kept with it, and opening
the link serves those. So the link shows its period as it was that day (a later edit changes nothing), opening it
never reads the diary (a 20-year link costs one row, whoever opens it and however often), and the page and the PDF
can never disagree. Keeping the figures instead would need every renderer to work from stored data, and a change of
template would quietly change what an old link says. The cost is about 50 KB a link, gone when it is pruned.

The summary is written in a language of its own, chosen on the page (the person's doctor may read another): the
report, its PDF and a share link's snapshot are made in it, and the shared page is shown in the link's language.
"""

from datetime import date, timedelta
from typing import cast
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from tracker.app import l10n
from tracker.app.http import AuthedHtmxRequest
from tracker.models import ShareLink
from tracker.summary.forms import PeriodForm, ShareLinkForm, WhoForm
from tracker.summary.pdf import summary_pdf
from tracker.summary.report import (
    DISCLAIMER,
    NOTES_OFFERED,
    SOURCES_NOTE,
    Summary,
    build_summary,
    covers,
    figure_rows,
    key_figures,
    moment_words,
)
from tracker.summary.share_links import (
    MAX_WORKING_LINKS,
    hash_token,
    new_token,
    open_link,
    with_shared_headers,
)

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
        for bar in summary.bars(labels=5)
    ]
    top = max(summary.top_week, 1)
    ticks = [{"value": t, "y": round(CHART_HEIGHT * (1 - t / top), 2)} for t in summary.axis_ticks]
    for tick in ticks:
        tick["label_y"] = round(tick["y"] + 1.5, 2)
    return {
        "bars": bars,
        "top": summary.top_week,
        "height": CHART_HEIGHT,
        "ticks": ticks,
        "middle": -CHART_HEIGHT / 2,
    }


MAX_QUERY = 2000  # far more than the period, 50 notes and the baseline take


def _query(first: date, last: date, notes, with_baseline: bool = False, language: str | None = None) -> str:
    query = {"start": first.isoformat(), "end": last.isoformat(), "note": list(notes)}
    if with_baseline:
        query["baseline"] = "on"
    if language:
        query["language"] = language
    return urlencode(query, doseq=True)


def summary_language(data: QueryDict) -> str:
    """The language the summary is written in: the one chosen on the page when it is one of settings.LANGUAGES
    (anything else, typed or tampered with, is ignored), else the page's own."""
    return (
        l10n.language_or_none(data.get("language"))
        or l10n.language_or_none(translation.get_language())
        or settings.LANGUAGE_CODE
    )


def _report_context(summary: Summary) -> dict:
    return {
        "summary": summary,
        "key_figures": key_figures(summary),
        "covers": covers(summary),
        "sources_note": SOURCES_NOTE,
        "disclaimer": DISCLAIMER,
        "rows": figure_rows(summary),
        "chart": bar_chart(summary),
    }


def _pdf_response(
    content: bytes, first: date, last: date, shared: bool = False, disposition: str = "inline"
) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    name = f"cramp-diary-summary-{first:%Y%m%d}-{last:%Y%m%d}.pdf"
    response["Content-Disposition"] = f'{disposition}; filename="{name}"'
    response["Cache-Control"] = "no-store, private"
    if shared:
        with_shared_headers(response)
    return response


def _owner_summary(request: AuthedHtmxRequest, form: PeriodForm, **details) -> Summary:
    first, last, notes = form.period()
    profile = request.user.profile
    details.setdefault("name", profile.summary_name)
    details.setdefault("birth_date", profile.summary_birth_date)
    return build_summary(
        request.user, first, last, note_ids=notes, with_baseline=form.with_baseline(), **details
    )


@require_safe
@login_required
def summary_page(request: AuthedHtmxRequest) -> HttpResponse:
    today = timezone.localdate()
    form = PeriodForm(request.GET or None, today=today)
    form.is_valid()  # its errors in the page's language, not the summary's
    language = summary_language(request.GET)
    with l10n.in_language(language):
        summary = _owner_summary(request, form, offer_notes=True)
        report = _report_context(summary)
    form.fields["start"].initial, form.fields["end"].initial = summary.first, summary.last
    # Asked for without dates (only "how I started", say): the fields show the period shown.
    if form.is_bound and not (form.data.get("start") or form.data.get("end")):
        form.data = {**form.data, "start": summary.first.isoformat(), "end": summary.last.isoformat()}
    chosen = [n.pk for n in summary.notes]
    profile = request.user.profile
    who = ShareLinkForm(
        today=today, initial={"name": profile.summary_name, "birth_date": profile.summary_birth_date}
    )
    asked = l10n.language_or_none(request.GET.get("language"))
    return render(
        request,
        "tracker/summary.html",
        {
            **report,
            "form": form,
            "query": _query(summary.first, summary.last, chosen, form.with_baseline(), asked),
            "chosen": set(chosen),
            "with_baseline": form.with_baseline(),
            "who_form": who,
            "report_language": language,
            "languages": l10n.language_names(),
        },
    )


def _refused(request: AuthedHtmxRequest, form: PeriodForm) -> HttpResponse:
    messages.error(request, " ".join(cast(str, e) for errors in form.errors.values() for e in errors))
    return redirect(f"{reverse('summary')}?{_period_asked(request.POST.get('query', ''))}")


def _period_asked(query: str) -> str:
    """The summary's own query (period, chosen notes, baseline) sent back with a form, and nothing else: each value
    kept to its length and at most NOTES_OFFERED notes, so a tampered field cannot make an address too long to
    send the person back to."""
    asked = QueryDict(query[:MAX_QUERY])
    kept = {key: asked[key][:10] for key in ("start", "end", "baseline") if asked.get(key)}
    if language := l10n.language_or_none(asked.get("language")):
        kept["language"] = language
    notes = [note[:20] for note in asked.getlist("note")[:NOTES_OFFERED]]
    return urlencode({**kept, "note": notes}, doseq=True)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def summary_pdf_view(request: AuthedHtmxRequest) -> HttpResponse:
    """GET: the PDF with the name and date of birth kept on the profile. POST: with those asked for just now
    (kept for next time), from the summary page's "Download PDF"."""
    today = timezone.localdate()
    if request.method == "POST":
        form: PeriodForm = WhoForm(request.POST, today=today)
        if not form.is_valid():
            return _refused(request, form)
        cast(WhoForm, form).save_to(request.user.profile)
        paper = form.cleaned_data["paper"] or "A4"
    else:
        form = PeriodForm(request.GET or None, today=today)
        paper = "Letter" if request.GET.get("paper") == "Letter" else "A4"
    with l10n.in_language(summary_language(request.POST if request.method == "POST" else request.GET)):
        summary = _owner_summary(request, form)
        content = summary_pdf(summary, paper)
    # A posted form's answer is saved as a file: opened in the tab, Back would offer to post it again.
    disposition = "attachment" if request.method == "POST" else "inline"
    return _pdf_response(content, summary.first, summary.last, disposition=disposition)


def _snapshot(request: HttpRequest, summary: Summary, paper: str = "A4") -> tuple[str, bytes]:
    """The report's HTML and the PDF as they are now, in the active language: what a share link shows from then
    on."""
    with timezone.override(summary.made.tzinfo):
        html = render_to_string("tracker/_report.html", _report_context(summary), request=request)
    return html, summary_pdf(summary, paper)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def share_links(request: AuthedHtmxRequest) -> HttpResponse:
    today = timezone.localdate()
    if request.method == "POST":
        form = ShareLinkForm(request.POST, today=today)
        if not form.is_valid():
            return _refused(request, form)
        if ShareLink.objects.for_user(request.user).working(timezone.now()).count() >= MAX_WORKING_LINKS:
            messages.error(
                request,
                ngettext(
                    "You have %(n)s link that still works. Revoke one you no longer need (below), then make the "
                    "new one.",
                    "You have %(n)s links that still work. Revoke one you no longer need (below), then make the "
                    "new one.",
                    MAX_WORKING_LINKS,
                )
                % {"n": MAX_WORKING_LINKS},
            )
            return redirect("share_links")
        form.save_to(request.user.profile)
        first, last, notes = form.period()
        language = summary_language(request.POST)
        with l10n.in_language(language):
            summary = build_summary(
                request.user,
                first,
                last,
                note_ids=notes,
                name=form.cleaned_data["name"],
                birth_date=form.cleaned_data["birth_date"],
                with_baseline=form.with_baseline(),
            )
            html, pdf = _snapshot(request, summary, form.cleaned_data["paper"] or "A4")
        token = new_token()
        ShareLink.objects.create(
            user=request.user,
            token_hash=hash_token(token),
            first=first,
            last=last,
            note_ids=[n.pk for n in summary.notes],
            name=summary.name,
            birth_date=summary.birth_date,
            with_baseline=summary.baseline is not None,
            report_html=html,
            pdf=pdf,
            language=language,
            expires_at=timezone.now() + timedelta(days=form.cleaned_data["expires_in"]),
        )
        # Shown once, on the next page: only the hash is kept.
        request.session["new_share_url"] = request.build_absolute_uri(reverse("shared_summary", args=[token]))
        return redirect("share_links")
    links = list(ShareLink.objects.for_user(request.user).defer("report_html", "pdf"))
    now = timezone.now()
    return render(
        request,
        "tracker/share_links.html",
        {
            "new_url": request.session.pop("new_share_url", None),
            "links": [(link, link.is_valid(now), shows_words(link)) for link in links],
        },
    )


def shows_words(link: ShareLink) -> str:
    """What a link shows, as the list of links says it: "Shows the diary for these dates as it was when made, with
    how you started, with your name, with 2 notes." Each case a whole sentence, for languages that order them
    otherwise."""
    n = len(link.note_ids)
    said = {"n": n}
    match (link.with_baseline, bool(link.name), bool(n)):
        case (False, False, False):
            return gettext("Shows the diary for these dates as it was when made.")
        case (True, False, False):
            return gettext("Shows the diary for these dates as it was when made, with how you started.")
        case (False, True, False):
            return gettext("Shows the diary for these dates as it was when made, with your name.")
        case (True, True, False):
            return gettext(
                "Shows the diary for these dates as it was when made, with how you started, with your name."
            )
        case (False, False, True):
            return (
                ngettext(
                    "Shows the diary for these dates as it was when made, with %(n)s note.",
                    "Shows the diary for these dates as it was when made, with %(n)s notes.",
                    n,
                )
                % said
            )
        case (True, False, True):
            return (
                ngettext(
                    "Shows the diary for these dates as it was when made, with how you started, with %(n)s note.",
                    "Shows the diary for these dates as it was when made, with how you started, with %(n)s notes.",
                    n,
                )
                % said
            )
        case (False, True, True):
            return (
                ngettext(
                    "Shows the diary for these dates as it was when made, with your name, with %(n)s note.",
                    "Shows the diary for these dates as it was when made, with your name, with %(n)s notes.",
                    n,
                )
                % said
            )
        case _:
            return (
                ngettext(
                    "Shows the diary for these dates as it was when made, with how you started, with your name, with "
                    "%(n)s note.",
                    "Shows the diary for these dates as it was when made, with how you started, with your name, with "
                    "%(n)s notes.",
                    n,
                )
                % said
            )


@require_POST
@login_required
def share_revoke(request: AuthedHtmxRequest, pk: int) -> HttpResponse:
    link = get_object_or_404(ShareLink.objects.for_user(request.user).defer("report_html", "pdf"), pk=pk)
    if link.revoked_at is None:
        link.revoked_at = timezone.now()
        link.save(update_fields=["revoked_at"])
        messages.success(request, gettext("The link is revoked: it no longer opens the summary."))
    return redirect("share_links")


def _kept(request: HttpRequest, link: ShareLink) -> ShareLink:
    """A link made before links kept their summary gets it now, once, in its language, and keeps it from then on."""
    if not link.report_html:
        with l10n.in_language(link.language):
            summary = build_summary(
                link.user,
                link.first,
                link.last,
                note_ids=link.note_ids,
                name=link.name,
                birth_date=link.birth_date,
                with_baseline=link.with_baseline,
            )
            link.report_html, link.pdf = _snapshot(request, summary)
        link.save(update_fields=["report_html", "pdf"])
    return link


@require_safe
def shared_summary(request: HttpRequest, token: str) -> HttpResponse:
    link = open_link(request, token)
    if isinstance(link, HttpResponse):
        return link
    link = _kept(request, link)
    # The whole page in the link's language, whoever opens it: the report kept with it was written in that one.
    with timezone.override(link.user.profile.zone), l10n.in_language(link.language):
        response = render(
            request,
            "tracker/shared_summary.html",
            {
                "report": mark_safe(link.report_html),  # noqa: S308  rendered by us
                "link": link,
                "token": token,
                "made": moment_words(link.created_at.astimezone(link.user.profile.zone)),
                "expires": moment_words(link.expires_at.astimezone(link.user.profile.zone)),
                "disclaimer": DISCLAIMER,
            },
        )
        with_shared_headers(response, language=translation.get_language())
    return response


@require_safe
def shared_pdf(request: HttpRequest, token: str) -> HttpResponse:
    link = open_link(request, token)
    if isinstance(link, HttpResponse):
        return link
    link = _kept(request, link)
    return _pdf_response(bytes(link.pdf), link.first, link.last, shared=True)
