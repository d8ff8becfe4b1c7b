"""No page grows N+1 queries: a small fixed bound per page type (after the indexes are built)."""

import pytest

import refsite.http_cache

pytestmark = pytest.mark.django_db

BOUNDS = [
    ("/", {}, 0),
    ("/?q=rate+limit", {"HX-Request": "true"}, 0),
    ("/4xx/", {}, 0),
    ("/404/", {}, 0),
    ("/499/", {}, 0),
    ("/api/codes/404/", {}, 5),
    ("/api/codes/", {}, 0),
    ("/guides/", {}, 1),
    ("/guides/401-vs-403/", {}, 4),
    ("/compare/401-vs-403/", {}, 3),
    ("/choose/", {}, 2),
]


class NoPageCache:
    def get(self, *args, **kwargs):
        return None

    def set(self, *args, **kwargs):
        return None


@pytest.mark.parametrize(("path", "headers", "bound"), BOUNDS)
def test_queries_per_page_type(
    client, monkeypatch, django_assert_max_num_queries, path, headers, bound
):
    monkeypatch.setattr(refsite.http_cache, "cache", NoPageCache())  # measure real renders
    client.get("/400/")  # builds the per-process indexes once
    client.get("/guides/")
    with django_assert_max_num_queries(bound):
        response = client.get(path, headers=headers)
    assert response.status_code == 200
