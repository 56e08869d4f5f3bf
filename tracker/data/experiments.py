"""Personal experiments in the JSON export and import, and as experiments.csv in the zip.

An experiment is written whole: its change, block length, pairs, the seed and the order drawn from it, its first
night, pauses, the night it was stopped (if it was), when it was made, and each night marked "Did it today".
Restored from the file, it reads back as the same plan, state and result.

Experiments have no UUID. An experiment in the file is the same as one in the diary when its first night, its change
(key and words) and its seed all match: the seed is drawn at random for each experiment, so two experiments never
share all four by chance, and importing a file twice adds each experiment once.
"""

from dataclasses import replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils.translation import gettext

from tracker.data.columns import Column, with_model_limits
from tracker.data.problems import first_names, stop_if_too_many
from tracker.data.values import parse
from tracker.entries.limits import limits
from tracker.experiments.offered_changes import BY_KEY, CLINICIAN
from tracker.experiments.schedule import BLOCK_DAYS_CHOICES, PAIRS_CHOICES, draw_orders, nights_in_plan
from tracker.models import CrampEpisode, Experiment, ExperimentNight

KEY = "experiments"
ORDERS = ("CU", "UC")
# Each experiment lasts four weeks at least, one at a time: 100 is eight years of nothing else. Trends reads them all.
MAX_EXPERIMENTS = 100

COLUMNS = with_model_limits(
    Experiment,
    (
        Column(
            "change_key",
            "choice",
            "Which change: one of those the app offers, or one agreed with a clinician.",
            choices=(*BY_KEY, CLINICIAN),
        ),
        Column("change", "text", "The change, in the words shown."),
        Column("block_days", "int", "Nights in each block: 7, 14, 21 or 28."),
        Column("pairs", "int", "Pairs of blocks: 2 or 3."),
        Column("seed", "int", "The random number the order within each pair was drawn from."),
        Column("orders", "orders", "The order in each pair as drawn: CU (change first) or UC (usual first)."),
        Column("start", "date", "The first night, named by its evening."),
        Column(
            "pauses",
            "pauses",
            "Each pause: its first and last night, the last empty while still paused (in the CSV, first/last, "
            "separated by semicolons).",
        ),
        Column(
            "stopped_on", "date", "Stopped early: the first night not counted; empty if not.", required=False
        ),
        Column("created_at", "datetime", "When the experiment was started."),
        Column(
            "nights_done",
            "nights",
            "Nights the change was marked done (in the JSON, each with when it was marked).",
        ),
    ),
)
NIGHT_COLUMNS = with_model_limits(
    ExperimentNight,
    (
        Column("night", "date", "The night, named by its evening."),
        Column("at", "datetime", "When it was marked done."),
    ),
)
# An experiment's nights are diary nights: from the earliest day the diary takes, like every entry.
EARLIEST_NIGHT = limits(CrampEpisode, "at").low.date()
COLUMNS = tuple(replace(c, low=EARLIEST_NIGHT) if c.kind == "date" else c for c in COLUMNS)
NIGHT_COLUMNS = tuple(replace(c, low=EARLIEST_NIGHT) if c.kind == "date" else c for c in NIGHT_COLUMNS)
CSV_FILE = (KEY, "Personal experiments", COLUMNS)


def _natural_key(change_key: str, change: str, seed: int, start: date) -> tuple:
    return (start, change_key, change, seed)


def export_rows(user, zone: ZoneInfo) -> list[dict]:
    """Every experiment of the person, oldest first, each with its nights done (two queries)."""
    found = list(Experiment.objects.for_user(user).order_by("start", "pk"))
    nights: dict[int, list[dict]] = {}
    done = ExperimentNight.objects.filter(experiment__user=user).order_by("night")
    for experiment_id, night, at in done.values_list("experiment_id", "night", "at"):
        nights.setdefault(experiment_id, []).append(
            {"night": night.isoformat(), "at": at.astimezone(zone).isoformat()}
        )
    return [
        {
            "change_key": e.change_key,
            "change": e.change,
            "block_days": e.block_days,
            "pairs": e.pairs,
            "seed": e.seed,
            "orders": list(e.orders),
            "start": e.start.isoformat(),
            "pauses": [list(pause) for pause in e.pauses],
            "stopped_on": e.stopped_on.isoformat() if e.stopped_on else None,
            "created_at": e.created_at.astimezone(zone).isoformat(),
            "nights_done": nights.get(e.pk, []),
        }
        for e in found
    ]


