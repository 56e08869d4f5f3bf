from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True
    dependencies = []

    operations = [
        migrations.CreateModel(
            name="Food",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("slug", models.SlugField(max_length=60, unique=True)),
                ("name", models.CharField(max_length=80)),
                (
                    "nutrients",
                    models.JSONField(
                        default=list, help_text="Nutrient codes the documents credit this food with."
                    ),
                ),
                ("source", models.CharField(help_text="Source document file name(s).", max_length=200)),
            ],
            options={"ordering": ["name"]},
        ),
    ]
