import uuid
from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from knowledge import consult
from tracker.advice.facts import RecentDiary, warn_about_new_prompts
from tracker.app import l10n
from tracker.app.http import AuthedHtmxRequest, from_outbox, safe_next
from tracker.diary.forms import CrampDetailForm, CrampForm, NightCheckInForm, QuickDrinkForm
from tracker.diary.kinds import KINDS, TIMELINE_KINDS, EntryKind
from tracker.diary.timeline import Item, group_by_local_day, hydrate, index_queryset
from tracker.diary.today import (
    MINUTE_CHIPS,
    chosen_time_in_words,
    saved_cramp,
    three_am_after,
    three_am_value,
    today_context,
)
from tracker.entries import undo
from tracker.entries.page_cache import PageCache, Placeholders
from tracker.entries.saving import create_entry, replace_checkin_for
from tracker.models import MAX_CRAMP_SECONDS, CrampEpisode, Drink, PromptAcknowledgement

HISTORY_PAGE_SIZE = 40
KINDS_THAT_RAISE_PROMPTS = {"cramp", "medicine"}

# What saving, changing and deleting an entry say, a whole sentence for each kind: in Spanish and German the kind
# changes the words around it (its gender), so "%(kind)s saved." would not do.
SAVED = {
    "cramp": gettext_lazy("Cramp saved."),
    "drink": gettext_lazy("Drink saved."),
    "exercise": gettext_lazy("Exercise saved."),
    "meal": gettext_lazy("Meal saved."),
    "medicine": gettext_lazy("Medicine or supplement saved."),
}
ALREADY_SAVED = {
    "cramp": gettext_lazy("Cramp was already saved."),
    "drink": gettext_lazy("Drink was already saved."),
    "exercise": gettext_lazy("Exercise was already saved."),
    "meal": gettext_lazy("Meal was already saved."),
    "medicine": gettext_lazy("Medicine or supplement was already saved."),
}
UPDATED = {
    "cramp": gettext_lazy("Cramp updated."),
    "drink": gettext_lazy("Drink updated."),
    "exercise": gettext_lazy("Exercise updated."),
    "meal": gettext_lazy("Meal updated."),
    "medicine": gettext_lazy("Medicine or supplement updated."),
}
DELETED = {
    "cramp": gettext_lazy("Cramp deleted."),
    "drink": gettext_lazy("Drink deleted."),
    "exercise": gettext_lazy("Exercise deleted."),
    "meal": gettext_lazy("Meal deleted."),
    "medicine": gettext_lazy("Medicine or supplement deleted."),
    "checkin": gettext_lazy("Night check-in deleted."),
}


def get_kind(slug: str) -> EntryKind:
    try:
        return KINDS[slug]
    except KeyError:
        raise Http404("No such kind of entry") from None


def make_form(kind: EntryKind, request: AuthedHtmxRequest, **kwargs):
    if kind.needs_profile:
        kwargs["profile"] = request.user.profile
    assert kind.form is not None  # callers answer 404 for a kind without a form
    return kind.form(**kwargs)


def from_today(request: AuthedHtmxRequest) -> bool:
    return bool(request.htmx) and request.htmx.target == "today-body"


def outbox_answer(form, message: str = "") -> JsonResponse:
    """Saved (or already saved) is 200; refused is 400 with the first reason, which the phone shows."""
    if form.is_valid():
        return JsonResponse({"saved": True, "message": message})
    reason = next(iter(form.errors.values()))[0]
    return JsonResponse({"saved": False, "message": reason}, status=400)


def diary_page(response: HttpResponse) -> HttpResponse:
    """A page whose URL answers htmx with its diary part alone: the browser keeps the two apart (Vary), so Back
    never shows the part as a page, and the page brought up to date after Back (static/js/app.js) is the part."""
    patch_vary_headers(response, ("HX-Request",))
    return response


# Today ------------------------------------------------------------------------------------------------


def render_today(
    request: AuthedHtmxRequest,
    status: int = 200,
    cramp_form: CrampForm | None = None,
    saved: CrampEpisode | None = None,
    replaced=None,
    **extra,
) -> HttpResponse:
    """Today, or only its body for htmx. Its diary part is cached (tracker/entries/page_cache.py) for the local
    hour (with its UTC offset: the hour the clocks go back over is two), unless it shows a refused cramp's own
    values and errors. A `saved` cramp is shown first, with any urgent prompt it raised above it; the diary is
    read once for both."""
    now = timezone.now()
    zone = timezone.get_current_timezone()
    read: list[RecentDiary] = []

    def recent() -> RecentDiary:
        if not read:
            read.append(RecentDiary.read(request.user, zone, now))
        return read[0]

    key = None if cramp_form is not None else ("today", timezone.localtime(now).strftime("%Y-%m-%d %H%z"))
    body = PageCache.render(
        request,
        "tracker/_today.html",
        lambda places: today_context(request, places, now, cramp_form, recent()),
        key,
    )
    water_said = extra.pop("water_said", None)
    if water_said is not None:
        body = said_by_the_water_buttons(body, water_said, extra.pop("water_error", False))
    context = {"body": body, **extra}
    if saved is not None:
        context["saved"] = saved_cramp(saved, recent(), replaced)
    template = "tracker/today.html"
    if request.htmx:
        template += "#today-body"
    return diary_page(render(request, template, context, status=status))


