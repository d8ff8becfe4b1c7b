"""The side-by-side diff editors read: suggestion review and refused admin saves."""

import difflib

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


def side_by_side(before: str, after: str, before_label: str, after_label: str) -> SafeString:
    """An HTML table comparing two texts line by line (difflib escapes the text)."""
    table = difflib.HtmlDiff(wrapcolumn=70).make_table(
        before.splitlines(),
        after.splitlines(),
        escape(before_label),  # difflib escapes the texts, not the labels
        escape(after_label),
        context=False,
    )
    return mark_safe(table)
