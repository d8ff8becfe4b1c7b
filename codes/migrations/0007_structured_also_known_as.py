"""also_known_as becomes a list of {phrase, until, reference}; summary may be empty.

A former phrase now carries when it was dropped and by which document, so the
registry import can keep it ("Called "Payload Too Large" until 2022 (RFC 9110)").
Existing comma-separated names become entries with a phrase only, in the live
table and in its history. A code importregistry adds has no summary until an
editor writes one.
"""

import codes.models
from django.db import migrations, models


def entries(text: str) -> list[dict]:
    """'Payload Too Large, Request Entity Too Large' -> [{"phrase": ...}, ...]."""
    return [{"phrase": name.strip()} for name in (text or "").split(",") if name.strip()]


def to_entries(apps, schema_editor):
    for model in ("StatusCode", "HistoricalStatusCode"):
        manager = apps.get_model("codes", model)._base_manager
        for pk, text in manager.exclude(also_known_as="").values_list("pk", "also_known_as"):
            manager.filter(pk=pk).update(aliases=entries(text))


def to_text(apps, schema_editor):
    for model in ("StatusCode", "HistoricalStatusCode"):
        manager = apps.get_model("codes", model)._base_manager
        for pk, names in manager.values_list("pk", "aliases"):
            text = ", ".join(entry["phrase"] for entry in names or [])
            manager.filter(pk=pk).update(also_known_as=text[:200])


def aliases_field():
    return models.JSONField(
        blank=True,
        default=list,
        help_text=(
            'Other names, a JSON list. A nickname: {"phrase": "I\'m a teapot"}. A former '
            'registry phrase says until when and which document dropped it: {"phrase": '
            '"Payload Too Large", "until": "2022", "reference": "RFC 9110"}.'
        ),
        validators=[codes.models.validate_aliases],
    )


def summary_field():
    return models.CharField(
        blank=True,
        max_length=200,
        help_text=(
            "One plain sentence. Also the page's meta description. Empty only for a code "
            "nobody has explained yet: pages then say so."
        ),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("codes", "0006_faq_on_codes_only"),
    ]

    operations = [
        migrations.AddField(
            model_name="statuscode",
            name="aliases",
            field=aliases_field(),
        ),
        migrations.AddField(
            model_name="historicalstatuscode",
            name="aliases",
            field=aliases_field(),
        ),
        migrations.RunPython(to_entries, to_text),
        migrations.RemoveField(model_name="statuscode", name="also_known_as"),
        migrations.RemoveField(model_name="historicalstatuscode", name="also_known_as"),
        migrations.RenameField(
            model_name="statuscode", old_name="aliases", new_name="also_known_as"
        ),
        migrations.RenameField(
            model_name="historicalstatuscode", old_name="aliases", new_name="also_known_as"
        ),
        migrations.AlterField(model_name="statuscode", name="summary", field=summary_field()),
        migrations.AlterField(
            model_name="historicalstatuscode", name="summary", field=summary_field()
        ),
    ]
