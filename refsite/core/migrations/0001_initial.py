import uuid

from django.db import migrations, models
from django.utils import timezone


def create_version(apps, schema_editor):
    ContentVersion = apps.get_model("core", "ContentVersion")
    ContentVersion.objects.get_or_create(
        id=1, defaults={"token": uuid.uuid4().hex, "changed_at": timezone.now()}
    )


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="ContentVersion",
            fields=[
                ("id", models.PositiveSmallIntegerField(default=1, primary_key=True, serialize=False)),
                ("token", models.CharField(max_length=32)),
                ("changed_at", models.DateTimeField()),
            ],
            options={"verbose_name": "content version"},
        ),
        migrations.RunPython(create_version, migrations.RunPython.noop),
    ]
