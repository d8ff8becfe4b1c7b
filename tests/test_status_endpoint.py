"""/status/<code>/: answers with the status asked for, carefully."""

import json
import re
import threading
import time

import pytest
from django.core.cache import cache

from codes import status_endpoint
from refsite.core import throttle
from refsite.core.models import Counter

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("method", ["get", "post", "put", "patch", "delete"])
def test_any_method_gets_the_status(client, method):
    response = getattr(client, method)("/status/418/")
    assert response.status_code == 418
    assert response["Cache-Control"] == "no-store"


def test_body_follows_accept(client):
    as_json = client.get("/status/404/", headers={"Accept": "application/json"})
    assert as_json.json()["code"] == 404 and as_json.json()["description"] == "Not Found"
    as_text = client.get("/status/404/", headers={"Accept": "text/plain"})
    assert as_text.content.decode().startswith("404 Not Found")


@pytest.mark.parametrize("code", [301, 302, 303, 307, 308])
def test_redirects_point_only_to_this_site(client, code):
    response = client.get(
        f"/status/{code}/", {"to": "https://evil.example/", "url": "//evil.example"}
    )
    assert response.status_code == code
    assert response["Location"] == "/status/200/"


@pytest.mark.parametrize(
    ("code", "header", "value"),
    [
        (429, "Retry-After", "5"),
        (503, "Retry-After", "5"),
        (401, "WWW-Authenticate", None),
        (405, "Allow", "GET, HEAD"),
        (206, "Content-Range", None),
        (416, "Content-Range", "bytes */64"),
        (407, "Proxy-Authenticate", None),
    ],
)
def test_headers_the_code_needs(client, code, header, value):
    response = client.get(f"/status/{code}/")
    assert response.status_code == code
    assert header in response
    if value:
        assert response[header] == value


@pytest.mark.parametrize("code", [204, 304])
def test_no_body_on_204_and_304(client, code):
    response = client.get(f"/status/{code}/")
    assert response.status_code == code
    assert response.content == b""


@pytest.mark.parametrize("spec", ["100", "101", "199", "600", "99", "abc", "2OO", "200,", "200:x"])
def test_1xx_and_invalid_codes_are_400_with_an_explanation(client, spec):
    response = client.get(f"/status/{spec}/", headers={"Accept": "text/plain"})
    assert response.status_code == 400
    assert len(response.content) > 20


def test_unregistered_but_real_code_is_sent(client):
    response = client.get("/status/499/")
    assert response.status_code == 499


def test_weighted_random_choice(client):
    seen = {client.get("/status/200,500:0.5/").status_code for _ in range(40)}
    assert seen == {200, 500}
    assert {client.get("/status/201,500:0/").status_code for _ in range(10)} == {201}


def test_sleep_is_capped(client, monkeypatch):
    slept = []
    monkeypatch.setattr(status_endpoint, "pause", slept.append)
    assert client.get("/status/200/", {"sleep": "250"}).status_code == 200
    assert slept == [0.25]
    assert client.get("/status/200/", {"sleep": "10001"}).status_code == 400
    assert client.get("/status/200/", {"sleep": "-5"}).status_code == 400
    assert slept == [0.25]


def test_a_short_real_sleep(client):
    start = time.perf_counter()
    client.get("/status/200/", {"sleep": "50"})
    assert time.perf_counter() - start >= 0.05


def test_extra_headers_from_the_allow_list_only(client):
    ok = client.get("/status/200/", {"header": ["X-Request-Id: abc", "Cache-Control: max-age=5"]})
    assert ok["X-Request-Id"] == "abc"
    assert ok["Cache-Control"] == "no-store"  # never cached, whatever was asked
    for bad in ("Set-Cookie: a=b", "Location: https://evil.example", "X-Request-Id: a\u00e9"):
        assert client.get("/status/200/", {"header": bad}).status_code == 400


