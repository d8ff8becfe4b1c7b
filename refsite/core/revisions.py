"""Optimistic locking: two editors never silently overwrite each other.

Every editable content row carries a ``revision``. A save of an existing row
first claims it with ``UPDATE ... SET revision = revision + 1 WHERE pk = ? AND
revision = ?`` (the revision the editor's form was opened at); when another
save got there first nothing matches and ``StaleRevision`` is raised, so the
write is refused instead of overwriting. On PostgreSQL the claim also holds
the row lock until the transaction ends; SQLite runs writers one at a time.

The admin checks the same thing earlier, in the form (``refsite.core.admin``),
to show the editor who changed what and keep their input.
"""

from django.db import models, transaction
from django.db.models import F


class StaleRevision(Exception):
    """The row changed since the revision being saved was read."""

    def __init__(self, instance):
        super().__init__(
            f"{instance._meta.verbose_name} {instance.pk} changed since revision "
            f"{instance.revision} was read; nothing was saved."
        )
        self.instance = instance


class Revisioned(models.Model):
    revision = models.PositiveIntegerField(
        default=1,
        help_text="Goes up by one on every save; a form opened at an older one cannot save.",
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self._state.adding or self.pk is None:
            return super().save(*args, **kwargs)
        using = kwargs.get("using") or self._state.db
        with transaction.atomic(using=using):  # a refusal leaves an outer transaction usable
            # The base manager is a plain QuerySet: the save below bumps the
            # content version once, this claim does not bump it again.
            claimed = (
                type(self)
                ._base_manager.using(using)
                .filter(pk=self.pk, revision=self.revision)
                .update(revision=F("revision") + 1)
            )
            if not claimed:
                raise StaleRevision(self)
            self.revision += 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "revision"}
            return super().save(*args, **kwargs)
