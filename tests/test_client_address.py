"""Per-address limits count the real client: behind trusted proxies, never a forged header."""

import time

import pytest
from django.test import Client, RequestFactory, override_settings

from refsite.core import throttle

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-Passw0rd!"
NGINX = "127.0.0.1"  # what the app sees as REMOTE_ADDR behind the documented proxy


@pytest.fixture(autouse=True)
def _still_clock(monkeypatch):
    """Limits count in fixed windows: a still clock keeps a test inside one window."""
    frozen = throttle.time.time()
    monkeypatch.setattr(throttle.time, "time", lambda: frozen)


def _address(hops, forwarded=None, remote="198.51.100.9"):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    with override_settings(TRUSTED_PROXY_HOPS=hops):
        return throttle.client_address(RequestFactory().get("/", **meta))


def test_without_trusted_proxies_the_header_is_ignored():
    assert _address(0, "203.0.113.7") == "198.51.100.9"
    assert _address(0) == "198.51.100.9"


def test_one_proxy_takes_the_address_it_saw_and_not_what_the_client_wrote():
    # nginx appends the peer it saw to whatever the client sent.
    assert _address(1, "203.0.113.7", remote=NGINX) == "203.0.113.7"
    assert _address(1, "10.0.0.1, 203.0.113.7", remote=NGINX) == "203.0.113.7"
    assert _address(1, " 10.0.0.1 ,203.0.113.7 ", remote=NGINX) == "203.0.113.7"


def test_two_proxies_count_two_from_the_right():
    # client -> CDN (appends the client) -> nginx (appends the CDN) -> app
    assert _address(2, "6.6.6.6, 203.0.113.7, 192.0.2.50", remote=NGINX) == "203.0.113.7"


@pytest.mark.parametrize(
    "forwarded",
    [
        None,  # the proxy sent nothing: a request that did not come through it
        "",
        "   ",
        ",",
        "203.0.113.7, ",  # the entry a proxy should have written is empty
        "203.0.113.7, unknown",
        "203.0.113.7, 999.1.1.1",
        "203.0.113.7, 10.0.0.1/8",
        "203.0.113.7, \x00",
    ],
)
def test_a_missing_or_malformed_entry_falls_back_to_the_peer(forwarded):
    assert _address(1, forwarded, remote=NGINX) == NGINX


def test_fewer_entries_than_hops_falls_back_to_the_peer():
    # With 3 trusted hops but only 2 entries, the leftmost one may be the client's own
    # words (it skipped a proxy), so none of them can be believed.
    assert _address(3, "6.6.6.6, 203.0.113.7", remote=NGINX) == NGINX


def test_a_huge_header_is_cheap_and_still_right():
    forwarded = ", ".join(f"10.{n % 256}.{n // 256 % 256}.1" for n in range(200_000))
    started = time.perf_counter()
    address = _address(1, forwarded + ", 203.0.113.7", remote=NGINX)
    assert address == "203.0.113.7"
    assert time.perf_counter() - started < 0.05


def test_addresses_are_normalised():
    # A port, brackets or an IPv4-mapped IPv6 form do not make a new address.
    assert _address(1, "203.0.113.7:50123", remote=NGINX) == "203.0.113.7"
    assert _address(1, "::ffff:203.0.113.7", remote=NGINX) == "203.0.113.7"
    assert _address(0, remote="::ffff:203.0.113.7") == "203.0.113.7"
    # One IPv6 client holds a whole /64: it is one address for the limits.
    first = _address(1, "[2001:db8:1:2::1]:443", remote=NGINX)
    assert first == _address(1, "2001:DB8:1:2:ffff::7", remote=NGINX) == "2001:db8:1:2::/64"
    assert _address(1, "2001:db8:1:3::1", remote=NGINX) != first


def test_no_remote_address_at_all():
    assert _address(0, remote="") == "unknown"
    assert _address(1, "203.0.113.7, junk", remote="") == "unknown"


def _behind_proxy(forwarded):
    """A client whose requests reach the app through nginx, as the documented setup does."""
    return Client(REMOTE_ADDR=NGINX, HTTP_X_FORWARDED_FOR=forwarded)


def _signup(client, n):
    return client.post("/accounts/signup/", {"email": f"person{n}@example.com"})


@override_settings(TRUSTED_PROXY_HOPS=1)
def test_bad_logins_from_one_client_do_not_lock_out_another(make_user):
    make_user("victim", PASSWORD)
    attacker = _behind_proxy("203.0.113.66")
    for n in range(throttle.LOGIN_PER_ADDRESS.limit):
        response = attacker.post("/accounts/login/", {"username": f"guess{n}", "password": "x"})
        assert response.status_code == 422
    assert attacker.post("/accounts/login/", {"username": "g", "password": "x"}).status_code == 429
    # Writing a new address into the header does not start a fresh count.
    forged = _behind_proxy("192.0.2.1, 203.0.113.66")
    assert forged.post("/accounts/login/", {"username": "g", "password": "x"}).status_code == 429
    # Someone else behind the same proxy signs in.
    other = _behind_proxy("198.51.100.20")
    response = other.post("/accounts/login/", {"username": "victim", "password": PASSWORD})
    assert response.status_code == 303


@override_settings(TRUSTED_PROXY_HOPS=1)
def test_junk_signups_from_one_client_do_not_block_another():
    junk = _behind_proxy("203.0.113.66")
    for n in range(throttle.SIGNUP_PER_ADDRESS.limit):
        assert _signup(junk, n).status_code == 303
    assert _signup(junk, "x").status_code == 429
    assert _signup(_behind_proxy("198.51.100.20"), "real").status_code == 303


@override_settings(TRUSTED_PROXY_HOPS=0)
def test_without_trusted_proxies_a_forged_header_does_not_dodge_the_limit():
    for n in range(throttle.SIGNUP_PER_ADDRESS.limit):
        assert _signup(Client(HTTP_X_FORWARDED_FOR=f"203.0.113.{n}"), n).status_code == 303
    response = _signup(Client(HTTP_X_FORWARDED_FOR="198.51.100.20"), "x")
    assert response.status_code == 429
