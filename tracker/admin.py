from django.contrib import admin

from tracker.entries.changes import diary_changed
from tracker.models import CrampEpisode, Drink, Exercise, Meal, Medication, NightCheckIn, Profile, ShareLink


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
