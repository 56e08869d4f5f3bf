"""A first handful of foods from the source documents; the knowledge module's own migration completes the list."""

from django.db import migrations

DOC_000 = "000_d2d4df8ecb76ca76.txt"

STARTER_FOODS = [
    ("spinach", "Spinach", ["magnesium", "potassium"], DOC_000),
    ("almonds", "Almonds", ["magnesium"], DOC_000),
    ("banana", "Banana", ["potassium"], DOC_000),
    ("avocado", "Avocado", ["potassium"], DOC_000),
    ("salmon", "Salmon", ["magnesium", "vitamin_d"], DOC_000),
    ("milk", "Milk", ["calcium", "vitamin_b12"], DOC_000),
    ("yogurt", "Yogurt", ["calcium", "vitamin_b12"], DOC_000),
    ("eggs", "Eggs", ["vitamin_d", "vitamin_b12"], DOC_000),
    ("sweet-potato", "Sweet potato", ["potassium"], DOC_000),
    ("coconut-water", "Coconut water", ["potassium"], DOC_000),
]


def add_foods(apps, schema_editor):
    Food = apps.get_model("knowledge", "Food")
    for slug, name, nutrients, source in STARTER_FOODS:
        Food.objects.update_or_create(
            slug=slug, defaults={"name": name, "nutrients": nutrients, "source": source}
        )


def remove_foods(apps, schema_editor):
    apps.get_model("knowledge", "Food").objects.filter(slug__in=[f[0] for f in STARTER_FOODS]).delete()


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0001_initial")]
    operations = [migrations.RunPython(add_foods, remove_foods)]
