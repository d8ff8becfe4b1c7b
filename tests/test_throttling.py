"""Login, reset, sign-up and suggestions are throttled with 429 and Retry-After."""

import pytest

from refsite.accounts.models import Suggestion
from refsite.core import throttle

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-Passw0rd!"


@pytest.fixture(autouse=True)
def _still_clock(monkeypatch):
    """Limits count in fixed windows: a still clock keeps a test inside one window."""
    frozen = throttle.time.time()
    monkeypatch.setattr(throttle.time, "time", lambda: frozen)


def _assert_429(response):
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "try again in about" in response.content.decode()


def test_login_is_throttled_per_account(client, make_user):
    make_user("target", PASSWORD)
    for _ in range(throttle.LOGIN_PER_ACCOUNT.limit):
        assert (
            client.post("/accounts/login/", {"username": "target", "password": "x"}).status_code
            == 422
        )
    # Even the right password is refused until the window ends.
    _assert_429(client.post("/accounts/login/", {"username": "target", "password": PASSWORD}))
    # Another account from the same address is not blocked yet.
    make_user("someone", PASSWORD)
    assert (
        client.post("/accounts/login/", {"username": "someone", "password": PASSWORD}).status_code
        == 303
    )


def test_login_is_throttled_per_address(client):
    # A new user name each time, so only the per-address limit can trip.
    for n in range(throttle.LOGIN_PER_ADDRESS.limit):
        response = client.post("/accounts/login/", {"username": f"user{n}", "password": "x"})
        assert response.status_code == 422
    _assert_429(client.post("/accounts/login/", {"username": "fresh", "password": "x"}))
    other = client.post(
        "/accounts/login/", {"username": "fresh", "password": "x"}, REMOTE_ADDR="10.1.1.1"
    )
    assert other.status_code == 422


# Spellings Django's login form signs in as "carol" (NFKC) or that differ only in case.
CAROL_SPELLINGS = ["\uff43arol", "CAROL", " Carol ", "\uff43\uff41\uff52\uff4f\uff4c", "carol"]


def test_lookalike_spellings_count_against_one_account(client, make_user):
    make_user("carol", PASSWORD)
    for name in CAROL_SPELLINGS:
        response = client.post("/accounts/login/", {"username": name, "password": "x"})
        assert response.status_code == 422, name
    for name in CAROL_SPELLINGS:
        _assert_429(client.post("/accounts/login/", {"username": name, "password": "x"}))
    _assert_429(client.post("/accounts/login/", {"username": "\uff43arol", "password": PASSWORD}))


def test_a_good_login_clears_every_spelling(client, make_user):
    make_user("carol", PASSWORD)
    for name in CAROL_SPELLINGS[:4]:
        client.post("/accounts/login/", {"username": name, "password": "x"})
    ok = client.post("/accounts/login/", {"username": "\uff43arol", "password": PASSWORD})
    assert ok.status_code == 303
    client.post("/accounts/logout/")
    for _ in range(throttle.LOGIN_PER_ACCOUNT.limit):
        assert (
            client.post("/accounts/login/", {"username": "CAROL", "password": "x"}).status_code
            == 422
        )
    _assert_429(client.post("/accounts/login/", {"username": "carol", "password": "x"}))


def test_reset_requests_for_one_address_share_a_limit_whatever_the_case(client, make_user):
    make_user("resetter", PASSWORD)
    spellings = ["resetter@example.com", "RESETTER@example.com", "Resetter@Example.COM"]
    for email in spellings:
        assert client.post("/accounts/reset/", {"email": email}).status_code == 302
    _assert_429(client.post("/accounts/reset/", {"email": "resetter@EXAMPLE.com"}))


def test_a_good_login_clears_the_account_counter(client, make_user):
    make_user("forgetful", PASSWORD)
    for _ in range(throttle.LOGIN_PER_ACCOUNT.limit - 1):
        client.post("/accounts/login/", {"username": "forgetful", "password": "x"})
    assert (
        client.post("/accounts/login/", {"username": "forgetful", "password": PASSWORD}).status_code
        == 303
    )
    client.post("/accounts/logout/")
    assert (
        client.post("/accounts/login/", {"username": "forgetful", "password": "x"}).status_code
        == 422
    )


def test_password_reset_is_throttled(client, make_user):
    make_user("resetter", PASSWORD)
    for _ in range(throttle.RESET_PER_ACCOUNT.limit):
        assert client.post("/accounts/reset/", {"email": "resetter@example.com"}).status_code == 302
    _assert_429(client.post("/accounts/reset/", {"email": "resetter@example.com"}))


def test_signup_is_throttled_per_address(client):
    for n in range(throttle.SIGNUP_PER_ADDRESS.limit):
        response = client.post("/accounts/signup/", {"email": f"bot{n}@x.example"})
        assert response.status_code == 303
    _assert_429(client.post("/accounts/signup/", {"email": "botx@x.example"}))


def test_suggestions_are_throttled(user_client):
    for n in range(throttle.SUGGEST_PER_USER.limit):
        response = user_client.post(
            "/accounts/suggest/code/404/",
            {"field": "summary", "new_text": f"Text {n}", "reason": "r"},
        )
        assert response.status_code == 303
        # Reviewed at once, so the cap on pending suggestions never stops the user first.
        Suggestion.objects.pending().update(status=Suggestion.Status.REJECTED)
    _assert_429(
        user_client.post(
            "/accounts/suggest/code/404/", {"field": "summary", "new_text": "Text 9", "reason": "r"}
        )
    )


def test_limits_fail_open_when_the_cache_is_down(client, monkeypatch, make_user):
    class Broken:
        def __getattr__(self, name):
            def fail(*args, **kwargs):
                raise ConnectionError("cache down")

            return fail

    make_user("resilient", PASSWORD)
    monkeypatch.setattr(throttle, "cache", Broken())
    response = client.post("/accounts/login/", {"username": "resilient", "password": PASSWORD})
    assert response.status_code == 303
