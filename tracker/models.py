import uuid
from datetime import UTC, date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo, available_timezones

from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy, pgettext_lazy

from tracker.app import l10n

ML_PER_FL_OZ = 29.5735  # US customary fluid ounce

# The limits every form and the import read from the fields below (tracker/entries/limits.py); the check
# constraints hold the database to the same numbers.
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)  # no diary entry is older
EARLIEST_MEDICATION = date(1950, 1, 1)
EARLIEST_BIRTH_DATE = date(1900, 1, 1)
MAX_CRAMP_SECONDS = 3 * 60 * 60
MAX_DRINK_ML = 3000
MAX_EXERCISE_MINUTES = 24 * 60
FLUID_TARGET_ML = (500, 6000)
SCALE = (0, 10)  # intensity and sleep disturbance: 0 none, 10 worst
TIME_ZONES = sorted(available_timezones() - {"localtime", "Factory"})


class VolumeUnit(models.TextChoices):
    ML = "ml", gettext_lazy("millilitres (ml)")
    FL_OZ = "floz", gettext_lazy("fluid ounces (fl oz)")


def new_page_version() -> str:
    return uuid.uuid4().hex


class Profile(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    display_name = models.CharField(max_length=60, blank=True)
    time_zone = models.CharField(max_length=64, default="UTC")
    volume_unit = models.CharField(max_length=4, choices=VolumeUnit.choices, default=VolumeUnit.ML)
    fluid_target_ml = models.PositiveIntegerField(
        default=2000,
        validators=[MinValueValidator(FLUID_TARGET_ML[0]), MaxValueValidator(FLUID_TARGET_ML[1])],
    )
    # Typed by the person for the clinician summary; optional, and nothing else identifying is ever shown.
    summary_name = models.CharField(gettext_lazy("name on the summary"), max_length=80, blank=True)
    summary_birth_date = models.DateField(
        gettext_lazy("date of birth on the summary"),
        null=True,
        blank=True,
        validators=[MinValueValidator(EARLIEST_BIRTH_DATE)],
    )
    # The account's email address (User.email) is used only once confirmed by the link sent to it.
    email_confirmed_at = models.DateTimeField(null=True, blank=True, editable=False)
    # What the DiaryDay rows were counted under (tracker/entries/day_totals.py); blank or stale: recount on the
    # next read.
    rollup_key = models.CharField(max_length=100, blank=True, editable=False)
    # Changes with every write to the diary: what tracker/entries/page_cache.py kept under the old value (Today,
    # History, the trends data) is never served again. Random rather than a counter, so a new account never meets an old
    # account's pages.
    page_version = models.CharField(max_length=32, default=new_page_version, editable=False)
    # The language the person chose (settings.LANGUAGES): pages, emails and reminders use it. Blank: the browser's.
    language = models.CharField(max_length=8, blank=True, default="")

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(fluid_target_ml__gte=FLUID_TARGET_ML[0], fluid_target_ml__lte=FLUID_TARGET_ML[1]),
                name="profile_fluid_target_range",
            ),
            models.CheckConstraint(
                condition=Q(volume_unit__in=VolumeUnit.values), name="profile_volume_unit_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.display_name or self.user.get_username()

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    @property
    def volume_symbol(self) -> str:
        if self.volume_unit == VolumeUnit.FL_OZ:
            # Translators: the symbol of US fluid ounces, after a number ("8 fl oz").
            return gettext("fl oz")
        # Translators: the symbol of millilitres, after a number ("250 ml").
        return gettext("ml")

    def format_volume(self, ml: float) -> str:
        if self.volume_unit == VolumeUnit.FL_OZ:
            # Translators: an amount in US fluid ounces.
            return gettext("%(amount)s fl oz") % {"amount": l10n.number(round(ml / ML_PER_FL_OZ))}
        # Translators: an amount in millilitres.
        return gettext("%(amount)s ml") % {"amount": l10n.number(round(ml))}

    def to_ml(self, amount: float) -> int:
        return round(amount * ML_PER_FL_OZ) if self.volume_unit == VolumeUnit.FL_OZ else round(amount)

    def from_ml(self, ml: float) -> float:
        return round(ml / ML_PER_FL_OZ, 1) if self.volume_unit == VolumeUnit.FL_OZ else ml

    @property
    def quick_drink_sizes_ml(self) -> list[int]:
        """The one-tap water buttons, in round numbers of the person's own unit."""
        if self.volume_unit == VolumeUnit.FL_OZ:
            return [self.to_ml(8), self.to_ml(16)]
        return [250, 500]


class EntryQuerySet(models.QuerySet):
    def for_user(self, user) -> "EntryQuerySet":
        return self.filter(user=user)

    def between(self, start: datetime, end: datetime) -> "EntryQuerySet":
        return self.filter(at__gte=start, at__lt=end)


class EntryManager(models.Manager.from_queryset(EntryQuerySet)):  # type: ignore[misc]
    """Every page, count and export reads entries through here: rows an import is still writing, or that a failed
    import left to be removed, are nobody's diary yet (tracker/data/import_jobs.py). They appear all at once,
    when the import's last short transaction marks its job done writing."""

    def get_queryset(self) -> EntryQuerySet:
        unfinished = ImportJob.objects.filter(state__in=ImportJob.ROWS_HIDDEN).values("pk")
        return super().get_queryset().exclude(import_job__in=unfinished)


class Entry(models.Model):
    """What every diary entry shares: an owner and a UUID made by the client, so a retry never duplicates."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    uuid = models.UUIDField(default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The import that wrote the entry, which hides it until that import is done writing. No database constraint:
    # a done import's job is pruned a day later, and its entries stay (EntryManager shows them).
    import_job = models.ForeignKey(
        "ImportJob",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )

    objects = EntryManager()

    class Meta:
        abstract = True
        constraints = [
            models.UniqueConstraint(fields=["user", "uuid"], name="%(class)s_unique_uuid_per_user")
        ]


class TimedEntry(Entry):
    at = models.DateTimeField(gettext_lazy("when"), db_index=False, validators=[MinValueValidator(EARLIEST)])
    as_loaded: dict[str, Any]  # `at` and `night` as loaded (from_db); absent on a new entry

    class Meta(Entry.Meta):
        abstract = True
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["user", "-at"], name="%(class)s_user_at")]

    @classmethod
    def from_db(cls, db, field_names, values):
        """Remember when a loaded entry was, so an edit that moves it can recount the day it left."""
        instance = super().from_db(db, field_names, values)
        instance.as_loaded = {name: instance.__dict__.get(name) for name in ("at", "night")}
        return instance


class Muscle(models.TextChoices):
    CALF = "calf", pgettext_lazy("muscle", "Calf")
    FOOT = "foot", pgettext_lazy("muscle", "Foot")
    TOES = "toes", pgettext_lazy("muscle", "Toes")
    SHIN = "shin", pgettext_lazy("muscle", "Shin")
    FRONT_THIGH = "front_thigh", pgettext_lazy("muscle", "Front of thigh")
    BACK_THIGH = "back_thigh", pgettext_lazy("muscle", "Back of thigh")
    OTHER = "other", pgettext_lazy("muscle", "Other")


class Side(models.TextChoices):
    # Translators: which leg a cramp was in, a button under "Which leg?".
    LEFT = "left", pgettext_lazy("body side", "Left")
    RIGHT = "right", pgettext_lazy("body side", "Right")
    BOTH = "both", pgettext_lazy("body side", "Both")


class Relief(models.TextChoices):
    # Translators: what helped a cramp, buttons under "What helped?".
    STRETCHING = "stretching", pgettext_lazy("what helped", "Stretching")
    WALKING = "walking", pgettext_lazy("what helped", "Walking")
    MASSAGE = "massage", pgettext_lazy("what helped", "Massage")
    HEAT = "heat", pgettext_lazy("what helped", "Heat")
    NOTHING = "nothing", pgettext_lazy("what helped", "Nothing helped")
    OTHER = "other", pgettext_lazy("what helped", "Other")


class WarningSign(models.TextChoices):
    SWELLING = "swelling", gettext_lazy("Swelling of one leg")
    REDNESS = "redness", gettext_lazy("Redness or warmth")
    NUMBNESS = "numbness", gettext_lazy("Numbness or tingling")
    WEAKNESS = "weakness", gettext_lazy("Muscle weakness")


NOT_RECORDED = gettext_lazy("not recorded")


class CrampEpisode(TimedEntry):
    """A cramp. How long, how strong, which muscle and which side are None until the person says: the diary never
    counts a value nobody chose. While `ongoing`, the cramp is being timed from `at` ("It's happening now")."""

    duration_seconds = models.PositiveIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(MAX_CRAMP_SECONDS)]
    )
    intensity = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(SCALE[0]), MaxValueValidator(SCALE[1])]
    )
    # NULL, not "": "not recorded" reads the same in every column, export and chart.
    muscle = models.CharField(max_length=12, choices=Muscle.choices, null=True, blank=True)  # noqa: DJ001
    side = models.CharField(max_length=5, choices=Side.choices, null=True, blank=True)  # noqa: DJ001
    ongoing = models.BooleanField(gettext_lazy("being timed"), default=False)
    woke_from_sleep = models.BooleanField(gettext_lazy("woke me from sleep"), default=False)
    sleep_disturbance = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(SCALE[0]), MaxValueValidator(SCALE[1])]
    )
    relief = models.JSONField(gettext_lazy("what helped"), default=list, blank=True)
    warning_signs = models.JSONField(default=list, blank=True)
    triggers = models.CharField(gettext_lazy("possible triggers"), max_length=200, blank=True)
    notes = models.TextField(blank=True, max_length=2000, validators=[MaxLengthValidator(2000)])

    class Meta(TimedEntry.Meta):
        verbose_name = gettext_lazy("cramp episode")
        constraints = [
            *TimedEntry.Meta.constraints,
            models.CheckConstraint(
                condition=Q(intensity__isnull=True) | Q(intensity__gte=SCALE[0], intensity__lte=SCALE[1]),
                name="cramp_intensity_0_10",
            ),
            models.CheckConstraint(
                condition=Q(duration_seconds__isnull=True)
                | Q(duration_seconds__gt=0, duration_seconds__lte=MAX_CRAMP_SECONDS),
                name="cramp_duration_positive",
            ),
            models.CheckConstraint(
                condition=Q(sleep_disturbance__isnull=True)
                | Q(sleep_disturbance__gte=SCALE[0], sleep_disturbance__lte=SCALE[1]),
                name="cramp_sleep_disturbance_0_10",
            ),
            models.CheckConstraint(
                condition=Q(muscle__isnull=True) | Q(muscle__in=Muscle.values), name="cramp_muscle_valid"
            ),
            models.CheckConstraint(
                condition=Q(side__isnull=True) | Q(side__in=Side.values), name="cramp_side_valid"
            ),
        ]

    def __str__(self) -> str:
        # Translators: a cramp in one line, e.g. "Cramp: Calf, left leg, intensity 7, 2 min".
        return gettext("Cramp: %(details)s") % {"details": ", ".join(self.described())}

    def described(self) -> list[str]:
        """What was recorded, in words, then what was not: nothing the person did not choose is shown as chosen."""
        missing = self.not_recorded
        if not missing:
            return self.recorded
        # Translators: the details of a cramp nobody chose, e.g. "not recorded: which leg, how long".
        return [*self.recorded, gettext("not recorded: %(details)s") % {"details": ", ".join(missing)}]

    @property
    def recorded(self) -> list[str]:
        parts = []
        if self.muscle:
            parts.append(str(self.get_muscle_display()))
        if self.side:
            parts.append(self.side_label)
        if self.intensity is not None:
            parts.append(self.intensity_label)
        if self.ongoing or self.duration_seconds is not None:
            parts.append(self.duration_label)
        return parts

    @property
    def side_label(self) -> str:
        """ "left leg", "right leg", "both legs": whole words per side (the words around a side differ by language)."""
        if self.side == Side.LEFT:
            return gettext("left leg")
        if self.side == Side.RIGHT:
            return gettext("right leg")
        if self.side == Side.BOTH:
            return gettext("both legs")
        return self.side or ""

    @property
    def intensity_label(self) -> str:
        """ "intensity 7", as the cramp's one-line description says it (tracker/diary/words.py shows it in words)."""
        # Translators: how bad a cramp was on a 0-10 scale, in a list of its details.
        return gettext("intensity %(value)s") % {"value": self.intensity}

    @property
    def not_recorded(self) -> list[str]:
        length = None if self.duration_seconds is None and not self.ongoing else "recorded"
        return [
            name
            for name, value in (
                # Translators: the details of a cramp nobody chose, listed after "Not recorded:".
                (gettext("which leg"), self.side),
                (gettext("how bad"), self.intensity),
                (gettext("how long"), length),
                (gettext("which muscle"), self.muscle),
            )
            if value is None
        ]

    @property
    def duration_minutes(self) -> float | None:
        return None if self.duration_seconds is None else self.duration_seconds / 60

    @property
    def duration_label(self) -> str:
        if self.ongoing:
            # Translators: a cramp being timed now.
            return gettext("still going")
        if self.duration_seconds is None:
            return gettext("length not recorded")
        if self.duration_seconds < 60:
            # Translators: a cramp's length in seconds ("45 s").
            return gettext("%(seconds)s s") % {"seconds": self.duration_seconds}
        minutes = self.duration_seconds / 60
        # Rounded here: the number format cuts decimals off rather than rounding them (1.97 would read "1.9").
        places = 0 if minutes == int(minutes) else 1
        # Translators: a cramp's length in minutes ("2 min", "1.5 min").
        return gettext("%(minutes)s min") % {"minutes": l10n.number(round(minutes, places), places)}

    @property
    def relief_labels(self) -> list[str]:
        labels = dict(Relief.choices)
        return [str(labels.get(code, code)) for code in self.relief]

    @property
    def warning_sign_labels(self) -> list[str]:
        labels = dict(WarningSign.choices)
        return [str(labels.get(code, code)) for code in self.warning_signs]


class NightCheckIn(TimedEntry):
    """'No cramps last night': tells a night without cramps apart from a night without entries."""

    night = models.DateField(help_text="The night, named by the date of its evening.")

    class Meta(TimedEntry.Meta):
        verbose_name = gettext_lazy("night check-in")
        constraints = [
            *TimedEntry.Meta.constraints,
            models.UniqueConstraint(fields=["user", "night"], name="checkin_one_per_night"),
        ]

    def __str__(self) -> str:
        return gettext("No cramps on the night of %(night)s") % {"night": f"{self.night:%Y-%m-%d}"}


class DrinkKind(models.TextChoices):
    WATER = "water", pgettext_lazy("drink", "Water")
    ELECTROLYTE = "electrolyte", pgettext_lazy("drink", "Electrolyte drink")
    COCONUT_WATER = "coconut_water", pgettext_lazy("drink", "Coconut water")
    MILK = "milk", pgettext_lazy("drink", "Milk")
    COFFEE_TEA = "coffee_tea", pgettext_lazy("drink", "Coffee or tea")
    ALCOHOL = "alcohol", pgettext_lazy("drink", "Alcohol")
    OTHER = "other", pgettext_lazy("drink", "Other")


class Drink(TimedEntry):
    amount_ml = models.PositiveIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(MAX_DRINK_ML)]
    )
    kind = models.CharField(max_length=16, choices=DrinkKind.choices, default=DrinkKind.WATER)

    class Meta(TimedEntry.Meta):
        constraints = [
            *TimedEntry.Meta.constraints,
            models.CheckConstraint(
                condition=Q(amount_ml__gt=0, amount_ml__lte=MAX_DRINK_ML), name="drink_amount_range"
            ),
            models.CheckConstraint(condition=Q(kind__in=DrinkKind.values), name="drink_kind_valid"),
        ]

    def __str__(self) -> str:
        # Translators: a drink in one line, e.g. "Water, 250 ml".
        return gettext("%(kind)s, %(amount)s ml") % {
            "kind": self.get_kind_display(),
            "amount": self.amount_ml,
        }


