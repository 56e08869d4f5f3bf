from django.contrib import admin

from tracker.entries.changes import diary_changed
from tracker.models import (
    CrampEpisode,
    Drink,
    Exercise,
    Experiment,
    ExperimentNight,
    Meal,
    Medication,
    NightCheckIn,
    Profile,
    ShareLink,
)


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "display_name", "time_zone", "volume_unit", "fluid_target_ml"]
    list_filter = ["volume_unit"]
    search_fields = ["user__username", "display_name"]


class OwnedAdmin(admin.ModelAdmin):
    """The admin's "delete selected" is a queryset delete: no per-row signals, so each owner is told once after."""

    def delete_queryset(self, request, queryset):
        owners = set(queryset.values_list("user_id", flat=True))
        super().delete_queryset(request, queryset)
        for user_id in owners:
            self.after_bulk_delete(user_id)

    def after_bulk_delete(self, user_id: int) -> None:
        diary_changed(user_id)


class EntryAdmin(OwnedAdmin):
    date_hierarchy = "at"
    list_select_related = ["user"]
    search_fields = ["user__username"]
    readonly_fields = ["uuid", "created_at", "updated_at"]
    raw_id_fields = ["user"]

    def after_bulk_delete(self, user_id: int) -> None:
        diary_changed(user_id, whole_diary=True)  # the day totals are recounted on the next read


@admin.register(CrampEpisode)
class CrampEpisodeAdmin(EntryAdmin):
    list_display = ["at", "user", "intensity", "duration_seconds", "muscle", "side", "woke_from_sleep"]
    list_filter = ["muscle", "side", "woke_from_sleep", "intensity"]
    search_fields = ["user__username", "triggers", "notes"]


@admin.register(NightCheckIn)
class NightCheckInAdmin(EntryAdmin):
    list_display = ["night", "user", "at"]


@admin.register(Drink)
class DrinkAdmin(EntryAdmin):
    list_display = ["at", "user", "kind", "amount_ml"]
    list_filter = ["kind"]


@admin.register(Exercise)
class ExerciseAdmin(EntryAdmin):
    list_display = ["at", "user", "activity", "minutes", "effort", "heavy_sweating"]
    list_filter = ["effort", "heavy_sweating"]
    search_fields = ["user__username", "activity"]


@admin.register(Meal)
class MealAdmin(EntryAdmin):
    list_display = ["at", "user", "kind", "description"]
    list_filter = ["kind"]
    search_fields = ["user__username", "description"]
    filter_horizontal = ["foods"]


@admin.register(Medication)
class MedicationAdmin(OwnedAdmin):
    list_display = ["name", "user", "kind", "dose", "started", "stopped", "as_needed"]
    list_filter = ["kind", "as_needed"]
    search_fields = ["name", "user__username"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]
    readonly_fields = ["uuid", "created_at", "updated_at"]


@admin.register(ShareLink)
class ShareLinkAdmin(admin.ModelAdmin):
    list_display = ["user", "first", "last", "expires_at", "revoked_at", "open_count", "last_opened_at"]
    list_select_related = ["user"]
    search_fields = ["user__username"]
    readonly_fields = ["token_hash", "created_at", "last_opened_at", "open_count"]
    raw_id_fields = ["user"]


class ExperimentNightInline(admin.TabularInline):
    model = ExperimentNight
    extra = 0
    fields = ["night", "at"]


class ShownAdmin(OwnedAdmin):
    """For what Today, Trends and the summary show but no signal follows (experiments): each save or delete, one by
    one or selected, tells the owner's pages to be built afresh."""

    def owner_of(self, obj) -> int:
        return obj.user_id

    def delete_model(self, request, obj):
        owner = self.owner_of(obj)
        super().delete_model(request, obj)
        diary_changed(owner)

    def save_related(self, request, form, formsets, change):  # after the object and its inlines are saved
        super().save_related(request, form, formsets, change)
        diary_changed(self.owner_of(form.instance))


@admin.register(Experiment)
class ExperimentAdmin(ShownAdmin):
    """The seed and the orders drawn from it are the record of the random draw: read-only, so the plan can always be
    checked against them (tracker/experiments/schedule.py)."""

    list_display = ["change", "user", "start", "block_days", "pairs", "stopped_on"]
    list_filter = ["change_key", "block_days", "pairs"]
    search_fields = ["user__username", "change"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]
    readonly_fields = ["seed", "orders", "created_at"]
    inlines = [ExperimentNightInline]


@admin.register(ExperimentNight)
class ExperimentNightAdmin(ShownAdmin):
    list_display = ["night", "experiment", "at"]
    list_select_related = ["experiment", "experiment__user"]
    search_fields = ["experiment__user__username"]
    raw_id_fields = ["experiment"]

    def owner_of(self, obj) -> int:
        return obj.experiment.user_id

    def delete_queryset(self, request, queryset):
        owners = set(queryset.values_list("experiment__user_id", flat=True))
        admin.ModelAdmin.delete_queryset(self, request, queryset)
        for user_id in owners:
            diary_changed(user_id)
