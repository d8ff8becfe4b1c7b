"""What people can star and suggest edits to: kinds that other apps register.

Accounts depend only on ``refsite.core``. Codes and guides reach stars and
suggestions through this small interface instead: each registers a ``Kind`` in
its ``AppConfig.ready()`` (``codes/starring.py``, ``guides/starring.py``), and a
star or a suggestion points at its target through a generic relation
(content type and primary key), so accounts never import their models.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.signals import post_delete


@dataclass(frozen=True)
class Kind:
    """Something people can star and suggest edits to, such as a code or a guide."""

    name: str  # in URLs: /accounts/star/<name>/<key>/
    model: type[models.Model]
    published: Callable[[], models.QuerySet]  # what the public may see, so star
    find: Callable[[str], models.Model | None]  # the published target a URL key names
    fields: dict[str, str]  # the parts a suggestion may change: field name -> label
    sheet_template: str  # its section of the cheat sheet; gets ``items`` and ``mine``
    sheet_order: Callable[[Any], Any] | None = None  # a sort key; star order if None


_kinds: dict[str, Kind] = {}


def register(kind: Kind) -> None:
    """Called from an ``AppConfig.ready()``; the cheat sheet shows kinds in this order."""
    _kinds[kind.name] = kind
    post_delete.connect(_forget, sender=kind.model, dispatch_uid=f"accounts-kind-{kind.name}")


def get(name: str) -> Kind | None:
    return _kinds.get(name)


def registered() -> list[Kind]:
    return list(_kinds.values())


def of_content_type(content_type_id: int) -> Kind | None:
    """The kind of a star's or suggestion's target (content types are cached)."""
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    return next((kind for kind in _kinds.values() if kind.model is model), None)


def _forget(sender, instance, **kwargs):
    """A deleted target takes its stars and suggestions with it, as a foreign key did."""
    content_type = ContentType.objects.get_for_model(sender)
    for name in ("Star", "Suggestion"):  # by name: the models module imports this one
        model = apps.get_model("accounts", name)
        model.objects.filter(content_type=content_type, object_id=instance.pk).delete()
