"""Editors write Markdown; what reaches a reader is sanitised HTML."""

import pytest

from codes.models import StatusCode
from refsite.core.markdown import render_markdown


@pytest.mark.parametrize(
    ("source", "forbidden"),
    [
        ("<script>alert(1)</script>", "<script"),
        ('<img src="x" onerror="alert(1)">', "onerror"),
        ("[click](javascript:alert(1))", "javascript:"),
        ('<a href="javascript:alert(1)">x</a>', "javascript:"),
        ("<iframe src='https://evil.example'></iframe>", "<iframe"),
        ('<p style="background:url(x)">x</p>', "style="),
        ("<svg onload=alert(1)>", "<svg"),
    ],
)
def test_unsafe_markup_is_neutralised(source, forbidden):
    assert forbidden not in render_markdown(source)


def test_ordinary_markdown_survives():
    html = render_markdown("Use **403**, not `401`.\n\n- one\n- two\n\n[spec](https://example.com)")
    assert "<strong>403</strong>" in html
    assert "<code>401</code>" in html
    assert "<li>one</li>" in html
    assert 'href="https://example.com"' in html and 'rel="noopener noreferrer"' in html


@pytest.mark.django_db
def test_an_editors_script_never_reaches_the_page(client):
    StatusCode.objects.filter(code=404, slug="").update(
        description="Hello <script>alert('x')</script> [a](javascript:alert(1))"
    )
    html = client.get("/404/").content.decode()
    assert "alert('x')" not in html
    assert "javascript:alert" not in html
