"""What signed-in people keep here: stars, a shareable cheat sheet, suggested edits."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from refsite.core.constraints import exactly_one_of

EDITORS_GROUP = "Editors"
MAX_PENDING_SUGGESTIONS = 3


class Star(models.Model):
    """A code or a guide a user keeps on their cheat sheet (exactly one of the two)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="stars"
    )
    status_code = models.ForeignKey(
        "codes.StatusCode", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    guide = models.ForeignKey(
        "guides.Guide", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            exactly_one_of("status_code", "guide", name="star_is_a_code_or_a_guide"),
            models.UniqueConstraint(
                fields=["user", "status_code"],
                name="one_star_per_code",
                condition=Q(status_code__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["user", "guide"],
                name="one_star_per_guide",
                condition=Q(guide__isnull=False),
            ),
        ]

    def __str__(self):
        return f"{self.user} ★ {self.status_code or self.guide}"


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


class SuggestionQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=Suggestion.Status.PENDING)


class Suggestion(models.Model):
    """A signed-in user's proposed change to one field of a code or a guide."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending review"
        ACCEPTED = "accepted", "Accepted"
        REJECTED = "rejected", "Rejected"

    CODE_FIELDS = {
        "summary": "Summary",
        "description": "What it means",
        "when_to_use": "When to use it",
        "when_not_to_use": "When not to",
        "causes": "Common causes",
        "fixes": "How to fix it",
    }
    GUIDE_FIELDS = {"summary": "Summary", "body": "Article text"}

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="suggestions"
    )
    status_code = models.ForeignKey(
        "codes.StatusCode", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    guide = models.ForeignKey(
        "guides.Guide", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    field = models.CharField(max_length=30)
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
        constraints = [
            exactly_one_of("status_code", "guide", name="suggestion_is_for_a_code_or_a_guide")
        ]

    def __str__(self):
        return f"Suggestion #{self.pk} for {self.target}: {self.field_label}"

    @property
    def target(self):
        return self.status_code if self.status_code_id else self.guide

    @property
    def field_label(self) -> str:
        fields = self.CODE_FIELDS if self.status_code_id else self.GUIDE_FIELDS
        return fields.get(self.field, self.field)

    @property
    def current_text(self) -> str:
        return getattr(self.target, self.field, "")