class Effort(models.TextChoices):
    LIGHT = "light", pgettext_lazy("exercise effort", "Light")
    MODERATE = "moderate", pgettext_lazy("exercise effort", "Moderate")
    VIGOROUS = "vigorous", pgettext_lazy("exercise effort", "Vigorous")


class Exercise(TimedEntry):
    activity = models.CharField(max_length=80)
    minutes = models.PositiveIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(MAX_EXERCISE_MINUTES)]
    )
    effort = models.CharField(max_length=8, choices=Effort.choices, default=Effort.MODERATE)
    heavy_sweating = models.BooleanField(default=False)

    class Meta(TimedEntry.Meta):
        constraints = [
            *TimedEntry.Meta.constraints,
            models.CheckConstraint(
                condition=Q(minutes__gt=0, minutes__lte=MAX_EXERCISE_MINUTES), name="exercise_minutes_range"
            ),
            models.CheckConstraint(condition=Q(effort__in=Effort.values), name="exercise_effort_valid"),
        ]

    def __str__(self) -> str:
        # Translators: an exercise in one line: what the person typed, and how long ("walking, 30 min").
        return gettext("%(activity)s, %(minutes)s min") % {"activity": self.activity, "minutes": self.minutes}


class MealKind(models.TextChoices):
    BREAKFAST = "breakfast", pgettext_lazy("meal", "Breakfast")
    LUNCH = "lunch", pgettext_lazy("meal", "Lunch")
    DINNER = "dinner", pgettext_lazy("meal", "Dinner")
    SNACK = "snack", pgettext_lazy("meal", "Snack")


