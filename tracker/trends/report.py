"""Everything the Trends page and its data endpoint show, built from the day totals and a few counted rows."""

from collections.abc import Sequence
from datetime import date, timedelta

from django.db.models import Q
from django.utils.translation import gettext

from tracker.app import l10n
from tracker.entries import logged_nights
from tracker.entries.counts import NUTRIENT_GROUPS, Span, group_label
from tracker.experiments.progress import Run, runs_between
from tracker.models import Experiment, Medication, Muscle, Side
from tracker.trends import stats
from tracker.trends.forms import DEFAULT_RANGE, RANGES, RangeForm

MAX_MARKERS = 20  # medicines marked on one chart; a list this long is read in the text below it


def chosen_span(form: RangeForm, today: date, zone, start: date | None) -> tuple[str, Span]:
    """The range key and the nights to show, up to last night (tonight's is not over), as every figure counts them
    (tracker/entries/logged_nights.py): "4 weeks" is the last 28 nights, the same as the headline's latest 4 weeks.
    Anything invalid falls back to the default range."""
    key = DEFAULT_RANGE
    if form.is_valid() and form.cleaned_data["range"]:
        key = form.cleaned_data["range"]
    last_night = today - timedelta(days=1)
    if key == "custom":
        first, last = form.cleaned_data["start"], form.cleaned_data["end"]
        return key, Span(first, max(first, min(last, last_night)), zone)
    if key == "all":
        first = min(start or last_night, last_night)
        return key, Span(first, last_night, zone)
    nights = logged_nights.latest(7 * RANGES[key][1], today)
    first = nights.first
    if start is not None:  # a long range starts with the diary, not with empty months
        first = max(first, min(start, last_night))
    return key, Span(first, last_night, zone)


def _hour_label(hour: int) -> str:
    """Hours as the rest of the app writes times (the timeline's 24-hour "H:i")."""
    return f"{hour:02d}:00"


def _markers(user, bucket_list: list[stats.Bucket]) -> list[tuple[int, date, str]]:
    """Medicines and supplements started or stopped within the buckets, by bucket, labelled with the person's own
    names ("Started magnesium-rich snack"), for the cramps-per-week chart and its text."""
    first, last = bucket_list[0].first, bucket_list[-1].last
    index = stats.bucket_index(bucket_list)
    found: list[tuple[int, date, str]] = []
    medicines = Medication.objects.for_user(user).filter(
        Q(started__gte=first, started__lte=last) | Q(stopped__gte=first, stopped__lte=last)
    )
    for medicine in medicines.order_by("started", "stopped", "name")[:MAX_MARKERS]:
        for stopped, day in ((False, medicine.started), (True, medicine.stopped)):
            if day is not None and first <= day <= last:
                position = index(day)
                if position is not None:
                    said = gettext("Stopped %(name)s") if stopped else gettext("Started %(name)s")
                    found.append((position, day, said % {"name": medicine.name}))
    return sorted(found)


def _marker_data(markers: list[tuple[int, date, str]]) -> list[dict]:
    """The chart's markers: one per bucket, with each event there as a line of its label."""
    by_bucket: dict[int, list[str]] = {}
    for position, _, line in markers:
        by_bucket.setdefault(position, []).append(line)
    return [{"at": position, "lines": lines} for position, lines in by_bucket.items()]


def _block_data(runs: list[Run], bucket_list: list[stats.Bucket]) -> list[dict]:
    """The experiment blocks to shade on the cramps chart, in bucket widths: a bar's band runs from its index to
    index + 1, so a run from a Wednesday to the next Tuesday starts 2/7 into one week and ends 2/7 into the next.
    Each night is placed by its own bucket, so a month's bucket (or a week cut by the range) divides as it is."""
    index = stats.bucket_index(bucket_list)

    def position(day: date, after: bool) -> float | None:
        at = index(day)
        if at is None:
            return None
        bucket = bucket_list[at]
        into = (day - bucket.first).days + (1 if after else 0)
        return round(at + into / ((bucket.last - bucket.first).days + 1), 4)

    shaded = []
    for run in runs:
        start, end = position(run.first, after=False), position(run.last, after=True)
        if start is not None and end is not None:
            shaded.append({"from": start, "to": end, "change": run.is_change})
    return shaded


