"""Template helpers for catalogue and guide pages."""

import json
import re

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from codes import listing
from codes.search import tokens
from refsite.core.markdown import render_markdown

register = template.Library()


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


register.filter("badge", listing.badge_html)


@register.simple_tag
def code_list(rows=(), matches=()):
    """A listing: ``{% code_list section.codes %}`` or ``{% code_list matches=matches %}``."""
    return listing.code_list(rows, matches)


@register.filter
def highlight(text: str, words: set[str]) -> SafeString:
    """The matched words in <mark>, all escaped: ``{{ m.text|highlight:m.words }}``."""
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