class Meal(TimedEntry):
    kind = models.CharField(max_length=10, choices=MealKind.choices, default=MealKind.BREAKFAST)
    description = models.CharField(max_length=300, blank=True)
    foods = models.ManyToManyField("knowledge.Food", blank=True, related_name="+")

    class Meta(TimedEntry.Meta):
        constraints = [
            *TimedEntry.Meta.constraints,
            models.CheckConstraint(condition=Q(kind__in=MealKind.values), name="meal_kind_valid"),
        ]

    def __str__(self) -> str:
        # Translators: a meal in one line: its kind and what the person typed ("Breakfast: porridge").
        return (
            gettext("%(kind)s: %(description)s")
            % {"kind": self.get_kind_display(), "description": self.description}
        )[:80]


class DiaryDay(models.Model):
    """One person's totals for a local day and the night that begins on its evening, counted from the entries.

    tracker/entries/day_totals.py keeps these up to date on every write, so trends over years read one row a day
    instead of every entry. The columns mirror tracker/entries/counts.py's day series; `meals_*` count meals with
    at least one food rich in that nutrient group.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    cramps = models.PositiveIntegerField(default=0)
    cramp_intensity = models.PositiveIntegerField(default=0)  # the sum, for means over any span
    cramp_rated = models.PositiveIntegerField(
        default=0
    )  # cramps whose intensity was recorded: the mean's divisor
    cramp_timed = models.PositiveIntegerField(default=0)  # cramps whose length was recorded
    cramp_top = models.PositiveSmallIntegerField(default=0)
    cramp_seconds = models.PositiveIntegerField(default=0)
    cramp_woke = models.PositiveIntegerField(default=0)
    checked_in = models.BooleanField(default=False)
    fluid_ml = models.PositiveIntegerField(null=True)  # None: no drinks logged that day
    exercise_minutes = models.PositiveIntegerField(default=0)
    exercise_vigorous = models.PositiveIntegerField(default=0)
    exercise_sweaty = models.PositiveIntegerField(default=0)
    meals = models.PositiveIntegerField(default=0)
    meals_magnesium = models.PositiveIntegerField(default=0)
    meals_potassium = models.PositiveIntegerField(default=0)
    meals_calcium = models.PositiveIntegerField(default=0)
    meals_vitamin_d = models.PositiveIntegerField(default=0)
    meals_b_vitamins = models.PositiveIntegerField(default=0)
    meals_iron = models.PositiveIntegerField(default=0)
    meals_vitamin_k2 = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="diaryday_one_per_day")]

    def __str__(self) -> str:
        return f"{self.day:%Y-%m-%d}"


class MedicationKind(models.TextChoices):
    MEDICINE = "medicine", gettext_lazy("Medicine")
    SUPPLEMENT = "supplement", gettext_lazy("Supplement")


class Medication(Entry):
    """A medicine or supplement in the person's cabinet, with the dose as written on the pack."""

    name = models.CharField(max_length=100)
    dose = models.CharField(gettext_lazy("dose as written on the pack"), max_length=100, blank=True)
    kind = models.CharField(max_length=10, choices=MedicationKind.choices, default=MedicationKind.MEDICINE)
    started = models.DateField(null=True, blank=True, validators=[MinValueValidator(EARLIEST_MEDICATION)])
    stopped = models.DateField(null=True, blank=True, validators=[MinValueValidator(EARLIEST_MEDICATION)])
    as_needed = models.BooleanField(gettext_lazy("taken as needed"), default=False)

    class Meta(Entry.Meta):
        ordering = ["name", "pk"]
        constraints = [
            *Entry.Meta.constraints,
            models.CheckConstraint(
                condition=Q(started__isnull=True)
                | Q(stopped__isnull=True)
                | Q(stopped__gte=models.F("started")),
                name="medication_stopped_after_started",
            ),
            models.CheckConstraint(condition=Q(kind__in=MedicationKind.values), name="medication_kind_valid"),
        ]

    def __str__(self) -> str:
        return self.name

    def is_current(self, today: date) -> bool:
        return self.stopped is None or self.stopped >= today


