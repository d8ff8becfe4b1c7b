"""Database constraints shared by several models."""

from django.db import models
from django.db.models import Q


def exactly_one_of(first: str, second: str, *, name: str) -> models.CheckConstraint:
    """Exactly one of two nullable foreign keys is set (a FAQ is for a code or a guide)."""
    return models.CheckConstraint(
        condition=Q(**{f"{first}__isnull": False, f"{second}__isnull": True})
        | Q(**{f"{first}__isnull": True, f"{second}__isnull": False}),
        name=name,
    )
