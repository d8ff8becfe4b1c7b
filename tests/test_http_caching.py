"""HTTP caching: validators, 304s, Cache-Control, Vary, and the server-side page cache."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.http import http_date

from codes.models import StatusCode
from guides.models import Guide
from refsite.core.models import Counter

pytestmark = pytest.mark.django_db

PAGES = [
    "/",
    "/4xx/",
    "/404/",
    "/guides/",
    "/guides/401-vs-403/",
    "/compare/401-vs-403/",
    "/choose/",
    "/api/codes/404/",
]


@pytest.mark.parametrize("path", PAGES)
def test_pages_carry_etag_and_last_modified(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response["ETag"]
    assert response["Last-Modified"]


@pytest.mark.parametrize("path", PAGES)
def test_if_none_match_gets_304(client, path):
    etag = client.get(path)["ETag"]
    again = client.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""


@pytest.mark.parametrize("path", PAGES)
def test_if_modified_since_gets_304(client, path):
    last_modified = client.get(path)["Last-Modified"]
    again = client.get(path, headers={"If-Modified-Since": last_modified})
    assert again.status_code == 304


def test_an_edit_moves_the_validators(client):
    first = client.get("/404/")
    code = StatusCode.objects.get(code=404, slug="")
    code.summary = "Edited just now."
    code.save()
    after = client.get("/404/", headers={"If-None-Match": first["ETag"]})
    assert after.status_code == 200
    assert "Edited just now." in after.content.decode()
    assert after["ETag"] != first["ETag"]


def test_last_modified_follows_the_content(client):
    code = StatusCode.objects.get(code=404, slug="")
    code.save()
    code.refresh_from_db()
    assert client.get("/404/")["Last-Modified"] == http_date(code.updated_at.timestamp())


def test_anonymous_pages_are_public_with_a_short_max_age(client):
    response = client.get("/404/")
    assert response["Cache-Control"] == "public, max-age=300"
    assert "Cookie" in response["Vary"]


def test_signed_in_pages_are_private(user_client):
    response = user_client.get("/404/")
    assert response["Cache-Control"].startswith("private")


def test_partial_and_full_page_are_told_apart(client):
    full = client.get("/", {"q": "gone"})
    partial = client.get("/", {"q": "gone"}, headers={"HX-Request": "true"})
    assert "HX-Request" in full["Vary"] and "HX-Request" in partial["Vary"]
    assert full["ETag"] != partial["ETag"]
    assert "<html" in client.get("/", {"q": "gone"}).content.decode()


def test_code_pages_vary_on_what_is_negotiated(client):
    vary = client.get("/404/")["Vary"]
    assert "Accept" in vary and "User-Agent" in vary


def test_second_anonymous_request_is_served_from_the_page_cache(client, django_assert_num_queries):
    client.get("/503/")
    with django_assert_num_queries(0):  # the content version is read by the driver, unlogged
        cached = client.get("/503/")
    assert cached.status_code == 200 and "503 Service Unavailable" in cached.content.decode()


def test_page_cache_is_invalidated_by_an_editors_save(client):
    client.get("/guides/404-or-410/")
    guide = Guide.objects.get(slug="404-or-410")
    guide.title = "404 or 410, revised"
    guide.save()
    assert "404 or 410, revised" in client.get("/guides/404-or-410/").content.decode()


def test_page_cache_is_skipped_for_signed_in_users(user_client, django_assert_max_num_queries):
    user_client.get("/404/")
    html = user_client.get("/404/").content.decode()
    assert "Sign in to star" not in html and "☆ Star" in html


def test_errors_are_never_cached_as_success(client):
    assert client.get("/299/").status_code == 404
    assert client.get("/299/").status_code == 404
    assert client.get("/299/")["Cache-Control"] == "public, max-age=60"


@pytest.mark.slow
def test_static_files_are_compressed_and_immutable_in_production():
    import subprocess
    import sys
    from pathlib import Path

    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.STORAGES['staticfiles']['BACKEND'])"
    )
    env = {
        "DEBUG": "false",
        "SECRET_KEY": "x" * 50,
        "ALLOWED_HOSTS": "example.com",
        "DJANGO_SETTINGS_MODULE": "refsite.settings",
        "PATH": "/usr/bin:/bin",
    }
    out = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
        timeout=60,
    )
    assert out.stdout.strip() == "whitenoise.storage.CompressedManifestStaticFilesStorage"


@pytest.mark.parametrize("path", PAGES)
def test_a_page_cache_hit_answers_like_the_view_did(client, path):
    """A hit replays the whole response: body, validators and every header.

    It asks the database nothing about content; under /api/ the only queries are
    the API's per-address limit counting the request (refsite/core/throttle.py).
    """
    first = client.get(path)
    with CaptureQueriesContext(connection) as queries:
        hit = client.get(path)
        not_modified = client.get(path, headers={"If-None-Match": first["ETag"]})
    counter_table = Counter._meta.db_table
    content_queries = [
        q["sql"]
        for q in queries.captured_queries
        if counter_table not in q["sql"] and not q["sql"].startswith(("SAVEPOINT", "RELEASE"))
    ]
    assert content_queries == []
    if not path.startswith("/api/"):
        assert queries.captured_queries == []
    assert hit.content == first.content
    assert dict(hit.items()) == dict(first.items())
    assert not_modified.status_code == 304 and not_modified["ETag"] == first["ETag"]


def test_pages_that_must_run_every_time_are_never_kept(client, django_assert_max_num_queries):
    client.get("/healthz")
    with django_assert_max_num_queries(5) as queries:
        assert client.get("/healthz").status_code == 200
    assert queries.captured_queries, "/healthz asked the database again"
    client.get("/status/200/")
    assert "no-store" in client.get("/status/200/")["Cache-Control"]


def test_the_page_cache_keeps_the_partial_and_the_page_apart(client, htmx_headers):
    page = client.get("/", {"q": "teapot"})
    partial = client.get("/", {"q": "teapot"}, headers=htmx_headers)
    assert client.get("/", {"q": "teapot"}).content == page.content
    assert client.get("/", {"q": "teapot"}, headers=htmx_headers).content == partial.content
    assert b"<html" in page.content and b"<html" not in partial.content