class PromptAcknowledgement(models.Model):
    """The person has read a see-a-clinician prompt; it returns when an entry newer than this raises it again."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    rule_id = models.CharField(max_length=40)
    acknowledged_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "rule_id"], name="one_ack_per_rule")]

    def __str__(self) -> str:
        return f"{self.rule_id} acknowledged {self.acknowledged_at:%Y-%m-%d}"


class RateLimitHit(models.Model):
    """One request counted against a limit (sign-ups or password resets per client, resets per address). The key
    is a hash: no address, email or IP is stored in the clear. Shared by every app server through the database."""

    scope = models.CharField(max_length=20)
    key = models.CharField(max_length=64)
    at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["scope", "key", "at"], name="ratelimit_scope_key_at")]

    def __str__(self) -> str:
        return f"{self.scope} at {self.at:%Y-%m-%d %H:%M}"


class ShareLinkQuerySet(models.QuerySet):
    def for_user(self, user) -> "ShareLinkQuerySet":
        return self.filter(user=user)

    def working(self, moment: datetime) -> "ShareLinkQuerySet":
        """Links that still open at `moment`: not expired, not revoked (as ShareLink.is_valid)."""
        return self.filter(revoked_at__isnull=True, expires_at__gt=moment)

    def stopped_before(self, moment: datetime) -> "ShareLinkQuerySet":
        """Links that stopped working (expired or revoked) before `moment`."""
        return self.filter(Q(expires_at__lt=moment) | Q(revoked_at__lt=moment))


class ShareLink(models.Model):
    """A read-only snapshot of one summary for a clinician. Only a hash of its token is stored."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    first = models.DateField()
    last = models.DateField()
    name = models.CharField(max_length=80, blank=True)
    birth_date = models.DateField(null=True, blank=True)
    note_ids = models.JSONField(default=list, blank=True)
    # The language the summary was made in, for the clinician (settings.LANGUAGES); the link shows it in that one.
    language = models.CharField(max_length=8, default="en")
    with_baseline = models.BooleanField(gettext_lazy("includes how the diary started"), default=False)
    # The summary as it was when the link was made: the page's report and the PDF, rendered then and kept, so the
    # link shows its period as it was and never reads the diary (tracker/summary/views.py says why).
    report_html = models.TextField(blank=True)
    pdf = models.BinaryField(blank=True, default=b"")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_opened_at = models.DateTimeField(null=True, blank=True)
    open_count = models.PositiveIntegerField(default=0)

    objects = ShareLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(last__gte=models.F("first")), name="sharelink_period_order")
        ]

    def __str__(self) -> str:
        return f"Summary {self.first:%Y-%m-%d} to {self.last:%Y-%m-%d}"

    def is_valid(self, now: datetime) -> bool:
        return self.revoked_at is None and now < self.expires_at