WATER_SAID = '<p class="water-said" role="status" data-water-said></p>'


def said_by_the_water_buttons(body: str, message: str, error: bool) -> SafeString:
    """Today's body with a drink's answer beside the buttons that added it (in their card's status line, which the
    cached body holds empty), so a tap moves nothing on the screen."""
    kind = "flash-error" if error else "flash-success"
    said = format_html('<p class="water-said flash {}" role="status" data-water-said>{}</p>', kind, message)
    return mark_safe(str(body).replace(WATER_SAID, said, 1))  # noqa: S308 (both parts escaped already)


@require_safe
def today(request: AuthedHtmxRequest) -> HttpResponse:
    """Today. `?saved=<uuid>` shows that cramp's save answer first, as a plain form's save leads here. A visitor who
    is not logged in sees what the app is, with the way to create a diary or log in."""
    if not request.user.is_authenticated:
        return render(request, "front.html")
    saved = None
    wanted = request.GET.get("saved", "")
    if wanted:
        try:
            saved = CrampEpisode.objects.for_user(request.user).filter(uuid=uuid.UUID(wanted)).first()
        except ValueError:
            saved = None
    return render_today(request, saved=saved)


def after_cramp_saved(
    request: AuthedHtmxRequest, cramp: CrampEpisode, message: str, replaced=None
) -> HttpResponse:
    """The answer to a cramp saved or changed: the phone's outbox gets JSON, Today (htmx) its body with the save
    answer on top, and a plain form goes to Today, which shows the same."""
    if from_outbox(request):
        return JsonResponse({"saved": True, "message": message})
    if request.htmx:
        return render_today(request, saved=cramp, replaced=replaced)
    return redirect(f"{reverse('today')}?saved={cramp.uuid}#saved-card")


# Creating entries -------------------------------------------------------------------------------------


