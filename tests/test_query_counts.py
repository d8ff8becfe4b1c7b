"""No page grows N+1 queries: a small fixed bound per page type (after the snapshots are built).

Every request reads the content version once; the bounds count that read.
"""

import pytest

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_page_cache")]

BOUNDS = [
    ("/", {}, 1),
    ("/?q=rate+limit", {"HX-Request": "true"}, 1),
    ("/4xx/", {}, 1),
    ("/404/", {}, 1),
    ("/499/", {}, 1),
    ("/api/codes/404/", {}, 6),
    ("/api/codes/", {}, 1),
    ("/guides/", {}, 2),
    ("/guides/401-vs-403/", {}, 5),
    ("/compare/401-vs-403/", {}, 4),
    ("/choose/", {}, 3),
]


@pytest.mark.parametrize(("path", "headers", "bound"), BOUNDS)
def test_queries_per_page_type(client, django_assert_max_num_queries, path, headers, bound):
    client.get("/400/")  # builds the per-process snapshots once
    client.get("/guides/")
    with django_assert_max_num_queries(bound):
        response = client.get(path, headers=headers)
    assert response.status_code == 200
