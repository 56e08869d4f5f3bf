"""Trends: cramps against fluid, exercise and meals over a chosen range, drawn by Chart.js from JSON."""

import json
from datetime import date, timedelta

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from tracker import pages, rollup, stats
from tracker.models import Muscle, Side

RANGES = {"4w": ("4 weeks", 4), "12w": ("12 weeks", 12), "26w": ("6 months", 26), "52w": ("1 year", 52)}
DEFAULT_RANGE = "12w"
EARLIEST = date(2000, 1, 1)
LONGEST_DAYS = 366 * 20


class RangeForm(forms.Form):
    range = forms.ChoiceField(
        choices=[*((key, label) for key, (label, _) in RANGES.items()), ("all", "All"), ("custom", "Custom")],
        required=False,
        widget=forms.HiddenInput,
    )
    start = forms.DateField(label="From", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label="To", required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        for name in ("start", "end"):
            self.fields[name].widget.attrs.update(min=EARLIEST.isoformat(), max=today.isoformat())

    def clean(self):
        data = super().clean()
        if data.get("range") != "custom":
            return data
        check_period(self, data.get("start"), data.get("end"), self.today)
        return data


def check_period(form: forms.Form, start: date | None, end: date | None, today: date) -> None:
    """Add to `form` what is wrong with a period of local days from `start` to `end`, if anything."""
    if not start or not end:
        if not form.has_error("start") and not form.has_error("end"):
            form.add_error(None, "Choose both a first and a last day.")
        return
    if end > today:
        form.add_error("end", "The last day can't be after today.")
    if start < EARLIEST:
        form.add_error("start", "The first day can't be before 2000.")
    if start > end:
        form.add_error("start", "The first day must come before the last day.")
    elif (end - start).days >= LONGEST_DAYS:
        form.add_error("start", "A period can cover at most 20 years.")


def chosen_span(form: RangeForm, today: date, zone, start: date | None) -> tuple[str, stats.Span]:
    """The range key and local days to show; anything invalid falls back to the default range."""
    key = DEFAULT_RANGE
    if form.is_valid() and form.cleaned_data["range"]:
        key = form.cleaned_data["range"]
    if key == "custom":
        return key, stats.Span(form.cleaned_data["start"], form.cleaned_data["end"], zone)
    monday = today - timedelta(days=today.weekday())
    if key == "all":
        return key, stats.Span(min(start or monday, monday), today, zone)
    return key, stats.Span(monday - timedelta(weeks=RANGES[key][1] - 1), today, zone)


def _hour_label(hour: int) -> str:
    return f"{hour:02d}:00"


def build_report(user, span: stats.Span, today: date) -> dict:
    """Everything the charts and their text alternatives show: the day totals, which must be current
    (rollup.refresh), and the hour and muscle counts."""
    profile = user.profile
    hours = stats.cramps_by_hour(user, span)
    muscles = stats.cramps_by_muscle_and_side(user, span) if any(hours) else {}
    unit, bucket_list = stats.buckets(span)
    cramps, nutrients = stats.bucket_totals(user, span, bucket_list)
    days = stats.day_groups(user, span, today - timedelta(days=1), profile.fluid_target_ml)
    fluid_bands = stats.fluid_bands(days, lambda ml: round(profile.from_ml(ml)), profile.volume_symbol)
    exercise_bands = stats.exercise_bands(days)
    total = sum(b.count for b in cramps)

    muscle_rows = []
    for muscle, muscle_label in Muscle.choices:
        counts = [muscles.get((muscle, side), 0) for side in Side.values]
        if any(counts):
            muscle_rows.append((muscle_label, counts, sum(counts)))
    top_muscle = max(muscle_rows, key=lambda row: row[2], default=None)
    busiest_hour = max(range(24), key=lambda h: hours[h]) if total else None
    meal_total = sum(b.meals for b in nutrients)
    nutrient_shares = {
        group: round(100 * sum(b.with_nutrient[group] for b in nutrients) / meal_total)
        if meal_total
        else None
        for group in stats.NUTRIENT_GROUPS
    }
    labels = [b.label for b in bucket_list]
    data = {
        "unit": unit,
        "cramps": {
            "labels": labels,
            "count": [b.count for b in cramps],
            "mean": [b.mean for b in cramps],
            "top": [b.top for b in cramps],
        }
        if total
        else None,
        "minutes": {"labels": labels, "minutes": [b.minutes for b in cramps]} if total else None,
        "hours": {"labels": [_hour_label(h) for h in range(24)], "count": hours} if total else None,
        "muscles": {
            "labels": [row[0] for row in muscle_rows],
            "sides": {label: [row[1][i] for row in muscle_rows] for i, label in enumerate(Side.labels)},
        }
        if total
        else None,
        "fluid": _bands(fluid_bands, f"Fluid that day ({profile.volume_symbol})"),
        "exercise": _bands(exercise_bands, "That day"),
        "nutrients": {
            "labels": labels,
            "series": {group: [b.share(group) for b in nutrients] for group in stats.NUTRIENT_GROUPS},
        }
        if meal_total
        else None,
    }
    return {
        "span": span,
        "unit": unit,
        "data": data,
        "total": total,
        "cramps": cramps,
        "minutes_total": round(sum(b.seconds for b in cramps) / 60),
        "top_intensity": max((b.top for b in cramps if b.top is not None), default=None),
        "mean_intensity": round(sum(b.intensity_sum for b in cramps) / total, 1) if total else None,
        "busiest_bucket": max(cramps, key=lambda b: b.seconds) if total else None,
        "hours": [(_hour_label(h), count) for h, count in enumerate(hours) if count],
        "night_share": stats.night_share(hours),
        "busiest_hour": _hour_label(busiest_hour) if busiest_hour is not None else None,
        "muscle_rows": muscle_rows,
        "sides": Side.labels,
        "top_muscle": top_muscle,
        "fluid_bands": fluid_bands,
        "fluid_days": sum(b.rate.days for b in fluid_bands),
        "exercise_bands": exercise_bands,
        "days": sum(day.weight for day in days),
        "nutrients": nutrients,
        "nutrient_groups": list(stats.NUTRIENT_GROUPS),
        "nutrient_shares": nutrient_shares,
        "meal_total": meal_total,
        "associations": stats.associations(days, profile.fluid_target_ml),
        "fluid_target": profile.format_volume(profile.fluid_target_ml),
    }


def _bands(bands: list[stats.Band], axis: str) -> dict | None:
    if not any(band.rate.days for band in bands):
        return None
    return {
        "axis": axis,
        "labels": [band.short or band.label for band in bands],
        "percent": [band.rate.percent for band in bands],
        "days": [band.rate.days for band in bands],
    }


def _report_for(request: HttpRequest) -> tuple[RangeForm, str, dict, date | None]:
    zone, today = timezone.get_current_timezone(), timezone.localdate()
    rollup.refresh(request.user)
    start = rollup.first_day(request.user)
    form = RangeForm(request.GET or None, today=today)
    key, span = chosen_span(form, today, zone, start)
    form.fields["start"].initial, form.fields["end"].initial = span.first, span.last
    return form, key, build_report(request.user, span, today), start


@require_GET
@login_required
def trends(request: HttpRequest) -> HttpResponse:
    form, key, report, start = _report_for(request)
    context = {
        "form": form,
        "range_key": key,
        "ranges": [(k, label) for k, (label, _) in RANGES.items()] + [("all", "All")],
        "report": report,
        "has_diary": start is not None,
        "chart_json": json.dumps(report["data"], separators=(",", ":")),
    }
    if request.htmx:
        return render(request, "tracker/trends.html#trends-body", context)
    context["baseline"] = stats.baseline_and_now(
        request.user, report["span"].zone, timezone.localdate(), start
    )
    return render(request, "tracker/trends.html", context)


@require_GET
@login_required
def trends_data(request: HttpRequest) -> HttpResponse:
    """The series the charts draw, for the range in the query string (same parameters as the page). Kept until the
    diary changes, or the day (tracker/pages.py)."""

    def build() -> bytes:
        form, key, report, _ = _report_for(request)
        span = report["span"]
        errors = {
            field: [e["message"] for e in found] for field, found in form.errors.get_json_data().items()
        }
        data = {"range": key, "first": span.first, "last": span.last, "errors": errors, **report["data"]}
        return json.dumps(data, cls=DjangoJSONEncoder, separators=(",", ":")).encode()

    key_parts = ("trends_data", request.get_full_path(), timezone.localdate().isoformat())
    return HttpResponse(pages.kept(request, key_parts, build), content_type="application/json")
