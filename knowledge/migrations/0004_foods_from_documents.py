"""Bring the Food rows in step with knowledge/foods.py: every food the documents name, with its nutrients."""

from django.db import migrations

from knowledge.foods import FOODS


def sync_foods(apps, schema_editor):
    Food = apps.get_model("knowledge", "Food")
    for fact in FOODS:
        Food.objects.update_or_create(
            slug=fact.slug,
            defaults={
                "name": fact.name,
                "nutrients": [str(n) for n in fact.nutrients],
                "source": ", ".join(fact.sources),
                "note": fact.note,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0003_food_note")]
    operations = [migrations.RunPython(sync_foods, migrations.RunPython.noop)]
