"""Create the Editors group: add and change content, never delete codes, no user admin."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR_PERMISSIONS = {
    "codes": {
        "statuscode": ["add", "change", "view"],
        "faq": ["add", "change", "delete", "view"],
        "responseheader": ["add", "change", "delete", "view"],
        "constant": ["add", "change", "delete", "view"],
        "decisionquestion": ["add", "change", "view"],
        "decisionanswer": ["add", "change", "delete", "view"],
        "decisionalternative": ["add", "change", "delete", "view"],
        "comparison": ["add", "change", "view"],
    },
    "guides": {
        "guide": ["add", "change", "view"],
        "tag": ["add", "change", "view"],
    },
    "accounts": {
        "suggestion": ["change", "view"],
    },
}


def create_editors(apps, schema_editor):
    # Permissions are normally created after migrations; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Editors")
    wanted = []
    for app_label, models in EDITOR_PERMISSIONS.items():
        for model, actions in models.items():
            for action in actions:
                wanted.append(
                    Permission.objects.get(
                        content_type__app_label=app_label, codename=f"{action}_{model}"
                    )
                )
    group.permissions.set(wanted)


def remove_editors(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Editors").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("codes", "0005_history"),
        ("guides", "0002_history"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_editors, remove_editors)]
