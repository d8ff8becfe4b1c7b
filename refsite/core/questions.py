"""The shape every question-and-answer shares: FAQs on code pages and on guides.

An abstract model, so each app keeps its own table and foreign key (codes'
``FAQ`` to a status code, guides' ``GuideFAQ`` to a guide) while the fields,
ordering and the ``published()`` filter are written once.
"""

from django.db import models

from refsite.core.content_version import ContentQuerySet
from refsite.core.natural_keys import NaturalKeyModel, derive_slug
from refsite.core.revisions import Revisioned


class QuestionQuerySet(ContentQuerySet):
    def published(self):
        return self.filter(published=True)


class Question(NaturalKeyModel, Revisioned):
    question = models.CharField(max_length=250)
    slug = models.SlugField(
        max_length=80,
        blank=True,
        help_text=(
            "The permalink anchor (#faq-<slug>), unique on its page. Left empty, it is "
            "made from the question; once published, keep it: links point at it."
        ),
    )
    answer = models.TextField(help_text="Markdown.")
    order = models.PositiveSmallIntegerField(default=0)
    published = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = QuestionQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["order", "id"]

    def __str__(self):
        return self.question

    def save(self, *args, **kwargs):
        if not self.slug:  # the parent's foreign key is the first part of the natural key
            parent = self.natural_key_fields[0]
            parent_id = getattr(self, f"{parent}_id")
            siblings = type(self)._default_manager.filter(**{f"{parent}_id": parent_id})
            taken = set(siblings.exclude(pk=self.pk).values_list("slug", flat=True))
            self.slug = derive_slug(self.question, taken)
        super().save(*args, **kwargs)
