"""Keys derived from content, not from positions: what fixtures and the content sync match on.

Every content model names its ``natural_key_fields``; a foreign key in that list
stands for the target's own natural key, so a FAQ's key is ``(404, "", "soft-404")``:
the code's number and vendor slug, then the FAQ's slug. Inserting, removing or
reordering an entry in a content file changes no other row's key, where the
fixtures' old positional primary keys renumbered every later row.
Django's serializers use ``natural_key()`` and the manager's
``get_by_natural_key()`` (on ``ContentQuerySet``), so ``loaddata`` matches on them too.
"""

from django.db import models
from django.utils.text import slugify

SLUG_LENGTH = 60


def key_lookups(model) -> list[str]:
    """The flat ORM lookups of a model's natural key, e.g. ``status_code__code``."""
    lookups = []
    for name in model.natural_key_fields:
        field = model._meta.get_field(name)
        if field.is_relation:
            lookups.extend(f"{name}__{sub}" for sub in key_lookups(field.related_model))
        else:
            lookups.append(name)
    return lookups


def derive_slug(text: str, taken: set[str], length: int = SLUG_LENGTH) -> str:
    """A readable slug from a question or an answer, unique among ``taken`` (then added to it).

    Cut at a word boundary; never all digits, so it cannot be mistaken for an old id.
    """
    slug = slugify(text)[:length].strip("-")
    if len(slugify(text)) > length and "-" in slug:
        slug = slug.rsplit("-", 1)[0]
    if not slug or slug.isdigit():
        slug = f"q-{slug}".strip("-")
    candidate, n = slug, 2
    while candidate in taken:
        candidate = f"{slug}-{n}"
        n += 1
    taken.add(candidate)
    return candidate


class NaturalKeyModel(models.Model):
    """``natural_key()`` from ``natural_key_fields``; the manager side is ContentQuerySet's."""

    natural_key_fields: tuple[str, ...] = ()

    class Meta:
        abstract = True

    def natural_key(self) -> tuple:
        values = []
        for name in self.natural_key_fields:
            field = self._meta.get_field(name)
            if field.is_relation:
                values.extend(getattr(self, name).natural_key())
            else:
                values.append(getattr(self, name))
        return tuple(values)