# Imports (tracker/data/import_jobs.py) -----------------------------------------------------------------------


class ImportJob(models.Model):
    """An import run by the background worker: the file as it was uploaded (emptied once the job ends), how far the
    check has got, and what came of it. A person has at most one job running at a time."""

    class State(models.TextChoices):
        WAITING = "waiting", gettext_lazy("Waiting to start")
        CHECKING = "checking", gettext_lazy("Checking the file")
        WRITING = "writing", gettext_lazy("Adding your entries")
        COUNTING = "counting", gettext_lazy("Counting your days")
        DONE = "done", gettext_lazy("Imported")
        REFUSED = "refused", gettext_lazy("Nothing was imported")
        FAILED = "failed", gettext_lazy("The import stopped")

    RUNNING = (State.WAITING, State.CHECKING, State.WRITING, State.COUNTING)
    # Entries of a job in these states are hidden (EntryManager): still being written, or left by a failed job
    # until they are removed.
    ROWS_HIDDEN = (State.WAITING, State.CHECKING, State.WRITING, State.REFUSED, State.FAILED)

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    state = models.CharField(max_length=10, choices=State.choices, default=State.WAITING)
    upload = models.BinaryField(blank=True, default=b"")
    size = models.PositiveBigIntegerField(default=0)
    entries = models.PositiveIntegerField(default=0)  # in the file, once it is checked
    read = models.PositiveBigIntegerField(default=0)  # bytes of the file the check has read
    checked = models.PositiveIntegerField(default=0)
    written = models.PositiveIntegerField(default=0)  # entries written, or found already in the diary
    problems = models.JSONField(default=list, blank=True)  # the first ones, as the page shows them
    problem_count = models.PositiveIntegerField(default=0)
    stopped = models.BooleanField(default=False)  # the check ended at its problem cap
    result = models.JSONField(default=dict, blank=True)  # {"added": {section: n}, "already": n}
    created_at = models.DateTimeField(auto_now_add=True)
    changed_at = models.DateTimeField(
        default=timezone.now
    )  # its last step or report: a stalled job is given up
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(state__in=["waiting", "checking", "writing", "counting"]),
                name="importjob_one_running_per_user",
            )
        ]

    def __str__(self) -> str:
        return f"Import {self.pk} ({self.state})"

    @property
    def running(self) -> bool:
        return self.state in self.RUNNING


