"""The shape every question-and-answer shares: FAQs on code pages and on guides.

An abstract model, so each app keeps its own table and foreign key (codes'
``FAQ`` to a status code, guides' ``GuideFAQ`` to a guide) while the fields,
ordering and the ``published()`` filter are written once.
"""

from django.db import models

from refsite.core.content_version import ContentQuerySet
from refsite.core.revisions import Revisioned


class QuestionQuerySet(ContentQuerySet):
    def published(self):
        return self.filter(published=True)


class Question(Revisioned):
    question = models.CharField(max_length=250)
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
