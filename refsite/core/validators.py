"""The one control-character rule, for every box and parameter that takes text."""

from django.core.exceptions import ValidationError

# The same rule as a regular expression, for schemas (pydantic, OpenAPI).
NO_CONTROL_CHARACTERS = r"^[^\x00-\x1f\x7f]*$"


def has_control_characters(text: str) -> bool:
    """True for a pasted NUL, a stray escape, a newline: anything below U+0020 or DEL."""
    return any(ord(ch) < 32 or ord(ch) == 127 for ch in text)


def no_control_characters(value: str) -> None:
    """A form and model validator: text, not control characters."""
    if has_control_characters(value):
        raise ValidationError("The text contains control characters.", code="control_characters")