def csv_rows(user, zone: ZoneInfo) -> list[dict]:
    return [
        {
            **row,
            "pauses": [f"{first}/{last or ''}" for first, last in row["pauses"]],
            "nights_done": [night["night"] for night in row["nights_done"]],
        }
        for row in export_rows(user, zone)
    ]


def _day(value, place: str, problems: list[str], now: datetime, low: date) -> date | None:
    try:
        return parse(value, Column("night", "date", "", low=low), now, set())
    except ValueError as error:
        problems.append(f"{place}: {error}")
        return None


def _pauses(value, start: date, most: int, place: str, problems: list[str], now: datetime) -> list | None:
    if not isinstance(value, list):
        problems.append(gettext("%(place)s: must be a list of [first night, last night]") % {"place": place})
        return None
    if len(value) > most:
        problems.append(
            gettext("%(place)s: has more than %(most)s pauses, one for each night of the plan")
            % {"place": place, "most": most}
        )
        return None
    pauses: list[list[str | None]] = []
    after = start
    for index, pause in enumerate(value):
        where = f"{place}[{index}]"
        if not isinstance(pause, list) or len(pause) != 2:
            problems.append(gettext("%(place)s: must be [first night, last night]") % {"place": where})
            return None
        first = _day(pause[0], where, problems, now, start)
        last = None if pause[1] is None else _day(pause[1], where, problems, now, start)
        if first is None or (pause[1] is not None and last is None):
            return None
        if first < after:
            problems.append(
                gettext("%(place)s: begins before the experiment or inside an earlier pause")
                % {"place": where}
            )
            return None
        if last is not None and last < first:
            problems.append(gettext("%(place)s: ends before it begins") % {"place": where})
            return None
        if last is None and index != len(value) - 1:
            problems.append(
                gettext("%(place)s: only the last pause can still be going on") % {"place": where}
            )
            return None
        pauses.append([first.isoformat(), last.isoformat() if last else None])
        after = (last if last is not None else first) + timedelta(days=1)
    return pauses


