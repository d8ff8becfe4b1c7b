"""Template helpers for catalogue and guide pages."""

import json

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from codes import listing
from codes.listing import highlight
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
register.filter("highlight", highlight)  # ``{{ m.text|highlight:m.words }}``


@register.simple_tag
def code_list(rows=(), matches=()):
    """A listing: ``{% code_list section.codes %}`` or ``{% code_list matches=matches %}``."""
    return listing.code_list(rows, matches)