def test_throttled_per_address_with_retry_after(client, monkeypatch):
    cache.clear()
    # The limit is a fixed window: hold the clock still, so sending the requests
    # can never straddle a window boundary and start a fresh count.
    frozen = time.time()
    monkeypatch.setattr(throttle.time, "time", lambda: frozen)
    limit = throttle.STATUS_PER_ADDRESS.limit
    codes = [client.get("/status/200/").status_code for _ in range(limit + 2)]
    assert codes == [200] * limit + [429, 429]
    limited = client.get("/status/200/")
    assert int(limited["Retry-After"]) >= 1
    other = client.get("/status/200/", REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 200


def test_status_and_sign_in_share_one_rate_limiter(client, monkeypatch):
    """/status/ counts through throttle.Limit, in the same table and key scheme as sign-in."""
    frozen = time.time()  # one fixed window for the whole test
    monkeypatch.setattr(throttle.time, "time", lambda: frozen)
    monkeypatch.setattr(throttle, "STATUS_PER_ADDRESS", throttle.Limit("status-address", 2, 60))
    monkeypatch.setattr(throttle, "LOGIN_PER_ADDRESS", throttle.Limit("login-address", 2, 900))
    for _ in range(2):
        client.get("/status/200/")
        client.post("/accounts/login/", {"username": "nobody", "password": "x"})
    address = "127.0.0.1"
    assert throttle.STATUS_PER_ADDRESS.blocked(address) is not None
    assert throttle.LOGIN_PER_ADDRESS.blocked(address) is not None
    # Both counters are Limit's: one key scheme (throttle:<scope>:<hash>:<window>).
    for limit in (throttle.STATUS_PER_ADDRESS, throttle.LOGIN_PER_ADDRESS):
        key, _ = limit._key(address)
        assert key.startswith(f"throttle:{limit.scope}:")
        assert Counter.objects.get(key=key).count == 2
    status, login = client.get("/status/200/"), client.post("/accounts/login/", {"username": "x"})
    assert status.status_code == login.status_code == 429
    assert 0 < int(status["Retry-After"]) <= 61 and 0 < int(login["Retry-After"]) <= 901
    # Resetting through Limit opens /status/ again: there is no second counter.
    throttle.STATUS_PER_ADDRESS.reset(address)
    assert client.get("/status/200/").status_code == 200


# Point 6 of issue 14: nothing the caller sends comes back as markup.
PAYLOADS = ["<meta http-equiv=refresh content=0;url=//evil>", "<a href=//evil>x</a>"]
FORMATS = {"html": "text/html", "json": "application/json", "text": "text/plain"}


def _echo_paths(payload: str) -> dict[str, tuple[str, dict]]:
    """Every way a 400 can quote the request: (path, query) for each.

    A path segment cannot hold "/", so there the payload's slashes become
    backslashes, which browsers read as slashes in a URL all the same.
    """
    segment = payload.replace("/", "\\")
    return {
        "bad spec": (f"/status/{segment}/", {}),
        "bad code in a list": (f"/status/200,{segment}/", {}),
        "bad weight": (f"/status/200:{segment}/", {}),
        "bad sleep": ("/status/200/", {"sleep": payload}),
        "bad header name": ("/status/200/", {"header": f"{payload}: x"}),
        "bad header value": ("/status/200/", {"header": f"X-Request-Id: {payload}\u00e9"}),
        "bad header name and value": ("/status/200/", {"header": f"{payload}:{payload}"}),
        "too many codes": (f"/status/{','.join(['200'] * 10)},{segment}/", {}),
    }


@pytest.mark.parametrize("payload", PAYLOADS)
@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("path_name", list(_echo_paths("x")))
def test_no_echo_path_reflects_markup(client, payload, fmt, path_name):
    path, query = _echo_paths(payload)[path_name]
    response = client.get(path, query, headers={"Accept": FORMATS[fmt]})
    assert response.status_code == 400, (path_name, response.status_code)
    assert response["Content-Type"] == f"{FORMATS[fmt]}; charset=utf-8"
    assert response["Cache-Control"] == "no-store"
    body = response.content.decode()
    if fmt == "html":
        assert body.startswith("<!doctype html>")
        # The only tags are the endpoint's own: the payload's '<' arrives as &lt;.
        own_tags = {"<!doctype", "<title", "</title", "<p", "</p"}
        assert set(re.findall(r"<[!/]?\w+", body)) <= own_tags, body
        assert "<meta" not in body and "<a " not in body
    elif fmt == "json":
        assert json.loads(body)["code"] == 400
    else:
        assert body.startswith("400 Bad Request\n")
    for name, value in response.items():
        assert "\r" not in value and "\n" not in value, name


def test_html_echo_is_escaped_not_dropped(client):
    response = client.get("/status/<b>/", headers={"Accept": "text/html"})
    assert response.status_code == 400
    assert "&lt;b&gt;" in response.content.decode()


# Point 7 of issue 14: no input answers 500.
@pytest.mark.parametrize(
    "sleep", ["\u00b2", "\u0661\u0662", "\uff11\uff10", "1\u00b2", " 5", "+5", "5.0", "1e3", "0x10"]
)
def test_sleep_takes_ascii_decimals_only(client, sleep):
    response = client.get("/status/200/", {"sleep": sleep})
    assert response.status_code == 400
    assert b"whole number of milliseconds" in response.content


@pytest.mark.parametrize("spec", ["\uff12\uff10\uff10", "\u0662\u0660\u0660", "200:\u0661"])
def test_codes_and_weights_take_ascii_digits_only(client, spec):
    assert client.get(f"/status/{spec}/").status_code == 400


@pytest.mark.parametrize(
    "header",
    [
        "lin\u212a:x",  # KELVIN SIGN: lower-cases to ASCII "k", so "linK" looked like "link"
        "\u0130tag:x",  # I WITH DOT: lower-cases to "i" + a combining dot
        "e\u0301tag:x",
        "x-request-id\u00a0:x",
        "x-request-id\x0b:x",
        ":x",
        "etag x:1",
    ],
)
def test_header_names_must_be_ascii_names_from_the_allow_list(client, header):
    response = client.get("/status/200/", {"header": header})
    assert response.status_code == 400
    assert b"allow-list" in response.content


# Point 2 of issue 14: sleepers have a bounded pool; beyond it, a quick 503.
def test_sleepers_beyond_the_pool_get_a_quick_503(client, monkeypatch):
    slept = []
    monkeypatch.setattr(status_endpoint, "pause", slept.append)
    pool = threading.BoundedSemaphore(1)
    monkeypatch.setattr(status_endpoint, "_sleepers", pool)
    assert pool.acquire(blocking=False)  # the one slot is taken by someone else
    for accept in ("text/html", "application/json", "text/plain"):
        response = client.get("/status/200/", {"sleep": "5000"}, headers={"Accept": accept})
        assert response.status_code == 503
        assert response["Retry-After"] == "10"
        assert response["Cache-Control"] == "no-store"
    assert slept == []  # refused without sleeping
    assert client.get("/status/200/").status_code == 200  # no sleep asked: served
    pool.release()
    assert client.get("/status/200/", {"sleep": "5000"}).status_code == 200
    assert slept == [5.0]
    assert pool.acquire(blocking=False)  # and the slot came back after the sleep


def test_a_sleep_that_fails_still_gives_its_slot_back(client, monkeypatch):
    pool = threading.BoundedSemaphore(1)
    monkeypatch.setattr(status_endpoint, "_sleepers", pool)

    def interrupted(seconds):
        raise KeyboardInterrupt  # what a worker's graceful stop can raise mid-sleep

    monkeypatch.setattr(status_endpoint, "pause", interrupted)
    with pytest.raises(KeyboardInterrupt):
        client.get("/status/200/", {"sleep": "100"})
    assert pool.acquire(blocking=False)
