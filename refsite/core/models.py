"""What every process must agree on: the content version and the rate-limit counters.

Pages, the page cache and the in-process catalogue snapshot are all keyed on
the content version; sign-in, sign-up and ``/status/`` are limited by the
counters. Both live in the database, not in a cache, so every worker of every
deployment, the embedded SQLite default included, sees an edit at its next
request and counts against the same limits, and nothing is evicted to make
room for pages. ``refsite.core.content_version`` reads and bumps the version;
``refsite.core.throttle`` counts.
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


class Counter(models.Model):
    """One rate-limit window's count for one caller: ``refsite.core.throttle`` owns these rows.

    In the database, not a cache, so every process of every deployment counts
    against the same number and no cache eviction can reset a limit.
    """

    key = models.CharField(max_length=120, primary_key=True)  # scope, hashed caller, window
    count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField()

    class Meta:
        verbose_name = "rate-limit counter"
        indexes = [
            # throttle's pruning: DELETE ... WHERE expires_at < now
            models.Index(fields=["expires_at"], name="core_counter_expires_idx"),
        ]

    def __str__(self):
        return f"{self.key} = {self.count}"


class SyncedRow(models.Model):
    """What the last content sync shipped for one row: a hash per field.

    ``refsite.core.content_sync`` compares it with the shipped files and the row
    itself to tell an upstream change (apply it) from an editor's change (keep it)
    and from both at once (a conflict). Keyed on the row's natural key, so it
    survives a row's primary key differing between databases.
    """

    model = models.CharField(max_length=60)  # "codes.faq"
    key = models.CharField(max_length=400)  # the natural key as JSON, e.g. [404, "", "soft-404"]
    hashes = models.JSONField(default=dict)  # field name -> hash of the value last shipped

    class Meta:
        verbose_name = "synced content row"
        constraints = [
            models.UniqueConstraint(fields=["model", "key"], name="unique_synced_row"),
        ]

    def __str__(self):
        return f"{self.model} {self.key}"


class ContentConflict(models.Model):
    """A field that both the shipped files and an editor changed since the last sync.

    The sync keeps the editor's text and records the shipped one here; an editor
    resolves it in the admin ("take shipped" or "keep mine").
    """

    model = models.CharField(max_length=60)
    key = models.CharField(max_length=400)
    field = models.CharField(max_length=60)
    shipped = models.JSONField(help_text="The value in the shipped files.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "content conflict"
        ordering = ["model", "key", "field"]
        constraints = [
            models.UniqueConstraint(fields=["model", "key", "field"], name="unique_conflict"),
        ]

    def __str__(self):
        return f"{self.model} {self.key}: {self.field}"
