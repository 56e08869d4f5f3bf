from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0002_starter_foods")]
    operations = [migrations.AddField("food", "note", models.CharField(blank=True, max_length=200))]
