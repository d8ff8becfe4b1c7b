"""Template helpers for catalogue and guide pages."""

import json

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from codes.rendering import render_markdown

register = template.Library()

_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.filter(name="markdown")
def markdown_filter(text, links=None):
    """Render editor Markdown as sanitised HTML: ``{{ code.description|markdown:links }}``.

    ``links`` (from the view) lists the codes whose mentions become links.
    """
    return render_markdown(text or "", links or frozenset())


@register.filter
def jsonld(data):
    """A JSON-LD block, escaped so no string in it can close the script element."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_JSON_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))


@register.filter
def badge(row):
    """The status badge of a code (unofficial + vendor, temporary, unused, obsolete)."""
    found = row.badge
    if not found:
        return ""
    return format_html('<span class="badge {}">{}</span>', *found)
