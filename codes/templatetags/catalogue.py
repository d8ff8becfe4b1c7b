"""Template helpers for catalogue and guide pages."""

import json
import re

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from codes.search import tokens
from refsite.core.markdown import render_markdown

register = template.Library()

_WORD = re.compile(r"[A-Za-z0-9]+")


@register.filter(name="markdown")
def markdown_filter(text, links=None):
    """Render editor Markdown as sanitised HTML: ``{{ code.description|markdown:links }}``.

    ``links`` (from the view) lists the codes whose mentions become links.
    """
    return render_markdown(text or "", links or frozenset())


@register.filter
def jsonld(data):
    """A JSON-LD block, escaped so no string in it can close the script element."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    # Three replaces rather than str.translate, which walks a long text ten times slower.
    text = text.replace("<", "\\u003C").replace(">", "\\u003E").replace("&", "\\u0026")
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))


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
