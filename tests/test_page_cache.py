"""The one server-side page cache: keyed on the negotiated variant, anonymous from settings."""

import pytest
from django.core.cache import caches
from django.test import RequestFactory

from refsite.core import content_version
from refsite.core.http_cache import page_key

pytestmark = pytest.mark.django_db

CHROME = {
    "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36",
    "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8",
}
FIREFOX = {
    "User-Agent": "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
    "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
}


def _stored(path: str, **headers) -> bool:
    """Is there a page cache entry for an anonymous request like this one?"""
    request = RequestFactory().get(path, headers=headers)
    return caches["pages"].get(page_key(request, content_version.read().token)) is not None


def test_two_browser_brands_share_one_entry(client, django_assert_num_queries):
    first = client.get("/404/", headers=CHROME)
    with django_assert_num_queries(0):  # a hit: no view, no catalogue
        second = client.get("/404/", headers=FIREFOX)
    assert second.content == first.content


def test_variants_that_differ_are_kept_apart(client):
    html = client.get("/404/", headers=CHROME)
    json = client.get("/404/", headers={"Accept": "application/json"})
    text = client.get("/404/", headers={"User-Agent": "curl/8.5.0", "Accept": "*/*"})
    assert html["Content-Type"].startswith("text/html")
    assert json["Content-Type"].startswith("application/json")
    assert text["Content-Type"].startswith("text/plain")
    # Another command-line client that takes anything gets curl's stored text.
    wget = client.get("/404/", headers={"User-Agent": "Wget/1.21", "Accept": "*/*"})
    assert wget.content == text.content


def test_the_key_ignores_raw_accept_and_user_agent_strings():
    factory = RequestFactory()
    chrome = page_key(factory.get("/404/", headers=CHROME), "v")
    firefox = page_key(factory.get("/404/", headers=FIREFOX), "v")
    json = page_key(factory.get("/404/", headers={"Accept": "application/json"}), "v")
    htmx = page_key(factory.get("/404/", headers={**CHROME, "HX-Request": "true"}), "v")
    assert chrome == firefox
    assert len({chrome, json, htmx}) == 3
    assert page_key(factory.get("/404/"), "v") != page_key(factory.get("/404/"), "w")


def test_a_renamed_session_cookie_still_keeps_signed_in_pages_out(settings, client, make_user):
    settings.SESSION_COOKIE_NAME = "refsite_session"
    user = make_user()
    client.force_login(user)
    assert "refsite_session" in client.cookies and "sessionid" not in client.cookies

    signed_in = client.get("/404/")
    assert "☆ Star" in signed_in.content.decode()
    assert signed_in["Cache-Control"].startswith("private")
    assert not _stored("/404/"), "a signed-in page was stored for everyone"

    anonymous = client.__class__()
    anonymous.get("/404/")  # now stored for everyone
    assert _stored("/404/")
    again = client.get("/404/")
    assert "☆ Star" in again.content.decode(), "a signed-in person got the anonymous page"
    assert "Sign in to star" in anonymous.get("/404/").content.decode()


def test_a_pending_message_keeps_a_page_out_of_the_cache(client):
    from django.contrib.messages.storage.cookie import CookieStorage

    client.cookies[CookieStorage.cookie_name] = "pending"
    response = client.get("/418/")
    assert response["Cache-Control"].startswith("private")
    assert not _stored("/418/")


@pytest.mark.parametrize(
    ("accept", "status"),
    [
        ("a" * 10_000, 406),
        (",,,;;;", 406),
        ("é/é", 406),
        ("text/html;q=abc", 200),
        ("application/json;q=0.1, text/html", 200),
    ],
)
def test_odd_accept_headers_get_a_clear_answer(client, accept, status):
    from refsite.core.http_cache import _format_for

    before = _format_for.cache_info().currsize
    response = client.get("/404/", headers={"Accept": accept})
    assert response.status_code == status
    if len(accept) > 256:
        assert _format_for.cache_info().currsize == before  # never memoised
