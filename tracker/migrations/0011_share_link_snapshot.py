from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0010_experiments"),
    ]

    operations = [
        migrations.AddField(
            model_name="sharelink",
            name="with_baseline",
            field=models.BooleanField(default=False, verbose_name="includes how the diary started"),
        ),
        migrations.AddField(
            model_name="sharelink",
            name="report_html",
            field=models.TextField(blank=True),
        ),
        migrations.AddField(
            model_name="sharelink",
            name="pdf",
            field=models.BinaryField(blank=True, default=b""),
        ),
    ]
