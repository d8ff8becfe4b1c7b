"""The content version: one database row that every process reads.

Pages, the page cache and the in-process catalogue snapshot are all keyed on
it. It lives in the database, not in a cache, so every worker of every
deployment, the embedded SQLite default included, sees an edit at its next
request. ``refsite.core.content_version`` reads and bumps it.
"""

from django.db import models


class ContentVersion(models.Model):
    """A token that changes whenever public content changes, and when it last did."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    token = models.CharField(max_length=32)
    changed_at = models.DateTimeField()

    class Meta:
        verbose_name = "content version"

    def __str__(self):
        return f"{self.token} ({self.changed_at:%Y-%m-%d %H:%M:%S})"
