"""Compare pages: canonical order, unknown codes, and the editors' key differences."""

import pytest

from codes.models import Comparison

pytestmark = pytest.mark.django_db

POPULAR = [
    "401-vs-403",
    "400-vs-422",
    "301-vs-308",
    "302-vs-307",
    "302-vs-303",
    "404-vs-410",
    "500-vs-502",
    "502-vs-504",
    "429-vs-503",
    "200-vs-204",
]


@pytest.mark.parametrize("pair", POPULAR)
def test_popular_pairs_have_a_key_difference(client, pair):
    response = client.get(f"/compare/{pair}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "The key difference" in html
    first, second = pair.split("-vs-")
    comparison = Comparison.objects.get(first__code=int(first), second__code=int(second))
    first_words = comparison.key_difference.split()[:3]
    assert all(word.strip('*"') in html for word in first_words)
    for aspect in (
        "Meaning",
        "When to use",
        "Headers",
        "Cacheable by default",
        "Retry?",
        "Typical causes",
    ):
        assert aspect in html


@pytest.mark.parametrize(
    ("path", "target"),
    [
        ("/compare/403-vs-401/", "/compare/401-vs-403/"),
        ("/compare/308-vs-301-vs-302/", "/compare/301-vs-302-vs-308/"),
        ("/compare/504-vs-502/", "/compare/502-vs-504/"),
    ],
)
def test_other_orders_redirect_permanently(client, path, target):
    response = client.get(path)
    assert response.status_code == 301
    assert response["Location"] == target


def test_three_codes_side_by_side(client):
    html = client.get("/compare/301-vs-302-vs-308/").content.decode()
    assert "301 Moved Permanently vs 302 Found vs 308 Permanent Redirect" in html
    assert "The key difference" not in html  # editors write pairs only


@pytest.mark.parametrize(
    "path",
    [
        "/compare/401-vs-299/",
        "/compare/299-vs-401/",
        "/compare/401-vs-401/",
        "/compare/401/",
        "/compare/1-vs-2/",
        "/compare/200-vs-201-vs-202-vs-204/",
        "/compare/abc-vs-def/",
        "/compare/499-vs-504/",
    ],
)
def test_unknown_or_malformed_comparisons_are_404(client, path):
    assert client.get(path).status_code == 404


def test_retry_row_gives_sensible_advice(client):
    html = client.get("/compare/429-vs-503/").content.decode()
    assert "honour Retry-After" in html


def test_code_page_links_to_its_comparisons(client):
    html = client.get("/401/").content.decode()
    assert 'href="/compare/401-vs-403/"' in html
    assert "Often confused with" in html
    assert 'href="/choose/"' in html
