"""The permalink page of each code, its canonical URL and the helpful 404."""

import pytest
from django.urls import reverse

from codes.models import StatusCode

pytestmark = pytest.mark.django_db


def test_code_page_shows_every_part(client):
    response = client.get("/404/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>404 Not Found</h1>" in html
    page = StatusCode.objects.get(code=404, slug="")
    assert page.summary in html
    for heading in (
        "What it means",
        "When to use it",
        "When not to",
        "Common causes",
        "How to fix it",
        "Specification",
        "In your language",
        "Questions",
        "Related codes",
    ):
        assert heading in html, heading
    assert 'href="https://www.rfc-editor.org/rfc/rfc9110.html#section-15.5.5"' in html
    assert "StatusNotFound" in html and "HTTP_NOT_FOUND" in html
    assert '<link rel="canonical" href="http://testserver/404/">' in html
    assert f'<meta name="description" content="{page.summary}">' in html
    assert '<meta property="og:title" content="404 Not Found">' in html
    assert 'rel="prev" href="/403/"' in html and 'rel="next" href="/405/"' in html
    assert 'id="permalink"' in html and "Copy link" in html


def test_code_page_escapes_editor_text(client):
    row = StatusCode.objects.get(code=404, slug="")
    row.summary = '<img src=x onerror="alert(1)"> & "quotes"'
    row.save()

    html = client.get("/404/").content.decode()

    assert html.startswith("<!doctype html>")
    assert "<img src=x" not in html and "&lt;img src=x onerror=" in html
    assert "&amp; &quot;quotes&quot;" in html


def test_faqs_and_headers_are_on_the_page(client):
    html = client.get("/405/").content.decode()
    assert "<code>Allow</code>" in html
    for faq in StatusCode.objects.get(code=405, slug="").faqs.all():
        assert faq.question in html


def test_a_number_with_several_meanings_shows_them_all(client):
    html = client.get("/499/").content.decode()
    assert 'id="nginx"' in html and 'id="arcgis"' in html
    assert "Client Closed Request" in html and "Token Required" in html
    assert "Not registered with IANA" in html


def test_registered_meaning_comes_first(client):
    html = client.get("/451/").content.decode()
    assert "<h1>451 Unavailable For Legal Reasons</h1>" in html
    assert html.index("Unavailable For Legal Reasons") < html.index('id="exchange"')


def test_unofficial_code_outside_the_classes(client):
    response = client.get("/999/")
    assert response.status_code == 200
    assert "Outside the standard range" in response.content.decode()


@pytest.mark.parametrize(
    ("path", "target"),
    [
        ("/0404/", "/404/"),
        ("/404", "/404/"),
        ("/4XX/", "/4xx/"),
        ("/4Xx/", "/4xx/"),
        ("/00429/?x=1", "/429/?x=1"),
    ],
)
def test_non_canonical_forms_redirect_permanently(client, path, target):
    response = client.get(path)
    assert response.status_code == 301
    assert response["Location"] == target


@pytest.mark.parametrize("path", ["/299/", "/000/", "/1000/", "/999999/"])
def test_unused_numbers_are_a_real_404_that_helps(client, path):
    response = client.get(path)
    assert response.status_code == 404
    html = response.content.decode()
    assert "404 Not Found" in html
    assert 'role="search"' in html


def test_404_suggests_the_nearest_codes(client):
    html = client.get("/299/").content.decode()
    assert "Nobody uses <strong>299</strong>" in html
    assert 'href="/300/"' in html and 'href="/226/"' in html


def test_unpublished_codes_are_not_shown(client):
    code = StatusCode.objects.get(code=226)
    code.published = False
    code.save()
    assert client.get("/226/").status_code == 404
    assert 'href="/226/"' not in client.get(reverse("codes:index")).content.decode()


def test_wrong_method_on_code_page(client):
    for method in (client.post, client.put, client.delete):
        response = method("/404/")
        assert response.status_code == 405
        assert response["Allow"] == "GET, HEAD"


def test_class_page(client):
    response = client.get("/4xx/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1" in html and "4xx Client error" in html
    assert html.count('class="code-row') == StatusCode.objects.published().in_class(4).count()
    assert 'href="/404/"' in html and 'href="/499/#nginx"' in html
    assert '<link rel="canonical" href="http://testserver/4xx/">' in html


def test_queries_per_page_are_bounded(client, django_assert_max_num_queries):
    client.get("/400/")  # builds the per-process search indexes once
    with django_assert_max_num_queries(8):
        client.get("/404/")
    with django_assert_max_num_queries(3):
        client.get("/")
    with django_assert_max_num_queries(3):
        client.get("/5xx/")
