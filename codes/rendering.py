"""Markdown to safe HTML for everything editors write.

Editors write Markdown; readers get HTML that has passed through nh3 (the Rust
ammonia sanitiser) with a short allow-list, so a stray ``<script>``, an
``onerror=`` attribute or a ``javascript:`` link never reaches a page. Rendering
is a pure function of the text, so results are memoised.
"""

from functools import lru_cache

import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "a",
    "abbr",
    "blockquote",
    "br",
    "code",
    "dd",
    "del",
    "div",
    "dl",
    "dt",
    "em",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "kbd",
    "li",
    "ol",
    "p",
    "pre",
    "span",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "code": {"class"},
    "div": {"class"},
    "span": {"class"},
    "pre": {"class"},
    "th": {"align"},
    "td": {"align"},
    "h2": {"id"},
    "h3": {"id"},
    "h4": {"id"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


def sanitise(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


@lru_cache(maxsize=4096)
def render_markdown(text: str) -> SafeString:
    """Render an editor's Markdown to sanitised HTML."""
    if not text:
        return mark_safe("")
    html = markdown.markdown(
        text,
        extensions=["extra", "sane_lists"],
        output_format="html",
    )
    return mark_safe(sanitise(html))