# Reminders (tracker/reminders/) ------------------------------------------------------------------------------


class ReminderSettings(models.Model):
    """What a person asked to be reminded of, when, and how. Off until they choose; times are on their local clock."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_settings"
    )
    morning_on = models.BooleanField(gettext_lazy("remind me about last night"), default=False)
    morning_at = models.TimeField(pgettext_lazy("a reminder's time", "at"), default=time(8, 0))
    evening_on = models.BooleanField(gettext_lazy("remind me to drink"), default=False)
    evening_at = models.TimeField(pgettext_lazy("a reminder's time", "at"), default=time(18, 0))
    # Nothing is sent from `quiet_from` until `quiet_until` (across midnight when quiet_from is later); a reminder
    # that falls inside waits for the end of the quiet hours, the same day.
    quiet_from = models.TimeField(gettext_lazy("quiet from"), null=True, blank=True)
    quiet_until = models.TimeField(gettext_lazy("quiet until"), null=True, blank=True)
    by_push = models.BooleanField(gettext_lazy("on my phone or computer"), default=True)
    by_email = models.BooleanField(gettext_lazy("by email"), default=False)
    # A reminder switched on or moved after its time today starts tomorrow, not at once.
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "reminder settings"

    def __str__(self) -> str:
        return f"Reminders for user {self.user_id}"


class PushSubscriptionQuerySet(models.QuerySet):
    def for_user(self, user) -> "PushSubscriptionQuerySet":
        return self.filter(user=user)


class PushSubscription(models.Model):
    """One browser's Web Push subscription, as the browser gave it: the endpoint whole, and its keys."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    endpoint = models.URLField(max_length=1000, unique=True)
    p256dh = models.CharField(max_length=200)
    auth = models.CharField(max_length=100)
    device = models.CharField(max_length=80, blank=True)  # "Chrome on Android", from the browser's own words
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PushSubscriptionQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.device or gettext("A device")

    def as_webpush(self) -> dict:
        return {"endpoint": self.endpoint, "keys": {"p256dh": self.p256dh, "auth": self.auth}}


