"""The page cache cannot be flooded: only canonical requests are stored, and it is bounded."""

import random
import string

import pytest
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.test import override_settings

from refsite import settings as site_settings
from tests.test_page_cache import _stored

pytestmark = pytest.mark.django_db


def _entries() -> tuple[int, int]:
    """Entries and bytes in the ``pages`` cache: process memory, or Redis with REDIS_URL."""
    pages = caches["pages"]
    if isinstance(pages, LocMemCache):
        return len(pages._cache), sum(len(value) for value in pages._cache.values())
    client = pages._cache.get_client(write=True)
    keys = list(client.scan_iter(match=pages.make_key("*")))
    return len(keys), sum(client.strlen(key) for key in keys)


def _junk(rng: random.Random, size: int = 12) -> str:
    return "".join(rng.choices(string.ascii_lowercase, k=size))


def test_random_query_strings_add_no_entries(client, settings):
    settings.API_RATE_LIMIT = 10**6  # one test address sends all 1000; the flood is the point
    rng = random.Random(14)
    client.get("/404/")
    client.get("/")
    before = _entries()
    paths = ["/404/", "/", "/guides/", "/api/codes/", "/api/codes/404/", "/4xx/"]
    for index in range(1000):
        path = paths[index % len(paths)]
        query = (
            f"x={_junk(rng)}"
            if index % 2
            else f"q={_junk(rng)}+{_junk(rng, 6)}"  # a search that matches nothing
        )
        response = client.get(f"{path}?{query}")
        assert response.status_code in (200, 301), (path, query, response.status_code)
    after = _entries()
    print("page cache before/after 1000 random queries (entries, bytes):", before, after)
    assert after == before


@pytest.mark.parametrize(
    ("query", "stored"),
    [
        ("q=rate+limit", True),  # a browser's form
        ("q=rate%20limit", True),  # encodeURIComponent
        ("q=rate+limit&cls=4&unofficial=include", True),  # the whole form, in its order
        ("q=rate+limit&cls=&unofficial=", True),  # blank fields, as a form sends them
        ("cls=4&q=rate+limit", False),  # another order
        ("q=rate++limit", False),  # not normalised
        ("q=+rate+limit", False),
        ("q=r%61te+limit", False),  # a needless escape
        ("q=rate+limit&q=rate", False),  # repeated
        ("q=rate+limit&utm_source=x", False),  # unknown parameter
        ("q=zzqqxxyy", False),  # matches nothing
    ],
)
def test_only_canonical_searches_are_stored(client, query, stored):
    response = client.get(f"/?{query}")
    assert response.status_code == 200
    assert _stored(f"/?{query}") is stored


@pytest.mark.parametrize(
    ("path", "stored"),
    [
        ("/api/codes/?q=rate+limit", True),
        ("/api/codes/?class=4xx&q=rate", True),
        ("/api/codes/?q=zzqqxxyy", False),
        ("/api/codes/?page=2", False),
        ("/api/codes/404/?x=1", False),
        ("/guides/?q=cache", True),
        ("/guides/?q=zzqqxxyy", False),
        ("/404/?utm_source=x", False),
        ("/404/", True),
    ],
)
def test_api_and_guides_declare_their_parameters(client, path, stored):
    assert client.get(path).status_code == 200
    assert _stored(path) is stored


def test_a_page_larger_than_the_cap_is_served_not_stored(client, settings):
    settings.PAGE_CACHE_MAX_BYTES = 1000
    response = client.get("/404/")
    assert response.status_code == 200 and len(response.content) > 1000
    assert not _stored("/404/")


def test_the_local_memory_page_cache_holds_at_most_max_entries(client, monkeypatch):
    monkeypatch.setattr(site_settings, "PAGE_CACHE_MAX_ENTRIES", 8)
    with override_settings(
        CACHES={**site_settings.CACHES, "pages": site_settings._cache("pages", "")}
    ):
        for code in (100, 200, 201, 204, 301, 302, 304, 400, 401, 403, 404, 429, 500, 503):
            assert client.get(f"/{code}/").status_code == 200
        entries, _ = _entries()
        assert 0 < entries <= 8
        assert _stored("/503/")  # the newest stays; the oldest went
        assert not _stored("/100/")
