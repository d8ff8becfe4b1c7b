"""The side-by-side diff editors read: suggestion review and refused admin saves."""

import difflib


def side_by_side(before: str, after: str, before_label: str, after_label: str) -> str:
    """An HTML table comparing two texts line by line (difflib escapes the text)."""
    return difflib.HtmlDiff(wrapcolumn=70).make_table(
        before.splitlines(),
        after.splitlines(),
        before_label,
        after_label,
        context=False,
    )