class ReminderKind(models.TextChoices):
    MORNING = "morning", gettext_lazy("How was last night?")
    EVENING = "evening", gettext_lazy("Fluids today")


class ReminderSent(models.Model):
    """The claim on one reminder: inserted before anything is sent, so a second worker (on any server) that tries
    the same person, kind and night or day fails on the unique constraint and sends nothing."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=ReminderKind.choices)
    for_date = models.DateField(help_text="The night (morning reminder, named by its evening) or the day.")
    sent_at = models.DateTimeField()
    pushed = models.PositiveSmallIntegerField(default=0)  # devices that took the push
    emailed = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "for_date"], name="reminder_once_per_night_or_day"
            ),
            models.CheckConstraint(condition=Q(kind__in=ReminderKind.values), name="reminder_kind_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} reminder for {self.for_date:%Y-%m-%d}"


class VapidKey(models.Model):
    """This installation's Web Push (VAPID) key pair, made once and shared by every server through the database,
    unless VAPID_PRIVATE_KEY is set in the environment. One row, pk 1."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    private_key = models.CharField(max_length=100)  # base64url of the raw 32-byte P-256 private value
    public_key = models.CharField(max_length=100)  # base64url of the uncompressed point, for the browsers
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(id=1), name="vapidkey_single_row")]

    def __str__(self) -> str:
        return "Web Push key"


