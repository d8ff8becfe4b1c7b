"""What signed-in people keep here: stars, a shareable cheat sheet, suggested edits."""

import secrets

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse

from refsite.accounts import kinds

EDITORS_GROUP = "Editors"
MAX_PENDING_SUGGESTIONS = 3


class TargetQuerySet(models.QuerySet):
    def of(self, target):
        """Rows about one code or guide (a generic relation cannot be filtered on directly)."""
        content_type = ContentType.objects.get_for_model(target)
        return self.filter(content_type=content_type, object_id=target.pk)


class Star(models.Model):
    """A code or a guide (any registered kind) a user keeps on their cheat sheet."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="stars"
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TargetQuerySet.as_manager()

    class Meta:
        ordering = ["created_at"]
        constraints = [
            # Also the index of "is this starred?" on every page and of the cheat sheet.
            models.UniqueConstraint(
                fields=["user", "content_type", "object_id"], name="one_star_per_target"
            ),
        ]

    def __str__(self):
        return f"{self.user} ★ {self.target}"


class SharedSheet(models.Model):
    """A read-only link to a user's cheat sheet; deleting it turns the link off."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="shared_sheet"
    )
    token = models.CharField(max_length=43, unique=True, default=secrets.token_urlsafe)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"Shared cheat sheet of {self.user}"

    def get_absolute_url(self):
        return reverse("accounts:shared-sheet", kwargs={"token": self.token})


class SuggestionQuerySet(TargetQuerySet):
    def pending(self):
        return self.filter(status=Suggestion.Status.PENDING)


class Suggestion(models.Model):
    """A signed-in user's proposed change to one field of a code or a guide (any kind)."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending review"
        ACCEPTED = "accepted", "Accepted"
        REJECTED = "rejected", "Rejected"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="suggestions"
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    field = models.CharField(max_length=30)
    original_text = models.TextField(
        null=True,
        blank=True,
        help_text="The field's text when the suggestion was made (empty for older suggestions).",
    )
    new_text = models.TextField()
    reason = models.TextField(help_text="Why the change is needed.")
    status = models.CharField(max_length=10, choices=Status, default=Status.PENDING)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    review_note = models.TextField(blank=True, help_text="Why it was rejected (shown to the user).")
    created_at = models.DateTimeField(auto_now_add=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)

    objects = SuggestionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            # The review queue and each user's pending count.
            models.Index(fields=["status", "user"], name="suggestion_status_idx"),
        ]

    def __str__(self):
        return f"Suggestion #{self.pk} for {self.target}: {self.field_label}"

    @property
    def field_label(self) -> str:
        kind = kinds.of_content_type(self.content_type_id)
        return kind.fields.get(self.field, self.field) if kind else self.field

    @property
    def current_text(self) -> str:
        return getattr(self.target, self.field, "")

    @property
    def changed_since(self) -> bool:
        """Someone changed the field after the suggestion was made (so it was made to
        an older text); unknown for suggestions older than ``original_text``."""
        return self.original_text is not None and self.current_text != self.original_text