def render_entry_form(request, kind: EntryKind, form, next_url: str, entry=None) -> HttpResponse:
    now, zone = timezone.now(), timezone.get_current_timezone()
    context = {
        "at_words": chosen_time_in_words(form, now, zone) if "at" in form.fields else "",
        "kind": kind,
        "form": form,
        "entry": entry,
        "next": next_url,
        "creating": entry is None,
        "three_am": three_am_value(now, zone),
        "minute_chips": MINUTE_CHIPS,
    }
    return render(request, "tracker/entry_form.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def entry_create(request: AuthedHtmxRequest, kind: str) -> HttpResponse:
    entry_kind = get_kind(kind)
    if entry_kind.form is None:
        raise Http404("This kind is logged from Today")
    if request.method == "POST":
        form = make_form(entry_kind, request, data=request.POST)
        if form.is_valid():
            entry, created = create_entry(form, request.user)
            message = str(SAVED[kind] if created else ALREADY_SAVED[kind])
            replaced = replace_checkin_for(entry) if kind == "cramp" and created else None
            if replaced:
                message += " " + gettext('It replaces "No cramps" for the night of %(night)s.') % {
                    "night": l10n.weekday_day_month(replaced)
                }
            if (
                kind == "cramp"
                and not from_outbox(request)
                and (from_today(request) or not safe_next(request, ""))
            ):
                return after_cramp_saved(request, cast(CrampEpisode, entry), message, replaced)
            if from_outbox(request):
                if kind in KINDS_THAT_RAISE_PROMPTS:
                    warn_about_new_prompts(request, entry)
                return outbox_answer(form, message)
            if from_today(request):
                return render_today(request, flash=message)
            messages.success(request, message)
            if kind in KINDS_THAT_RAISE_PROMPTS:
                warn_about_new_prompts(request, entry)
            default = reverse("medicines") if kind == "medicine" else reverse("today")
            return redirect(safe_next(request, default))
        if from_outbox(request):
            return outbox_answer(form)
        if from_today(request) and kind == "cramp":
            return render_today(request, cramp_form=form)
    else:
        at = three_am_after(request.GET.get("night", ""), timezone.now(), timezone.get_current_timezone())
        form = make_form(entry_kind, request, initial={"at": at} if kind == "cramp" and at else None)
    return render_entry_form(request, entry_kind, form, next_url=safe_next(request, ""))


@require_POST
@login_required
def quick_drink(request: AuthedHtmxRequest) -> HttpResponse:
    form = QuickDrinkForm(request.POST)
    ok = form.is_valid()
    if ok:
        entry, created = create_entry(form, request.user)
        profile = request.user.profile
        message = (
            gettext("Added %(amount)s.") % {"amount": profile.format_volume(cast(Drink, entry).amount_ml)}
            if created
            else gettext("That drink was already added.")
        )
    else:
        message = gettext("That drink could not be added. Please try again.")
    if from_outbox(request):
        return outbox_answer(form, message)
    if request.htmx:
        return render_today(request, water_said=message, water_error=not ok)
    (messages.success if ok else messages.error)(request, message)
    return redirect("today")


@require_POST
@login_required
def night_checkin(request: AuthedHtmxRequest) -> HttpResponse:
    form = NightCheckInForm(request.POST, user=request.user)
    if form.is_valid():
        create_entry(form, request.user)
        message, ok = gettext("Noted: no cramps last night."), True
    else:
        errors = form.errors.get("night") or form.errors.get("uuid") or [gettext("Please try again.")]
        message, ok = cast(str, errors[0]), False  # an ErrorList gives its messages, as str
    if from_outbox(request):
        return outbox_answer(form, message)
    if request.htmx:
        return render_today(request, flash=message, flash_error=not ok)
    (messages.success if ok else messages.error)(request, message)
    return redirect("today")


# Editing and deleting ---------------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def entry_edit(request: AuthedHtmxRequest, kind: str, pk: int) -> HttpResponse:
    entry_kind = get_kind(kind)
    entry = get_object_or_404(entry_kind.model.objects.for_user(request.user), pk=pk)
    if entry_kind.form is None:
        raise Http404("This kind of entry has nothing to edit")
    default = reverse("medicines") if kind == "medicine" else reverse("history")
    if request.method == "POST":
        form = make_form(entry_kind, request, data=request.POST, instance=entry)
        if form.is_valid():
            with transaction.atomic():  # the entry and the day totals it moves change together
                entry = form.save()
            messages.success(request, str(UPDATED[kind]))
            if kind in KINDS_THAT_RAISE_PROMPTS:
                warn_about_new_prompts(request, entry)
            return redirect(safe_next(request, default))
    else:
        form = make_form(entry_kind, request, instance=entry)
    return render_entry_form(request, entry_kind, form, next_url=safe_next(request, default), entry=entry)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def entry_delete(request: AuthedHtmxRequest, kind: str, pk: int) -> HttpResponse:
    entry_kind = get_kind(kind)
    entry = get_object_or_404(entry_kind.model.objects.for_user(request.user), pk=pk)
    default = reverse("medicines") if kind == "medicine" else reverse("history")
    if request.method == "POST":
        undo.remember(request, entry, kind)
        entry.delete()
        message = str(DELETED[kind])
        if from_today(request):
            return render_today(request, flash=message, undo=undo.pending(request))
        if request.htmx:
            return render(
                request, "tracker/_deleted_row.html", {"undo": undo.pending(request), "message": message}
            )
        messages.success(request, message)
        return redirect(safe_next(request, default))
    return render(
        request,
        "tracker/entry_delete.html",
        {
            "kind": entry_kind,
            "entry": entry,
            "next": safe_next(request, default),
        },
    )


@require_POST
@login_required
def entry_undo(request: AuthedHtmxRequest) -> HttpResponse:
    """Undo the last deletion, within a minute: the entry comes back as it was, with its UUID."""
    try:
        restored = undo.restore(request, request.POST.get("token", ""))
    except IntegrityError:  # e.g. a night checked in again since
        restored = None
    message = gettext("Put back.") if restored else gettext("That can no longer be undone.")
    if from_today(request):
        return render_today(request, flash=message, flash_error=not restored)
    if request.htmx and restored is not None:
        kind = next(k for k in KINDS.values() if isinstance(restored, k.model))
        item = Item(kind, restored)
        return render(
            request,
            "tracker/_entry.html",
            {
                "item": item,
                "back": reverse("history"),
                "delete_target": "closest li",
                "profile": request.user.profile,
            },
        )
    if request.htmx:
        return render(request, "tracker/_deleted_row.html", {"message": message})
    (messages.success if restored else messages.error)(request, message)
    return redirect(safe_next(request, reverse("history")))


# History ------------------------------------------------------------------------------------------------


@require_safe
@login_required
def history(request: AuthedHtmxRequest) -> HttpResponse:
    selected = request.GET.get("kind", "")
    kinds = [k for k in TIMELINE_KINDS if k.slug == selected] or TIMELINE_KINDS
    if len(kinds) == len(TIMELINE_KINDS):
        selected = ""

    def listing(placeholders: Placeholders) -> dict:
        paginator = Paginator(index_queryset(request.user, kinds), HISTORY_PAGE_SIZE)
        page = paginator.get_page(request.GET.get("page"))
        days = group_by_local_day(hydrate(list(page.object_list), request.user))
        return {"days": days, "page": page, "selected": selected, "profile": request.user.profile}

    body = PageCache.render(
        request, "tracker/_history_list.html", listing, ("history", request.get_full_path())
    )
    template = "tracker/history.html"
    if request.htmx and not request.htmx.boosted:
        template += "#history-list"
    return diary_page(
        render(request, template, {"body": body, "kinds": TIMELINE_KINDS, "selected": selected})
    )


@require_safe
@login_required
def medicines(request: AuthedHtmxRequest) -> HttpResponse:
    entries = list(KINDS["medicine"].model.objects.for_user(request.user))
    today = timezone.localdate()
    return render(
        request,
        "tracker/medicines.html",
        {
            "current": [m for m in entries if m.is_current(today)],
            "past": [m for m in entries if not m.is_current(today)],
        },
    )


@require_safe
@login_required
def more(request: AuthedHtmxRequest) -> HttpResponse:
    return render(request, "tracker/more.html", {"profile": request.user.profile})


# See-a-clinician prompts --------------------------------------------------------------------------------------


@require_POST
@login_required
def acknowledge_prompt(request: AuthedHtmxRequest, rule_id: str) -> HttpResponse:
    if rule_id not in consult.RULES:
        raise Http404("No such prompt")
    PromptAcknowledgement.objects.update_or_create(
        user=request.user, rule_id=rule_id, defaults={"acknowledged_at": timezone.now()}
    )
    message = gettext("Noted. It will come back if a new entry raises it again.")
    if from_today(request):
        return render_today(request, flash=message)
    messages.success(request, message)
    return redirect(safe_next(request, reverse("today")))


# A cramp's details, and a cramp being timed -------------------------------------------------------------------------


def owned_cramp(request: AuthedHtmxRequest, cramp_uuid: uuid.UUID) -> CrampEpisode:
    return get_object_or_404(CrampEpisode.objects.for_user(request.user), uuid=cramp_uuid)


@require_POST
@login_required
def cramp_detail(request: AuthedHtmxRequest, cramp_uuid: uuid.UUID) -> HttpResponse:
    """One tap after saving sets one detail of the cramp, found by the UUID its form gave it (so a phone that was
    offline can send the tap after the cramp itself)."""
    try:
        cramp = owned_cramp(request, cramp_uuid)
    except Http404:
        if from_outbox(request):
            message = gettext("That cramp is not in your diary.")
            return JsonResponse({"saved": False, "message": message}, status=404)
        raise
    form = CrampDetailForm(request.POST)
    if not form.is_valid():
        if from_outbox(request):
            return outbox_answer(form)
        return render_today(
            request,
            status=400,
            saved=cramp,
            flash=gettext("That detail could not be saved."),
            flash_error=True,
        )
    changed = form.apply_to(cramp)
    if changed:
        with transaction.atomic():  # the entry and the day totals it moves change together
            cramp.save(update_fields=[*changed, "updated_at"])
    return after_cramp_saved(request, cramp, gettext("Cramp updated."))


@require_POST
@login_required
def cramp_start(request: AuthedHtmxRequest) -> HttpResponse:
    """ "It's happening now": a cramp timed from this moment. Its start is the entry's time, so the timer survives a
    reload or a locked phone; "It stopped" saves the length."""
    form = CrampForm(request.POST)
    if not form.is_valid():
        message = gettext("The timer could not start. Please try again.")
        return render_today(request, flash=message, flash_error=True) if request.htmx else redirect("today")
    form.instance.ongoing = True
    form.cleaned_data["at"] = timezone.now()
    cramp, created = create_entry(form, request.user)
    if created:
        replace_checkin_for(cramp)
    if request.htmx:
        return render_today(request, flash=gettext('Timing the cramp. Tap "It stopped" when it ends.'))
    return redirect("today")


@require_POST
@login_required
def cramp_stop(request: AuthedHtmxRequest, cramp_uuid: uuid.UUID) -> HttpResponse:
    cramp = owned_cramp(request, cramp_uuid)
    if cramp.ongoing:
        seconds = round((timezone.now() - cramp.at).total_seconds())
        cramp.duration_seconds = max(1, seconds) if seconds <= MAX_CRAMP_SECONDS else None
        cramp.ongoing = False
        with transaction.atomic():
            cramp.save(update_fields=["duration_seconds", "ongoing", "updated_at"])
    return after_cramp_saved(request, cramp, gettext("Cramp saved."))
