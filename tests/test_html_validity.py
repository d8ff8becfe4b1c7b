"""Valid HTML: the main pages, and the partials htmx swaps in, parse without a single
error in html5lib's strict HTML5 parser, with unique ids, one h1 and no inline script or
style (a strict Content-Security-Policy forbids them)."""

import html5lib
import pytest
from django.urls import reverse

PAGES = [
    "/",
    "/?q=rate+limit",
    "/?q=zzqqxx",
    "/?cls=5&unofficial=only",
    "/404/",
    "/499/",
    "/429/",
    "/418/",
    "/4xx/",
    "/299/",
    "/no-such-page/",
    "/guides/",
    "/guides/401-vs-403/",
    "/guides/tags/basics/",
    "/choose/",
    "/compare/401-vs-403/",
    "/compare/400-vs-409-vs-422/",
    "/api/",
    *(
        reverse(name)
        for name in (
            "accounts:login",
            "accounts:signup",
            "accounts:signup-sent",
            "accounts:password_reset",
        )
    ),
    "/accounts/signup/not-a-real-link/",
]
# The pages in PAGES that are meant to answer 404; any other page that does has moved.
NOT_FOUND = {"/299/", "/no-such-page/", "/accounts/signup/not-a-real-link/"}

PARTIALS = ["/?q=rate+limit", "/?q=zzqqxx", "/guides/?q=cache"]

NS = "{http://www.w3.org/1999/xhtml}"


def parse(content: bytes, fragment: bool = False):
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=True)
    try:
        return parser.parseFragment(content) if fragment else parser.parse(content)
    except html5lib.html5parser.ParseError as error:
        line, col = parser.errors[0][0] if parser.errors else ("?", "?")
        text = content.decode(errors="replace").splitlines()
        context = text[line - 1][max(0, col - 80) : col + 40] if isinstance(line, int) else ""
        pytest.fail(f"{error} at line {line}, column {col}: …{context}…", pytrace=False)


def check_references(tree, path):
    ids = [el.get("id") for el in tree.iter() if el.get("id")]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    assert duplicates == [], f"{path}: duplicate ids"
    known = set(ids)
    for el in tree.iter():
        for attr in ("aria-labelledby", "aria-describedby", "aria-controls"):
            for ref in (el.get(attr) or "").split():
                assert ref in known, f"{path}: {attr}={ref!r} points nowhere"
        if el.tag == f"{NS}label" and el.get("for"):
            assert el.get("for") in known, f"{path}: <label for={el.get('for')!r}> has no control"


def check_no_inline_code(tree, path):
    for el in tree.iter():
        if el.tag == f"{NS}script":
            inline = not el.get("src")
            assert not inline or el.get("type") == "application/ld+json", f"{path}: inline script"
        assert el.tag != f"{NS}style", f"{path}: <style> element"
        assert el.get("style") is None, f"{path}: style attribute on <{el.tag[len(NS) :]}>"
        assert not any(name.startswith("on") for name in el.attrib), f"{path}: event handler"


@pytest.mark.django_db
@pytest.mark.parametrize("path", PAGES)
def test_page_is_valid_html(client, path):
    response = client.get(path)
    assert response.status_code == (404 if path in NOT_FOUND else 200), response.status_code
    assert response["Content-Type"].startswith("text/html")
    tree = parse(response.content)
    assert tree.find(f"{NS}head/{NS}title") is not None
    assert tree.get("lang") == "en"
    assert len(tree.findall(f".//{NS}h1")) == 1, f"{path}: exactly one h1"
    check_references(tree, path)
    check_no_inline_code(tree, path)


@pytest.mark.django_db
@pytest.mark.parametrize("path", PARTIALS)
def test_htmx_partial_is_valid_html(client, path, htmx_headers):
    response = client.get(path, headers=htmx_headers)
    assert response.status_code == 200
    tree = parse(response.content, fragment=True)
    check_no_inline_code(tree, path)
