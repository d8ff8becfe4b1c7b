"""No page grows N+1 queries: a small fixed bound per page type (after the snapshots are built).

Every request also reads the content version once, through the database driver
(refsite/core/content_version.py), which Django's query log does not see.
The API's pages ask nothing about content either; their bound is the API's
per-address limit counting the request: a read and an upsert of its counter,
and at most once a minute a delete of ended windows, each in a savepoint
inside the test's transaction (refsite/core/throttle.py).
"""

import pytest

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_page_cache")]

API_LIMITER = 9  # 3 statements, each wrapped in SAVEPOINT and RELEASE here

BOUNDS = [
    ("/", {}, 0),
    ("/?q=rate+limit", {"HX-Request": "true"}, 0),
    ("/4xx/", {}, 0),
    ("/404/", {}, 0),
    ("/499/", {}, 0),
    ("/api/codes/404/", {}, API_LIMITER),
    ("/api/codes/", {}, API_LIMITER),
    ("/guides/", {}, 1),
    ("/guides/401-vs-403/", {}, 4),
    ("/compare/401-vs-403/", {}, 3),
    ("/choose/", {}, 2),
]


@pytest.mark.parametrize(("path", "headers", "bound"), BOUNDS)
def test_queries_per_page_type(client, django_assert_max_num_queries, path, headers, bound):
    client.get("/400/")  # builds the per-process snapshots once
    client.get("/guides/")
    with django_assert_max_num_queries(bound):
        response = client.get(path, headers=headers)
    assert response.status_code == 200
