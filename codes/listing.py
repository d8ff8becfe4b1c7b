"""The rows of a code listing (index, class pages, search results), built in Python.

A listing repeats one small row up to a hundred times a page. Through the
template engine each row cost a dozen variable lookups and filter calls, and the
index about 7 ms of CPU before any cache. Built from format strings, the way
Django's admin builds its change-list cells, a row costs a few microseconds.
Every value is escaped here; templates call ``{% code_list %}`` (catalogue tags).
"""

import re
from html import escape

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from codes.search import tokens

ROW = (
    '<li class="code-row cls-{cls}">'
    '<a class="code-link" href="{url}"><span class="code-num">{code}</span> '
    '<span class="code-phrase">{phrase}</span></a>{badge}'
    '<p class="code-summary">{summary}</p>{reason}</li>'
)
BADGE = '<span class="badge {}">{}</span>'
REASON = '<p class="match-reason">Matched {}: {}</p>'


def badge_html(row) -> SafeString:
    """The status badge of a meaning (unofficial + vendor, temporary, unused, obsolete)."""
    found = row.badge
    return mark_safe(BADGE.format(*map(escape, found)) if found else "")


def row_html(row, match=None) -> str:
    """One ``<li>`` of a listing; ``match`` adds why a search result matched."""
    return ROW.format(
        cls=row.class_digit or "x",
        url=escape(row.url),
        code=row.code,
        phrase=escape(row.phrase or "(no phrase)"),
        badge=badge_html(row),
        summary=escape(row.summary),
        reason=format_html(REASON, match.reason, highlight(match.text, match.words))
        if match
        else "",
    )


def highlight(text: str, words: set[str]) -> SafeString:
    """The matched words in <mark>, all escaped (also the ``highlight`` template filter)."""
    if not text:
        return mark_safe("")
    out = []
    position = 0
    for found in re.finditer(r"[A-Za-z0-9]+", text):
        out.append(escape(text[position : found.start()]))
        piece = found.group(0)
        normalised = tokens(piece)
        if normalised and any(t in words for t in normalised):
            out.append(f"<mark>{escape(piece)}</mark>")
        else:
            out.append(escape(piece))
        position = found.end()
    out.append(escape(text[position:]))
    return mark_safe("".join(out))


def code_list(rows=(), matches=()) -> SafeString:
    """A ``<ul class="code-list">`` of meanings, or of search matches with their reasons."""
    if matches:
        items = [row_html(match.row, match) for match in matches]
    else:
        items = [row_html(row) for row in rows]
    return mark_safe('<ul class="code-list">\n' + "\n".join(items) + "\n</ul>")
