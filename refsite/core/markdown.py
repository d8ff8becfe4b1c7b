"""Markdown to safe HTML for everything editors write.

Editors write Markdown; readers get HTML that has passed through nh3 (the Rust
ammonia sanitiser) with a short allow-list, so a stray ``<script>``, an
``onerror=`` attribute or a ``javascript:`` link never reaches a page. Articles
also get heading anchors, a table of contents and code blocks highlighted on
the server by Pygments. Every mention of a status code in prose becomes a link
to its page, except inside code, headings and existing links, and except where
the number is a quantity ("200 ms", "100 requests"). Rendering is a pure
function of its inputs, so results are memoised.
"""

import html as html_lib
import re
from dataclasses import dataclass
from functools import lru_cache

import markdown
import nh3
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from markdown.extensions.codehilite import CodeHiliteExtension
from markdown.extensions.toc import TocExtension

ALLOWED_TAGS = {
    "a", "abbr", "blockquote", "br", "code", "dd", "del", "div", "dl", "dt", "em",
    "h2", "h3", "h4", "h5", "h6", "hr", "kbd", "li", "ol", "p", "pre", "span",
    "strong", "sub", "sup", "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "class"},
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

# Where a number is never turned into a link.
SKIP_TAGS = {"a", "code", "pre", "h1", "h2", "h3", "h4", "h5", "h6"}
# Words after a number that make it a quantity, not a status code.
QUANTITY_WORDS = (
    "ms|msec|milliseconds?|s|secs?|seconds?|mins?|minutes?|hours?|hrs?|days?|weeks?|months?|"
    "years?|kb|kib|mb|mib|gb|bytes?|bits?|requests?|reqs?|users?|items?|lines?|px|em|rem|"
    "times|characters?|chars?|rows?|words?|per|percent|entries|results|records|files|"
    "connections?|clients?|servers?|instances?|workers?|threads?|retries|attempts|steps"
)
_MENTION = re.compile(
    r"(?<![\w.,/:#$€£@&=-])([1-9][0-9]{2})(?![\w/%]|[.,][0-9])"
    rf"(?!\s*(?:{QUANTITY_WORDS})\b)",
    re.IGNORECASE,
)
_TAG = re.compile(r"(<[^>]+>)")
_TAG_NAME = re.compile(r"^<\s*(/?)\s*([a-zA-Z0-9]+)")


@dataclass(frozen=True)
class CodeLink:
    code: int
    phrase: str
    url: str


@dataclass(frozen=True)
class Article:
    html: SafeString
    toc: tuple  # ((level, anchor, title), ...)
    mentioned: frozenset  # code numbers linked from the prose


def sanitise(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def link_codes(html: str, links: frozenset) -> tuple[str, set[int]]:
    """Turn status codes mentioned in prose into links to their pages."""
    by_code = {link.code: link for link in links}
    if not by_code:
        return html, set()
    mentioned: set[int] = set()
    depth = 0
    out = []
    for piece in _TAG.split(html):
        if piece.startswith("<"):
            name = _TAG_NAME.match(piece)
            if name and name.group(2).lower() in SKIP_TAGS and not piece.endswith("/>"):
                depth += -1 if name.group(1) else 1
            out.append(piece)
        elif depth > 0 or not piece:
            out.append(piece)
        else:
            out.append(_link_text(piece, by_code, mentioned))
    return "".join(out), mentioned


def _link_text(text: str, by_code: dict, mentioned: set[int]) -> str:
    out = []
    position = 0
    for found in _MENTION.finditer(text):
        link = by_code.get(int(found.group(1)))
        if link is None:
            continue
        end = found.end()
        phrase = escape(link.phrase)
        following = text[end : end + len(phrase) + 1]
        if phrase and following[1:].lower() == phrase.lower() and following[:1] == " ":
            end += len(phrase) + 1  # "429 Too Many Requests" links as a whole
        out.append(text[position : found.start()])
        out.append(f'<a class="code-ref" href="{link.url}">{text[found.start() : end]}</a>')
        mentioned.add(link.code)
        position = end
    out.append(text[position:])
    return "".join(out)


@lru_cache(maxsize=4096)
def render_markdown(text: str, links: frozenset = frozenset()) -> SafeString:
    """Render a field of editor Markdown to sanitised HTML with code mentions linked."""
    if not text:
        return mark_safe("")
    html = markdown.markdown(text, extensions=["extra", "sane_lists"], output_format="html")
    html, _ = link_codes(sanitise(html), links)
    return mark_safe(html)


@lru_cache(maxsize=512)
def render_article(text: str, links: frozenset = frozenset()) -> Article:
    """Render a guide: anchored headings, contents, highlighted code, linked codes."""
    converter = markdown.Markdown(
        extensions=[
            "extra",
            "sane_lists",
            TocExtension(
                toc_depth="2-3",
                permalink="#",
                permalink_class="anchor",
                permalink_title="Link to this section",
            ),
            CodeHiliteExtension(css_class="highlight", guess_lang=False),
        ],
        output_format="html",
    )
    html = sanitise(converter.convert(text or ""))
    html, mentioned = link_codes(html, links)
    toc = tuple(_flatten_toc(converter.toc_tokens))
    return Article(mark_safe(html), toc, frozenset(mentioned))


def _flatten_toc(tokens, out=None):
    out = [] if out is None else out
    for token in tokens:
        out.append((token["level"], token["id"], html_lib.unescape(token["name"])))
        _flatten_toc(token.get("children", []), out)
    return out