def build_report(
    user, span: Span, today: date, experiments: Sequence[Experiment] = (), start: date | None = None
) -> dict:
    """Everything the charts and their text alternatives show: the day totals, which must be current
    (day_totals.make_current), and the hour and muscle counts. With `experiments` (read once by the caller), their
    blocks within the range are shaded on the cramps chart and listed under it. With `start` (the diary's first
    day), the nutrients are compared only with days of the diary before the range."""
    profile = user.profile
    hours = stats.cramps_by_hour(user, span)
    muscles = stats.cramps_by_muscle_and_side(user, span) if any(hours) else {}
    unit, bucket_list = stats.buckets(span, rolling=True)  # whole weeks ending last night; a cut one marked
    before_first = span.first - timedelta(days=span.days)
    if start is not None:  # only the diary's own days before the range: none before it began
        before_first = max(before_first, min(start, span.first - timedelta(days=1)))
    before = Span(before_first, span.first - timedelta(days=1), span.zone)
    cramps, nutrients = stats.bucket_totals(user, span, bucket_list, before)
    earlier = nutrients.pop()  # the range before, for the nutrient comparison
    days = stats.day_groups(user, span, today - timedelta(days=1), profile.fluid_target_ml)
    fluid_bands = stats.fluid_bands(days, lambda ml: round(profile.from_ml(ml)), profile.volume_symbol)
    exercise_bands = stats.exercise_bands(days)
    total = sum(b.count for b in cramps)
    rated = sum(b.rated for b in cramps)

    # A muscle or side the person did not choose is counted as not recorded, never as a guess.
    not_recorded = gettext("Not recorded")
    side_keys = [*Side.values, None]
    side_labels = [*(str(label) for label in Side.labels), not_recorded]
    muscle_rows = []
    recorded_rows = []  # without the "Not recorded" row, for the most frequent muscle
    for muscle, muscle_label in [*Muscle.choices, (None, not_recorded)]:
        counts = [muscles.get((muscle, side), 0) for side in side_keys]
        if any(counts):
            muscle_rows.append((str(muscle_label), counts, sum(counts)))
            if muscle is not None:
                recorded_rows.append(muscle_rows[-1])
    top_muscle = max(recorded_rows, key=lambda row: row[2], default=None)
    busiest_hour = max(range(24), key=lambda h: hours[h]) if total else None
    meal_total = sum(b.meals for b in nutrients)
    nutrient_shares = {
        group: round(100 * sum(b.with_nutrient[group] for b in nutrients) / meal_total)
        if meal_total
        else None
        for group in NUTRIENT_GROUPS
    }
    labels = [b.label for b in bucket_list]
    before_meals = earlier.meals
    # The nutrients are compared with the range before only when each side has enough meals to say anything.
    compared = meal_total >= stats.MIN_MEALS_EACH_SIDE and before_meals >= stats.MIN_MEALS_EACH_SIDE
    before_shares = {group: earlier.share(group) for group in NUTRIENT_GROUPS}
    markers = _markers(user, bucket_list)
    runs = runs_between(experiments, span.first, span.last, today)
    data = {
        "unit": unit,
        "cramps": {
            "labels": labels,
            "count": [b.count for b in cramps],
            "markers": _marker_data(markers),
            "blocks": _block_data(runs, bucket_list),
        }
        if total
        else None,
        "intensity": {
            "labels": labels,
            "mean": [b.mean for b in cramps],
            "top": [b.top for b in cramps],
        }
        if rated
        else None,
        "minutes": {"labels": labels, "minutes": [b.minutes for b in cramps]} if total else None,
        "hours": {"labels": [_hour_label(h) for h in range(24)], "count": hours} if total else None,
        "muscles": {
            "labels": [row[0] for row in muscle_rows],
            "sides": {
                label: [row[1][i] for row in muscle_rows]
                for i, label in enumerate(side_labels)
                if any(row[1][i] for row in muscle_rows)
            },
        }
        if total
        else None,
        "fluid": _bands(fluid_bands, gettext("Fluid that day (%(unit)s)") % {"unit": profile.volume_symbol}),
        "exercise": _bands(exercise_bands, gettext("Exercise that day")),
        "nutrients": {
            "labels": [group_label(group) for group in NUTRIENT_GROUPS],
            "now": [nutrient_shares[group] for group in NUTRIENT_GROUPS],
            "before": [before_shares[group] for group in NUTRIENT_GROUPS] if compared else None,
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
        "mean_intensity": round(sum(b.intensity_sum for b in cramps) / rated, 1) if rated else None,
        "rated": rated,
        "timed": sum(b.timed for b in cramps),
        "busiest_bucket": max(cramps, key=lambda b: b.seconds) if total else None,
        "hours": [(_hour_label(h), count) for h, count in enumerate(hours) if count],
        "night_share": stats.night_share(hours),
        "busiest_hour": (_hour_label(busiest_hour), _hour_label((busiest_hour + 1) % 24))
        if busiest_hour is not None
        else None,
        "night_hours": (_hour_label(stats.NIGHT_HOURS[0]), _hour_label(stats.NIGHT_HOURS[1])),
        "muscle_rows": muscle_rows,
        "sides": side_labels,
        "top_muscle": top_muscle,
        # "Most often: calf": as a label reads inside a sentence in the page's language.
        "top_muscle_name": l10n.mid_sentence(top_muscle[0]) if top_muscle else None,
        "fluid_bands": fluid_bands,
        "fluid_days": sum(b.rate.days for b in fluid_bands),
        "exercise_bands": exercise_bands,
        "days": sum(day.weight for day in days),
        "nutrients": nutrients,
        "nutrient_groups": [group_label(group) for group in NUTRIENT_GROUPS],
        "nutrient_shares": nutrient_shares,
        "nutrient_rows": [
            (group_label(group), nutrient_shares[group], before_shares.get(group) if compared else None)
            for group in NUTRIENT_GROUPS
        ],
        "before": before,
        "before_meals": before_meals,
        "compared": compared,
        "min_meals": stats.MIN_MEALS_EACH_SIDE,
        "min_nights": stats.MIN_DAYS_EACH_SIDE,
        "covers": logged_nights.over(sum(day.weight for day in days), span.first, span.last),
        "partial": any(b.partial for b in bucket_list),
        "meal_total": meal_total,
        "marker_list": [(day, line) for _, day, line in markers],
        "block_runs": runs,
        "block_changes": list(dict.fromkeys(run.change for run in runs if run.is_change)),
        "block_usual": any(not run.is_change for run in runs),
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
