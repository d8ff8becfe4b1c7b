"""Guides as something people star and suggest edits to (``refsite.accounts.kinds``)."""

from guides.models import Guide
from refsite.accounts.kinds import Kind


def find(key: str) -> Guide | None:
    return Guide.objects.published().filter(slug=key).first()


KIND = Kind(
    name="guide",
    model=Guide,
    published=Guide.objects.published,
    find=find,
    fields={"summary": "Summary", "body": "Article text"},
    sheet_template="guides/_starred.html",
)