# Personal experiments (tracker/experiments/) ------------------------------------------------------------------


class ExperimentQuerySet(models.QuerySet):
    def for_user(self, user) -> "ExperimentQuerySet":
        return self.filter(user=user)

    def not_stopped(self) -> "ExperimentQuerySet":
        return self.filter(stopped_on__isnull=True)


class Experiment(models.Model):
    """One person's n-of-1 experiment: a change alternated with the usual routine in pairs of blocks of nights.

    The order within each pair is drawn when it starts, from `seed`, and kept as drawn in `orders` ("CU" change
    first, "UC" usual first), so the plan can be read back and the draw checked (tracker/experiments/schedule.py).
    `pauses` lists [first night, last night or null while paused] in ISO dates."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    change_key = models.CharField(max_length=20)  # one of tracker/experiments/changes.py, or "clinician"
    change = models.CharField(gettext_lazy("the change"), max_length=120)
    block_days = models.PositiveSmallIntegerField(default=14)
    pairs = models.PositiveSmallIntegerField(default=2)
    seed = models.BigIntegerField()
    orders = models.JSONField()
    start = models.DateField(help_text="The first night, named by its evening.")
    pauses = models.JSONField(default=list, blank=True)
    stopped_on = models.DateField(
        null=True, blank=True, help_text="Stopped early: the first night not counted."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ExperimentQuerySet.as_manager()

    class Meta:
        ordering = ["-start", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(block_days__in=(7, 14, 21, 28)), name="experiment_block_days"),
            models.CheckConstraint(condition=Q(pairs__in=(2, 3)), name="experiment_pairs"),
        ]
        indexes = [models.Index(fields=["user", "-start"], name="experiment_user_start")]

    def __str__(self) -> str:
        return f"{self.change} from {self.start:%Y-%m-%d}"


class ExperimentNight(models.Model):
    """ "Did it today": the change was done for this night (named by its evening). One row per night at most."""

    experiment = models.ForeignKey(Experiment, on_delete=models.CASCADE, related_name="nights_done")
    night = models.DateField()
    at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["experiment", "night"], name="experiment_night_once"),
        ]

    def __str__(self) -> str:
        return f"done on {self.night:%Y-%m-%d}"
