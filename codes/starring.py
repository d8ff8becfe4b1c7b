"""Codes as something people star and suggest edits to (``refsite.accounts.kinds``)."""

from codes.models import StatusCode
from refsite.accounts.kinds import Kind


def find(key: str) -> StatusCode | None:
    """``404`` names the first published meaning of the number, the one its page leads with."""
    return StatusCode.objects.published().for_number(int(key)).first() if key.isdigit() else None


KIND = Kind(
    name="code",
    model=StatusCode,
    published=StatusCode.objects.published,
    find=find,
    fields={
        "summary": "Summary",
        "description": "What it means",
        "when_to_use": "When to use it",
        "when_not_to_use": "When not to",
        "causes": "Common causes",
        "fixes": "How to fix it",
    },
    sheet_template="codes/_starred.html",
    sheet_order=lambda code: (code.code, code.slug),
)
