from django.contrib import admin

from knowledge.models import Food


@admin.register(Food)
class FoodAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "nutrients", "source"]
    search_fields = ["name", "slug"]
