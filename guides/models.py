"""Guide articles: the narrative around the codes (401 or 403, how 304 works, ...)."""

import math
import re

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from simple_history.models import HistoricalRecords

from refsite.core.content_version import ContentQuerySet
from refsite.core.natural_keys import NaturalKeyModel
from refsite.core.questions import Question
from refsite.core.revisions import Revisioned

WORDS_PER_MINUTE = 220


class Tag(NaturalKeyModel):
    natural_key_fields = ("slug",)
    name = models.CharField(max_length=50, unique=True)
    slug = models.SlugField(max_length=50, unique=True)

    objects = ContentQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("guides:tag", kwargs={"slug": self.slug})

    @cached_property
    def url(self) -> str:
        """get_absolute_url, worked out once per instance (lists show many)."""
        return self.get_absolute_url()


class GuideQuerySet(ContentQuerySet):
    def published(self, now=None):
        """Published and not scheduled for later: what the public may see, the one rule."""
        now = now or timezone.now()
        return self.filter(status=Guide.Status.PUBLISHED, published_at__lte=now)

    def scheduled(self, now=None):
        """Published but dated later: each goes live on its own at its date."""
        now = now or timezone.now()
        return self.filter(status=Guide.Status.PUBLISHED, published_at__gt=now)


class Guide(NaturalKeyModel, Revisioned):
    natural_key_fields = ("slug",)

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    title = models.CharField(max_length=150)
    slug = models.SlugField(max_length=150, unique=True)
    summary = models.CharField(max_length=300, help_text="One or two plain sentences.")
    body = models.TextField(help_text="Markdown. Use ## and ### headings; they make the contents.")
    status = models.CharField(max_length=10, choices=Status, default=Status.DRAFT)
    published_at = models.DateTimeField(
        default=timezone.now,
        help_text="Publish date. A published guide dated in the future stays hidden until then.",
    )
    updated_at = models.DateTimeField(auto_now=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="guides",
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="guides")
    related_codes = models.ManyToManyField("codes.StatusCode", blank=True, related_name="guides")

    objects = GuideQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at", "revision"])

    class Meta:
        ordering = ["-published_at", "title"]
        indexes = [
            # The public list: published guides, newest first.
            models.Index(fields=["status", "-published_at"], name="guide_public_idx"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("guides:detail", kwargs={"slug": self.slug})

    @cached_property
    def url(self) -> str:
        """get_absolute_url, worked out once per instance (lists show many)."""
        return self.get_absolute_url()

    @cached_property
    def word_count(self) -> int:
        return len(re.findall(r"\w+", self.body))

    @property
    def reading_minutes(self) -> int:
        return max(1, math.ceil(self.word_count / WORDS_PER_MINUTE))

    @property
    def reading_time(self) -> str:
        return f"{self.reading_minutes} min read"

    @cached_property
    def tag_list(self) -> list:
        """The tags as a list, fetched once per instance: every guide listing shows them."""
        return list(self.tags.all())

    @property
    def author_name(self) -> str:
        if self.author_id:
            return self.author.get_full_name() or self.author.get_username()
        return "The editors"


class GuideFAQ(Question):
    """A question and answer at the end of a guide."""

    guide = models.ForeignKey(Guide, on_delete=models.CASCADE, related_name="faqs")

    natural_key_fields = ("guide", "slug")
    history = HistoricalRecords(excluded_fields=["updated_at", "revision"])

    class Meta(Question.Meta):
        verbose_name = "guide FAQ"
        verbose_name_plural = "guide FAQs"
        constraints = [
            models.UniqueConstraint(fields=["guide", "slug"], name="unique_faq_slug_per_guide")
        ]

    def get_absolute_url(self):
        return f"{self.guide.get_absolute_url()}#faq-{self.slug}"


def visible_guides(user):
    """Published guides, plus drafts and scheduled ones for people who edit guides."""
    if user.is_authenticated and user.has_perm("guides.change_guide"):
        return Guide.objects.all()
    return Guide.objects.published()
