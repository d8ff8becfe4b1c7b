"""Stars and suggestions point at their code or guide by content type and key.

Accounts stop holding foreign keys to codes and guides (refsite/accounts/kinds.py).
Every existing row keeps its target: ``status_code_id`` becomes
(codes.statuscode, id) and ``guide_id`` becomes (guides.guide, id). The old
check constraints go first and the new unique one last, so the migration also
runs backwards, each row getting its foreign key back.
"""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import F

# Old foreign key -> (app label, model) of the content type it becomes.
TARGETS = {"status_code": ("codes", "statuscode"), "guide": ("guides", "guide")}


def to_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for name in ("Star", "Suggestion"):
        model = apps.get_model("accounts", name)
        for field, (app_label, model_name) in TARGETS.items():
            rows = model.objects.filter(**{f"{field}__isnull": False})
            if rows.exists():
                content_type, _ = ContentType.objects.get_or_create(
                    app_label=app_label, model=model_name
                )
                rows.update(content_type=content_type, object_id=F(f"{field}_id"))


def to_foreign_keys(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for name in ("Star", "Suggestion"):
        model = apps.get_model("accounts", name)
        for field, (app_label, model_name) in TARGETS.items():
            content_type = ContentType.objects.filter(app_label=app_label, model=model_name).first()
            if content_type:
                model.objects.filter(content_type=content_type).update(
                    **{f"{field}_id": F("object_id")}
                )


def _target_fields(model_name):
    return [
        migrations.AddField(
            model_name=model_name,
            name="content_type",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="contenttypes.contenttype",
            ),
        ),
        migrations.AddField(
            model_name=model_name,
            name="object_id",
            field=models.PositiveBigIntegerField(null=True),
        ),
    ]


def _required(model_name):
    return [
        migrations.AlterField(
            model_name=model_name,
            name="content_type",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="contenttypes.contenttype",
            ),
        ),
        migrations.AlterField(
            model_name=model_name,
            name="object_id",
            field=models.PositiveBigIntegerField(),
        ),
    ]


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_editors_group"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="star", name="star_is_a_code_or_a_guide"),
        migrations.RemoveConstraint(model_name="star", name="one_star_per_code"),
        migrations.RemoveConstraint(model_name="star", name="one_star_per_guide"),
        migrations.RemoveConstraint(
            model_name="suggestion", name="suggestion_is_for_a_code_or_a_guide"
        ),
        *_target_fields("star"),
        *_target_fields("suggestion"),
        migrations.RunPython(to_content_types, to_foreign_keys),
        migrations.RemoveField(model_name="star", name="status_code"),
        migrations.RemoveField(model_name="star", name="guide"),
        migrations.RemoveField(model_name="suggestion", name="status_code"),
        migrations.RemoveField(model_name="suggestion", name="guide"),
        *_required("star"),
        *_required("suggestion"),
        migrations.AddConstraint(
            model_name="star",
            constraint=models.UniqueConstraint(
                fields=("user", "content_type", "object_id"), name="one_star_per_target"
            ),
        ),
    ]
