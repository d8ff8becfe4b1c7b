"""One account per e-mail address, whatever its case, enforced by the database.

django.contrib.auth's User has no such rule, so this adds a unique index on
``lower(email)`` to its table, leaving out accounts without an address (a
superuser made by ``createsuperuser`` may have none). Both SQLite and PostgreSQL
build it. The sign-up form's own check could be raced: five sign-ups at once
made five accounts with one address.

An existing database may already hold such duplicates. The migration does not
fail on them: in each group the oldest account (the lowest id) keeps the
address and the others lose it (their e-mail becomes empty, so they can no
longer ask for a password reset by e-mail). Every account changed is printed,
with its old address, for the operator to follow up. Reversing drops the index;
the cleared addresses are not restored.
"""

from django.conf import settings
from django.db import migrations
from django.db.models import Count, Q, UniqueConstraint
from django.db.models.functions import Lower

EMAIL_INDEX = UniqueConstraint(
    Lower("email"), condition=~Q(email=""), name="accounts_user_email_ci_unique"
)


def _user_model(apps):
    return apps.get_model(settings.AUTH_USER_MODEL)


def clear_duplicate_addresses(apps, schema_editor):
    User = _user_model(apps)
    with_address = User.objects.exclude(email="").annotate(address=Lower("email"))
    shared = (
        with_address.values("address").annotate(accounts=Count("pk")).filter(accounts__gt=1)
    )
    for group in shared:
        _, *later = with_address.filter(address=group["address"]).order_by("pk")
        for user in later:
            print(  # the operator's record of what changed
                f"\n  accounts: cleared the e-mail {user.email!r} of user #{user.pk} "
                f"{user.username!r}: an older account uses it"
            )
        User.objects.filter(pk__in=[user.pk for user in later]).update(email="")


def add_index(apps, schema_editor):
    schema_editor.add_constraint(_user_model(apps), EMAIL_INDEX)


def drop_index(apps, schema_editor):
    schema_editor.remove_constraint(_user_model(apps), EMAIL_INDEX)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_targets_by_content_type"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(clear_duplicate_addresses, migrations.RunPython.noop),
        migrations.RunPython(add_index, drop_index),
    ]
