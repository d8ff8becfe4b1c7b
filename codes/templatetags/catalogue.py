"""Template helpers for catalogue pages: why a search result matched."""

import re

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from codes.search import tokens

register = template.Library()

_WORD = re.compile(r"[A-Za-z0-9]+")


@register.filter
def highlight(text, words) -> SafeString:
    """Why a search result matched: ``{{ match.text|highlight:match.words }}``.

    Everything is escaped; the words whose search tokens are in ``words`` (the
    matched query words, normalised as the search normalises them) are wrapped
    in ``<mark>``.
    """
    if not text:
        return mark_safe("")
    words = words or ()
    out = []
    position = 0
    for found in _WORD.finditer(text):
        out.append(escape(text[position : found.start()]))
        piece = found.group(0)
        if any(t in words for t in tokens(piece)):
            out.append(f"<mark>{escape(piece)}</mark>")
        else:
            out.append(escape(piece))
        position = found.end()
    out.append(escape(text[position:]))
    return mark_safe("".join(out))