def check(items, now: datetime, problems: list[str]) -> list[dict]:
    """The experiments of the file, each checked like the entries; problems are added to `problems`."""
    if not isinstance(items, list):
        problems.append(gettext("%(place)s: must be a list") % {"place": KEY})
        return []
    rows = []
    seen: set[tuple] = set()
    for index, item in enumerate(items):
        stop_if_too_many(problems)
        place = f"{KEY}[{index}]"
        if not isinstance(item, dict):
            problems.append(gettext("%(place)s: must be an object") % {"place": place})
            continue
        before = len(problems)
        for name in first_names(set(item) - {c.name for c in COLUMNS}):
            problems.append(
                gettext("%(place)s: is not a field of an experiment") % {"place": f"{place}.{name}"}
            )
        row = {}
        for column in COLUMNS:
            if column.kind in ("orders", "pauses", "nights"):
                continue
            try:
                row[column.name] = parse(item.get(column.name), column, now, set())
            except ValueError as error:
                problems.append(f"{place}.{column.name}: {error}")
        if len(problems) > before:
            continue
        if row["change"] == "":
            problems.append(gettext("%(place)s.change: is missing") % {"place": place})
        if row["block_days"] not in BLOCK_DAYS_CHOICES:
            problems.append(gettext("%(place)s.block_days: must be 7, 14, 21 or 28") % {"place": place})
        if row["pairs"] not in PAIRS_CHOICES:
            problems.append(gettext("%(place)s.pairs: must be 2 or 3") % {"place": place})
        if len(problems) > before:
            continue  # the lists below are capped by the length of the plan
        nights = nights_in_plan(row["block_days"], row["pairs"])
        orders = item.get("orders")
        if isinstance(orders, list) and len(orders) != row["pairs"]:
            problems.append(gettext("%(place)s.orders: must have one order for each pair") % {"place": place})
        elif not isinstance(orders, list) or not all(isinstance(o, str) and o in ORDERS for o in orders):
            problems.append(gettext("%(place)s.orders: must be a list of CU or UC") % {"place": place})
        elif orders != draw_orders(row["seed"], row["pairs"]):
            # The order is drawn at random so that neither the person nor the app chooses it.
            problems.append(
                gettext(
                    "%(place)s.orders: are not the order drawn from its seed, so its results can't be trusted"
                )
                % {"place": place}
            )
        row["orders"] = orders
        if row["stopped_on"] is not None and row["stopped_on"] < row["start"]:
            problems.append(gettext("%(place)s.stopped_on: is before the first night") % {"place": place})
        row["pauses"] = _pauses(item.get("pauses"), row["start"], nights, f"{place}.pauses", problems, now)
        if row["pauses"] and row["stopped_on"] is not None and row["pauses"][-1][1] is None:
            problems.append(
                gettext("%(place)s.pauses: a stopped experiment has no pause still going on")
                % {"place": place}
            )
        row["nights_done"] = _nights(
            item.get("nights_done"), row["start"], nights, f"{place}.nights_done", problems, now
        )
        key = _natural_key(row["change_key"], row["change"], row["seed"], row["start"])
        if key in seen:
            problems.append(gettext("%(place)s: appears twice in the file") % {"place": place})
        seen.add(key)
        if len(problems) == before:
            rows.append(row)
    return rows


def _nights(value, start: date, most: int, place: str, problems: list[str], now: datetime) -> list[dict]:
    if not isinstance(value, list):
        problems.append(gettext("%(place)s: must be a list") % {"place": place})
        return []
    if len(value) > most:  # only a night of the plan can be marked done
        problems.append(
            gettext("%(place)s: has more than %(most)s nights, one for each night of the plan")
            % {"place": place, "most": most}
        )
        return []
    nights = []
    for index, item in enumerate(value):
        where = f"{place}[{index}]"
        if not isinstance(item, dict) or set(item) != {"night", "at"}:
            problems.append(gettext("%(place)s: must be an object with night and at") % {"place": where})
            continue
        try:
            night = {c.name: parse(item[c.name], c, now, set()) for c in NIGHT_COLUMNS}
        except ValueError as error:
            problems.append(f"{where}: {error}")
            continue
        if night["night"] < start:
            problems.append(gettext("%(place)s.night: is before the first night") % {"place": where})
            continue
        nights.append(night)
    if len({n["night"] for n in nights}) != len(nights):
        problems.append(gettext("%(place)s: a night appears twice") % {"place": place})
    return nights


def write(user, rows: list[dict]) -> tuple[int, int]:
    """The file's experiments not already in the diary, with their nights; (added, already there)."""
    existing = {
        _natural_key(*key)
        for key in Experiment.objects.for_user(user).values_list("change_key", "change", "seed", "start")
    }
    added = 0
    nights = []
    for row in rows:
        if _natural_key(row["change_key"], row["change"], row["seed"], row["start"]) in existing:
            continue
        fields = {k: v for k, v in row.items() if k not in ("nights_done", "created_at")}
        experiment = Experiment.objects.create(user=user, **fields)
        # created_at is set on creation (auto_now_add); the file's moment is put back after.
        Experiment.objects.filter(pk=experiment.pk).update(created_at=row["created_at"])
        nights += [ExperimentNight(experiment=experiment, **night) for night in row["nights_done"]]
        added += 1
    ExperimentNight.objects.bulk_create(nights, batch_size=500)
    return added, len(rows) - added
