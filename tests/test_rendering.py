"""Article rendering: anchors and contents, sanitising, and the status-code auto-links."""

import pytest

from refsite.core.markdown import CodeLink, render_article, render_markdown

LINKS = frozenset(
    CodeLink(code, phrase, f"/{code}/")
    for code, phrase in [
        (200, "OK"),
        (404, "Not Found"),
        (429, "Too Many Requests"),
        (500, "Internal Server Error"),
        (100, "Continue"),
        (301, "Moved Permanently"),
    ]
)


def _html(text):
    return str(render_markdown(text, LINKS))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Return 404 here.", '<a class="code-ref" href="/404/">404</a>'),
        (
            "Send 429 Too Many Requests.",
            '<a class="code-ref" href="/429/">429 Too Many Requests</a>',
        ),
        ("A 500, then a 404.", '<a class="code-ref" href="/500/">500</a>'),
        ("(404)", '(<a class="code-ref" href="/404/">404</a>)'),
        ("**404**", '<strong><a class="code-ref" href="/404/">404</a></strong>'),
    ],
)
def test_mentions_in_prose_become_links(text, expected):
    assert expected in _html(text)


@pytest.mark.parametrize(
    "text",
    [
        "Wait 200 ms and retry.",
        "Allow 100 requests per minute.",
        "It took 500 seconds.",
        "In 2024 we moved.",
        "An 8 min read.",
        "Version 1.404 shipped.",
        "Use `404` in code.",
        "```\nreturn 404\n```",
        "[see 404](https://example.com)",
        "Port :500 and path /404/ stay as they are.",
        "Costs $200.",
        "Code 299 is unused.",
        "50% of 429s",
    ],
)
def test_non_codes_and_protected_places_are_not_linked(text):
    html = _html(text)
    assert 'class="code-ref"' not in html, html


def test_headings_are_not_linked_and_get_stable_anchors():
    article = render_article(
        "## Why 404 happens\n\nText about 404.\n\n### Fixing it\n\nMore.", LINKS
    )
    html = str(article.html)
    assert '<h2 id="why-404-happens">' in html
    assert html.count('class="code-ref"') == 1
    assert article.toc == ((2, "why-404-happens", "Why 404 happens"), (3, "fixing-it", "Fixing it"))
    assert article.mentioned == {404}
    assert render_article("## Why 404 happens\n\nx", LINKS).toc == article.toc[:1]


def test_article_code_blocks_are_highlighted_and_tables_render():
    article = render_article("```python\nprint('hi')\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |")
    html = str(article.html)
    assert '<div class="highlight">' in html and '<span class="nb">print</span>' in html
    assert "<table>" in html


@pytest.mark.parametrize(
    ("source", "forbidden"),
    [
        ("<script>alert(1)</script>", "<script"),
        ("[x](javascript:alert(1))", "javascript:"),
        ("## <img src=x onerror=alert(1)>", "onerror"),
        ("```html\n<script>alert(1)</script>\n```", "<script>"),
        ('<a href="JaVaScRiPt:alert(1)">x</a>', 'alert(1)"'),
    ],
)
def test_articles_are_sanitised(source, forbidden):
    assert forbidden not in str(render_article(source).html)


def test_toc_titles_are_plain_text_not_markup():
    article = render_article("## Use <b>bold</b> & more")
    assert all("<" not in title for _, _, title in article.toc)
